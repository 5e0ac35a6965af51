// OFF: round trip of a generated mesh, the format's permitted forms, and malformed files.
#include "spectralbrain/mesh/off.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/geometry.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
// OFF text of a mesh, coordinates with 17 significant digits (exact for doubles).
std::string to_off(const TriMesh& m) {
  std::string s = "OFF\n# written by off_test\n" + std::to_string(m.n_vertices()) + " " +
                  std::to_string(m.n_faces()) + " 0\n";
  char line[128];
  for (const auto& v : m.vertices) {
    std::snprintf(line, sizeof line, "%.17g %.17g %.17g\n", v[0], v[1], v[2]);
    s += line;
  }
  for (const auto& f : m.faces)
    s += "3 " + std::to_string(f[0]) + " " + std::to_string(f[1]) + " " + std::to_string(f[2]) +
         "\n";
  return s;
}

// The unit cube as six quads, with comments, blank lines, CRLF ends and a coloured face.
const std::string cube =
    "OFF\r\n"
    "# unit cube\r\n"
    "8 6 12\r\n"
    "\r\n"
    "0 0 0\r\n1 0 0\r\n1 1 0\r\n0 1 0   # vertex 3\r\n"
    "0 0 1\r\n1 0 1\r\n1 1 1\r\n0 1 1\r\n"
    "4 0 3 2 1\r\n4 4 5 6 7\r\n4 0 1 5 4\r\n4 1 2 6 5 255 0 0\r\n4 2 3 7 6\r\n4 3 0 4 7\r\n";
}  // namespace

TEST(Off, RoundTripOfAGeneratedMesh) {
  TempDir dir;
  const TriMesh original = icosphere(2);
  const TriMesh read = read_mesh(write_bytes(dir / "sphere.off", to_off(original)));
  EXPECT_EQ(read.vertices, original.vertices);
  EXPECT_EQ(read.faces, original.faces);
  EXPECT_EQ(euler_characteristic(read), 2);
}

TEST(Off, QuadsAreFanTriangulated) {
  TempDir dir;
  const TriMesh m = read_mesh(write_bytes(dir / "cube.off", cube));
  ASSERT_EQ(m.n_vertices(), 8u);
  ASSERT_EQ(m.n_faces(), 12u);  // each quad (a b c d) → (a b c), (a c d), in file order
  EXPECT_EQ(m.faces[0], (std::array<std::int32_t, 3>{0, 3, 2}));
  EXPECT_EQ(m.faces[1], (std::array<std::int32_t, 3>{0, 2, 1}));
  EXPECT_EQ(m.faces[7], (std::array<std::int32_t, 3>{1, 6, 5}));
  EXPECT_NEAR(surface_area(m), 6.0, 1e-14);
  EXPECT_EQ(euler_characteristic(m), 2);
}

TEST(Off, CountsOnTheHeaderLineAndGluedToIt) {
  const std::string body = "0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n";
  for (const std::string header :
       {"OFF 3 1 0\n", "OFF3 1 0\n", "OFF\n3 1\n", "# c\nOFF\n3 1 3\n"}) {
    SCOPED_TRACE(header);
    const TriMesh m = parse_off(header + body, "tri.off");
    EXPECT_EQ(m.n_vertices(), 3u);
    EXPECT_EQ(m.n_faces(), 1u);
  }
}

TEST(Off, MalformedFilesNameTheLineAndProblem) {
  TempDir dir;
  // Eight vertex lines of 27 bytes: long enough that a file cut after them passes the
  // quick size check and the reader meets the end of file itself.
  std::string long_vertices;
  for (int i = 0; i < 8; ++i)
    long_vertices += "0.000000 0.000000 0.00000" + std::to_string(i) + "\n";
  ASSERT_EQ(long_vertices.size(), 8u * 27);
  const auto path = dir / "bad.off";
  const struct {
    std::string text;
    std::vector<std::string> words;
  } cases[] = {
      {"OFF\n", {"end of file", "truncated", "counts line"}},
      {"OFF\n8 6 0\n" + long_vertices.substr(0, 5 * 27),
       {"end of file", "truncated", "ends after 5 of 8 vertex lines"}},
      {"OFF\n8 6 0\n" + long_vertices + "4 0 3 2 1\n",
       {"end of file", "truncated", "ends after 1 of 6 face lines"}},
      {"OFF\n4 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n",
       {"line 6", "vertex 3", "expected 3 coordinates 'x y z', found 4 values"}},
      {"OFF\n40 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n",
       {"line 2", "40 vertices and 1 faces", "truncated or the counts are wrong"}},
      {"OFF\n2147483647 1 0\n0 0 0\n",
       {"2147483647 vertices", "truncated or the counts are wrong"}},
      {"OFF\n3000000000 1 0\n", {"line 2", "vertex count", "not an integer in [0, 2^31-1]"}},
      {"OFF\n-3 1 0\n", {"line 2", "vertex count '-3'"}},
      {"OFF\n3 1 0 7\n", {"line 2", "expected the counts line", "found 4 values"}},
      {"PLY\n3 1 0\n", {"line 1", "not an OFF file", "expected the keyword 'OFF'", "'PLY'"}},
      {"COFF\n3 1 0\n", {"line 1", "OFF variant 'COFF' is not supported"}},
      {"OFF BINARY\n", {"binary OFF is not supported"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 x\n0 1 0\n3 0 1 2\n",
       {"line 4", "vertex 1", "coordinate 'x' is not a number"}},
      {"OFF\n3 1 0\n0 0 0\n1 0\n0 1 0\n3 0 1 2\n", {"line 4", "found 2 values"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n", {"line 6", "face 0", "at least 3"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n4 0 1 2\n",
       {"line 6", "face 0", "declares 4 vertices but lists 3"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 3\n",
       {"line 6", "face 0", "vertex index 3 is out of range [0, 3)"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 -1 2\n", {"line 6", "vertex index -1"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1.5 2\n", {"line 6", "'1.5' is not an integer"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 2 2\n", {"line 6", "face 0", "repeats vertex 2"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n3 0 2 1\n",
       {"line 7", "unexpected content after the 1 declared faces", "counts on line 2"}},
      {"OFF\n3 1 0\n0 0 0\n1 0 0\n0 nan 0\n3 0 1 2\n", {"vertex 2", "coordinate y", "not finite"}},
      {"OFF\n3 0 0\n0 0 0\n1 0 0\n0 1 0\n", {"header", "no faces"}},
      {"# only a comment\n\n", {"no OFF header"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    write_bytes(path, c.text);
    try {
      read_mesh(path);
      ADD_FAILURE() << "no exception";
    } catch (const spectralbrain::core::InputError& e) {
      const std::string what = e.what();
      if (std::getenv("SB_SHOW_ERRORS")) std::printf("  InputError: %s\n", what.c_str());
      EXPECT_NE(what.find(path.string()), std::string::npos) << what;
      for (const auto& w : c.words)
        EXPECT_NE(what.find(w), std::string::npos) << w << " | " << what;
    }
  }
}

TEST(Off, BinaryJunkWithOffNameIsRejected) {
  TempDir dir;
  std::string junk(2000, '\0');
  for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 31 + 7) % 256);
  const auto path = write_bytes(dir / "junk.off", junk);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "line 1", "not an OFF file");
}
