// FreeSurfer binary surfaces: real files against independent numbers, footers, and every way
// a file can be cut short or corrupted.
#include "spectralbrain/mesh/freesurfer.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/geometry.hpp"
#include "spectralbrain/mesh/read.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
// Layout of a FreeSurfer triangle file held in memory.
struct Layout {
  std::size_t counts, vertices, faces;  // byte offsets
};
Layout layout(const std::string& b) {
  std::size_t p = b.find('\n', 3) + 1;
  if (b[p] == '\n') ++p;
  auto be = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
  };
  return {p, p + 8, p + 8 + 12 * static_cast<std::size_t>(be(p))};
}
void put_u32(std::string& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>(v >> (24 - 8 * i));
}
void put_i32(std::string& b, std::size_t at, std::int32_t v) {
  put_u32(b, at, std::bit_cast<std::uint32_t>(v));
}
void put_f32(std::string& b, std::size_t at, float v) {
  put_u32(b, at, std::bit_cast<std::uint32_t>(v));
}

const std::string pial = mesh_data("fsaverage5/lh.pial").string();
}  // namespace

// Counts, records and area from tests/mesh/independent_truth.py (see tests/data/meshes/SOURCES.md).
TEST(FreeSurfer, ReadsFsaverage5Pial) {
  const TriMesh m = read_freesurfer(pial);
  ASSERT_EQ(m.n_vertices(), 10242u);
  ASSERT_EQ(m.n_faces(), 20480u);
  EXPECT_EQ(m.vertices[0],
            (std::array<double, 3>{-38.735958099365234, -19.343364715576172, 67.22013854980469}));
  EXPECT_EQ(m.vertices.back(),
            (std::array<double, 3>{-34.49119186401367, -25.403905868530273, -24.645116806030273}));
  EXPECT_EQ(m.faces[0], (std::array<std::int32_t, 3>{0, 2564, 2562}));
  EXPECT_EQ(m.faces.back(), (std::array<std::int32_t, 3>{10161, 11, 9918}));
  EXPECT_EQ(euler_characteristic(m), 2);
  EXPECT_NEAR(surface_area(m), 76345.444375, 1e-3);
}

TEST(FreeSurfer, ReadsNibabelWrittenSurfaceWithCustomCreatorLine) {
  const TriMesh m = read_mesh(mesh_data("icbm152_aseg/Left-Accumbens-area.surf"));
  ASSERT_EQ(m.n_vertices(), 882u);
  ASSERT_EQ(m.n_faces(), 1760u);
  EXPECT_EQ(m.vertices[0],
            (std::array<double, 3>{34.260433197021484, 12.875572204589844, 29.69223403930664}));
  EXPECT_EQ(m.faces.back(), (std::array<std::int32_t, 3>{881, 880, 879}));
  EXPECT_EQ(euler_characteristic(m), 2);
  EXPECT_NEAR(surface_area(m), 585.941620, 1e-5);
}

// FreeSurfer appends volume geometry and tags after the faces; none of our real files has
// them, so build one the way FreeSurfer lays it out (tag 2 = old surface geometry, then
// "key = value" lines, then a command-line tag).
TEST(FreeSurfer, IgnoresVolumeInfoFooter) {
  TempDir dir;
  std::string bytes = read_bytes(pial);
  const std::string plain_size = std::to_string(bytes.size());
  std::string footer(12, '\0');
  put_i32(footer, 0, 2);
  put_i32(footer, 4, 0);
  put_i32(footer, 8, 20);
  footer +=
      "valid = 1  # volume info valid\nfilename = ../mri/filled-pretess255.mgz\n"
      "volume = 256 256 256\nvoxelsize = 1.000000000000000e+00 1.000000000000000e+00 "
      "1.000000000000000e+00\nxras   = -1.0 0.0 0.0\nyras   = 0.0 0.0 -1.0\n"
      "zras   = 0.0 1.0 0.0\ncras   = 0.0 0.0 0.0\n";
  std::string tag(12, '\0');
  put_i32(tag, 0, 3);
  put_i32(tag, 4, 0);
  put_i32(tag, 8, 22);
  footer += tag + "mris_make_surfaces ...";
  const auto with_footer = write_bytes(dir / "lh.pial", bytes + footer);
  const TriMesh a = read_mesh(with_footer), b = read_mesh(pial);
  EXPECT_EQ(a.vertices, b.vertices);
  EXPECT_EQ(a.faces, b.faces);
}

