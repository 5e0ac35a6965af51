// OBJ, PLY, VTK, MZ3 and FreeSurfer ASCII on real meshes: each real mesh is converted by an
// independent Python writer (tests/mesh/convert_meshes.py) to every format, and each
// conversion must read back to exactly the mesh read from the original. Plus the forms each
// format permits that the conversions do not show.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/format.hpp"
#include "spectralbrain/mesh/freesurfer_ascii.hpp"
#include "spectralbrain/mesh/geometry.hpp"
#include "spectralbrain/mesh/mz3.hpp"
#include "spectralbrain/mesh/obj.hpp"
#include "spectralbrain/mesh/ply.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/vtk.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
using Face = std::array<std::int32_t, 3>;

void convert(const fs::path& source, const fs::path& out) {
  const std::string command = "/usr/bin/python3 " + std::string(SB_TEST_SOURCE_DIR) +
                              "/mesh/convert_meshes.py '" + source.string() + "' '" + out.string() +
                              "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

void expect_same(const TriMesh& a, const TriMesh& b) {
  ASSERT_EQ(a.n_vertices(), b.n_vertices());
  ASSERT_EQ(a.n_faces(), b.n_faces());
  EXPECT_EQ(a.vertices, b.vertices);
  EXPECT_EQ(a.faces, b.faces);
}
}  // namespace

// Counts and area from tests/mesh/independent_truth.py (see tests/data/meshes/SOURCES.md).
TEST(Mz3, ReadsRealGzipCompressedFiles) {
  const TriMesh cit = read_mesh(mesh_data("cit168/CIT168.mz3"));
  ASSERT_EQ(cit.n_vertices(), 28141u);
  ASSERT_EQ(cit.n_faces(), 56158u);
  EXPECT_EQ(cit.vertices[0],
            (std::array<double, 3>{-29.000001907348633, -11.200004577636719, -11.220244407653809}));
  EXPECT_EQ(cit.faces[0], (Face{1, 0, 3}));
  EXPECT_EQ(cit.faces.back(), (Face{28124, 28128, 28129}));
  EXPECT_EQ(euler_characteristic(cit), 62);
  EXPECT_NEAR(surface_area(cit), 13408.822323, 1e-4);

  const TriMesh icbm = read_mesh(mesh_data("icbm152/BrainMesh_ICBM152.lh.mz3"));
  ASSERT_EQ(icbm.n_vertices(), 40962u);
  ASSERT_EQ(icbm.n_faces(), 81920u);
  EXPECT_EQ(icbm.faces[0], (Face{0, 15472, 16483}));
  EXPECT_EQ(icbm.vertices.back(),
            (std::array<double, 3>{-13.32409954071045, -57.93870162963867, 20.0492000579834}));
  EXPECT_EQ(euler_characteristic(icbm), 2);
  EXPECT_NEAR(surface_area(icbm), 74731.364822, 1e-3);
  EXPECT_EQ(detect_format(mesh_data("cit168/CIT168.mz3")), MeshFormat::mz3);
}

// Every format, written independently from real meshes of each kind: FreeSurfer binary
// without footer, GIFTI (open sheet, with zero-area triangles, non-manifold), MZ3.
TEST(Formats, IndependentConversionsOfRealMeshesReadBackExactly) {
  const char* sources[] = {
      "fsaverage5/lh.pial",
      "icbm152_aseg/Left-Accumbens-area.surf",
      "hippocampus/tpl-avg_space-canonical_den-0p5mm_label-hipp_midthickness.surf.gii",
      "enigma_subcortex/sctx_lh.surf.gii",
      "cit168/CIT168.mz3",
  };
  const struct {
    const char* file;
    MeshFormat format;
  } outputs[] = {
      {"mesh.obj", MeshFormat::obj},
      {"mesh.off", MeshFormat::off},
      {"mesh.asc", MeshFormat::freesurfer_ascii},
      {"mesh.mz3", MeshFormat::mz3},
      {"mesh.raw.mz3", MeshFormat::mz3},
      {"mesh.ascii.ply", MeshFormat::ply},
      {"mesh.le.ply", MeshFormat::ply},
      {"mesh.be.ply", MeshFormat::ply},
      {"mesh.lapy.vtk", MeshFormat::vtk},
      {"mesh.binary.vtk", MeshFormat::vtk},
      {"mesh.v51.vtk", MeshFormat::vtk},
  };
  for (const char* source : sources) {
    SCOPED_TRACE(source);
    TempDir dir;
    convert(mesh_data(source), dir.path());
    const TriMesh original = read_mesh(mesh_data(source));
    for (const auto& out : outputs) {
      SCOPED_TRACE(out.file);
      EXPECT_EQ(detect_format(dir / out.file), out.format);
      expect_same(read_mesh(dir / out.file), original);
    }
  }
}

