// Writers: each format round-trips through its reader (OFF and PLY exactly in double, GIFTI
// to float32), write_mesh picks the writer by extension, and a failed write leaves nothing.
#include "spectralbrain/mesh/write.hpp"

#include <gtest/gtest.h>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/gifti.hpp"
#include "spectralbrain/mesh/off.hpp"
#include "spectralbrain/mesh/ply.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}
}  // namespace

TEST(Write, OffAndPlyRoundTripDoublesExactly) {
  TempDir dir;
  TriMesh m = icosphere(3);
  m.vertices[5][0] = 1.0 / 3.0;  // needs all 17 digits
  m.vertices[6][1] = -1e-300;
  for (const char* name : {"sphere.off", "sphere.ply", "SPHERE.PLY"}) {
    SCOPED_TRACE(name);
    write_mesh(m, dir / name);
    const TriMesh back = read_mesh(dir / name);
    EXPECT_EQ(back.vertices, m.vertices);
    EXPECT_EQ(back.faces, m.faces);
  }
}

TEST(Write, GiftiRoundTripsRealFloat32MeshesExactly) {
  TempDir dir;
  for (const char* source : {"fsaverage5/lh.pial", "cit168/CIT168.mz3"}) {
    SCOPED_TRACE(source);
    const TriMesh m = read_mesh(mesh_data(source));
    write_mesh(m, dir / "out.surf.gii");
    const TriMesh back = read_gifti(dir / "out.surf.gii");
    EXPECT_EQ(back.vertices, m.vertices);  // float32 sources: exact
    EXPECT_EQ(back.faces, m.faces);
    // and through the other writers too
    write_ply(back, dir / "out.ply");
    write_off(back, dir / "out.off");
    EXPECT_EQ(read_mesh(dir / "out.ply").vertices, m.vertices);
    EXPECT_EQ(read_mesh(dir / "out.off").faces, m.faces);
  }
}

TEST(Write, GiftiRoundsDoublesToFloat32) {
  TempDir dir;
  const TriMesh m = icosphere(1);
  write_gifti(m, dir / "s.surf.gii");
  const TriMesh back = read_mesh(dir / "s.surf.gii");
  ASSERT_EQ(back.n_vertices(), m.n_vertices());
  for (std::size_t i = 0; i < m.n_vertices(); ++i)
    for (int a = 0; a < 3; ++a)
      EXPECT_EQ(back.vertices[i][a], static_cast<double>(static_cast<float>(m.vertices[i][a])));
  EXPECT_EQ(back.faces, m.faces);
}

TEST(Write, ReplacesAnExistingFileAndLeavesNoTemporaryFile) {
  TempDir dir;
  write_bytes(dir / "m.off", "old content");
  write_mesh(icosphere(0), dir / "m.off");
  EXPECT_EQ(read_mesh(dir / "m.off").n_vertices(), 12u);
  write_mesh(icosphere(0), dir / "m.surf.gii");
  EXPECT_EQ(files_in(dir.path()), 2u);
}

TEST(Write, FailuresNameTheFileAndWriteNothing) {
  TempDir dir;
  const TriMesh m = icosphere(0);
  EXPECT_INPUT_ERROR(write_mesh(m, dir / "m.stl"), "m.stl", "use .off, .ply or .gii");
  for (const char* name : {"missing/m.off", "missing/m.ply", "missing/m.surf.gii"}) {
    SCOPED_TRACE(name);
    EXPECT_INPUT_ERROR(write_mesh(m, dir / name), (dir / name).string());
  }
  EXPECT_EQ(files_in(dir.path()), 0u);
}