// nibabel accepts a header with a single newline after the creator line; so do we.
TEST(FreeSurfer, AcceptsHeaderWithoutBlankLine) {
  TempDir dir;
  std::string bytes = read_bytes(pial);
  const std::size_t nl = bytes.find('\n', 3);
  ASSERT_EQ(bytes[nl + 1], '\n');
  bytes.erase(nl + 1, 1);
  const TriMesh a = read_mesh(write_bytes(dir / "lh.pial", bytes)), b = read_mesh(pial);
  EXPECT_EQ(a.vertices, b.vertices);
  EXPECT_EQ(a.faces, b.faces);
}

TEST(FreeSurfer, TruncatedFilesNameWhereTheyEnd) {
  TempDir dir;
  const std::string bytes = read_bytes(pial);
  const Layout at = layout(bytes);
  const struct {
    std::size_t cut;
    const char* where;
  } cases[] = {
      {2, "magic number"},
      {20, "creator line"},
      {at.counts + 5, "before the vertex and face counts"},
      {at.vertices, "vertex coordinates"},
      {at.vertices + 12 * 5000 + 7, "vertex coordinates"},
      {at.faces + 12 * 100 + 3, "face list"},
      {bytes.size() - 1, "face list"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cut);
    const auto path = write_bytes(dir / "lh.pial", bytes.substr(0, c.cut));
    EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "truncated", c.where);
  }
}

TEST(FreeSurfer, WrongMagicIsRejected) {
  TempDir dir;
  std::string bytes = read_bytes(pial);
  bytes[2] = '\x01';
  const auto path = write_bytes(dir / "lh.pial", bytes);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "header", "wrong magic bytes",
                     "not a FreeSurfer binary triangle surface");
  bytes[2] = '\xFF';  // quadrangle-file magic
  write_bytes(path, bytes);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "quadrangle surface");
}

// A corrupt count must be caught against the file size, not by trying to allocate it.
TEST(FreeSurfer, HugeOrNegativeCountsFailFast) {
  TempDir dir;
  std::string bytes = read_bytes(pial);
  const Layout at = layout(bytes);
  put_u32(bytes, at.counts, 0x7FFFFFFFu);  // 2^31 − 1 vertices: 24 GiB of coordinates
  auto path = write_bytes(dir / "lh.pial", bytes);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "header", "declares 2147483647 vertices",
                     "truncated or its header is corrupt");
  put_u32(bytes, at.counts, 0x80000000u);  // "2^31" reads as −2^31 in the file's int32
  write_bytes(path, bytes);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "header",
                     "vertex count is negative (-2147483648)");
  put_u32(bytes, at.counts, 10242);
  put_u32(bytes, at.counts + 4, 0x7FFFFFFFu);
  write_bytes(path, bytes);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "2147483647 faces", "face list");
}

TEST(FreeSurfer, BadIndicesAndCoordinatesNameTheRecord) {
  TempDir dir;
  const std::string original = read_bytes(pial);
  const Layout at = layout(original);
  const auto path = dir / "lh.pial";

  std::string b = original;
  put_i32(b, at.faces + 12 * 5, -1);
  write_bytes(path, b);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "face 5", "vertex index -1",
                     "out of range [0, 10242)");

  b = original;
  put_i32(b, at.faces + 12 * 123 + 8, 10242);
  write_bytes(path, b);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "face 123", "vertex index 10242",
                     "out of range");

  b = original;
  put_f32(b, at.vertices + 12 * 7 + 4, std::numeric_limits<float>::quiet_NaN());
  write_bytes(path, b);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "vertex 7", "coordinate y", "not finite");

  b = original;
  put_i32(b, at.faces + 12 * 9 + 4, 42);
  put_i32(b, at.faces + 12 * 9 + 8, 42);
  write_bytes(path, b);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "face 9", "repeats a vertex", "42 42");
}

TEST(FreeSurfer, HeaderWithNoFacesIsRejectedByValidation) {
  TempDir dir;
  std::string bytes = read_bytes(pial);
  const Layout at = layout(bytes);
  put_u32(bytes, at.counts + 4, 0);
  const auto path = write_bytes(dir / "lh.pial", bytes.substr(0, at.faces));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "no faces");
}