TEST(Obj, CornerFormsRelativeIndicesPolygonsAndIgnoredStatements) {
  const std::string text =
      "# unit square as a quad and a triangle fan\n"
      "mtllib m.mtl\no sq\nv 0 0 0\nv 1 0 0 1.0\nv 1 1 0 0.5 0.5 0.5\nv 0 1 0\n"
      "vt 0 0\nvn 0 0 1\ng a\nusemtl x\ns 1\n"
      "f 1/1/1 2//1 3/1 4\n"  // quad → (1 2 3), (1 3 4)
      "f -4 -3 -1\n"          // relative: vertices 1 2 4
      "l 1 2\np 3\n";
  const TriMesh m = parse_obj(text, "square.obj");
  ASSERT_EQ(m.n_vertices(), 4u);
  ASSERT_EQ(m.n_faces(), 3u);
  EXPECT_EQ(m.faces[0], (Face{0, 1, 2}));
  EXPECT_EQ(m.faces[1], (Face{0, 2, 3}));
  EXPECT_EQ(m.faces[2], (Face{0, 1, 3}));
  EXPECT_EQ(m.vertices[2], (std::array<double, 3>{1, 1, 0}));
}

TEST(Obj, FacesMayReferToVerticesDefinedLater) {
  const TriMesh m = parse_obj("f 1 2 3\nv 0 0 0\nv 1 0 0\nv 0 1 0\n", "late.obj");
  EXPECT_EQ(m.n_faces(), 1u);
}

TEST(Ply, OtherElementsBeforeTheVerticesAndListsInThemAreReadPast) {
  // A "material" element with a list precedes the vertices; the face element has an extra
  // list ("texcoord") before the indices; ushort list counts and uint indices.
  std::string header =
      "ply\r\nformat ascii 1.0\r\nobj_info made by hand\r\nelement material 2\r\n"
      "property list uchar float rgb\r\nelement vertex 3\r\nproperty double nx\r\n"
      "property double z\r\nproperty double y\r\nproperty double x\r\nelement face 1\r\n"
      "property list uchar float texcoord\r\nproperty list ushort uint vertex_index\r\n"
      "end_header\r\n";
  const std::string body =
      "3 1 0 0\n0\n"
      "9 3 2 1\n9 6 5 4\n9 9 8 7\n"
      "2 0.5 0.5 3 0 1 2\n";
  const TriMesh m = parse_ply(header + body, "order.ply");
  ASSERT_EQ(m.n_vertices(), 3u);
  EXPECT_EQ(m.vertices[0], (std::array<double, 3>{1, 2, 3}));
  EXPECT_EQ(m.vertices[2], (std::array<double, 3>{7, 8, 9}));
  EXPECT_EQ(m.faces, (std::vector<Face>{{0, 1, 2}}));
}

TEST(Ply, QuadsAreFanTriangulated) {
  const std::string text =
      "ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\nproperty float y\n"
      "property float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
      "0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n";
  const TriMesh m = parse_ply(text, "quad.ply");
  EXPECT_EQ(m.faces, (std::vector<Face>{{0, 1, 2}, {0, 2, 3}}));
  EXPECT_NEAR(surface_area(m), 1.0, 1e-15);
}

TEST(Vtk, VerticesAndLinesSectionsAreSkippedAndPolygonsSplit) {
  const std::string text =
      "# vtk DataFile Version 4.2\nmixed cells\nASCII\n\nDATASET POLYDATA\n"
      "POINTS 4 double\n0 0 0 1 0 0\n1 1 0 0 1 0\n"
      "VERTICES 1 2\n1 0\nLINES 1 3\n2 0 1\nPOLYGONS 1 5\n4 0 1 2 3\n"
      "CELL_DATA 1\nSCALARS c int 1\nLOOKUP_TABLE default\n7\n";
  const TriMesh m = parse_vtk(text, "mixed.vtk");
  ASSERT_EQ(m.n_vertices(), 4u);
  EXPECT_EQ(m.faces, (std::vector<Face>{{0, 1, 2}, {0, 2, 3}}));
}

TEST(FreeSurferAscii, FlagsAreOptional) {
  const TriMesh m =
      parse_freesurfer_ascii("#!ascii version of x\n3 1\n0 0 0\n1 0 0 0\n0 1 0\n0 1 2\n", "x.asc");
  EXPECT_EQ(m.n_vertices(), 3u);
  EXPECT_EQ(m.faces, (std::vector<Face>{{0, 1, 2}}));
}

TEST(Mz3, RawFileWithSkipBytesColoursAndScalars) {
  // Header, 4 skipped bytes, 1 face, 3 vertices, RGBA colours and scalars (ignored).
  std::string b = {'M', 'Z', 15, 0, 1, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0};
  b += std::string(4, 'x');
  for (const std::int32_t i : {0, 1, 2})
    for (int k = 0; k < 4; ++k) b += static_cast<char>((i >> (8 * k)) & 0xFF);
  for (const float x : {0.f, 0.f, 0.f, 1.f, 0.f, 0.f, 0.f, 2.f, 0.f}) {
    char c[4];
    std::memcpy(c, &x, 4);  // little-endian host (x86-64, as the CI)
    b.append(c, 4);
  }
  b += std::string(3 * 4 + 3 * 4, '\x01');
  const TriMesh m = parse_mz3(b, "raw.mz3");
  EXPECT_EQ(m.faces, (std::vector<Face>{{0, 1, 2}}));
  EXPECT_EQ(m.vertices[2], (std::array<double, 3>{0, 2, 0}));
}
