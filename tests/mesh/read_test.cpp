// read_mesh end to end: every real test mesh reads and validates; file-level errors are clear.
#include "spectralbrain/mesh/read.hpp"

#include <gtest/gtest.h>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/validate.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

// Counts from tests/mesh/independent_truth.py; Euler characteristic 2 for closed surfaces.
TEST(ReadMesh, EveryRealTestMesh) {
  const struct {
    const char* file;
    std::size_t n_vertices, n_faces;
    long euler;
  } meshes[] = {
      {"fsaverage5/lh.pial", 10242, 20480, 2},
      {"fsaverage5/lh.pial.surf.gii", 10242, 20480, 2},
      {"fsaverage5/lh.white.surf.gii", 10242, 20480, 2},
      {"conte69/conte69_5k_lh.surf.gii", 5000, 9996, 2},
      {"hippocampus/tpl-avg_space-canonical_den-2mm_label-hipp_midthickness.surf.gii", 419, 774, 1},
      {"icbm152_aseg/Left-Accumbens-area.surf", 882, 1760, 2},
  };
  for (const auto& m : meshes) {
    SCOPED_TRACE(m.file);
    const TriMesh mesh = read_mesh(mesh_data(m.file));
    EXPECT_EQ(mesh.n_vertices(), m.n_vertices);
    EXPECT_EQ(mesh.n_faces(), m.n_faces);
    EXPECT_EQ(euler_characteristic(mesh), m.euler);
    EXPECT_NO_THROW(validate_mesh(mesh, m.file));
  }
}

TEST(ReadMesh, FileLevelErrors) {
  TempDir dir;
  EXPECT_INPUT_ERROR(read_mesh(dir / "lh.pial"), (dir / "lh.pial").string(), "file not found");
  EXPECT_INPUT_ERROR(read_mesh(dir.path()), "is a directory, not a mesh file");
  const auto empty = write_bytes(dir / "empty.surf.gii", "");
  EXPECT_INPUT_ERROR(read_mesh(empty), empty.string(), "file is empty (0 bytes)");
}
