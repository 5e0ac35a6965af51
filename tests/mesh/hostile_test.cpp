// The hostile-input suite: files generated here for every reader and every way a file goes
// wrong (truncated, wrong magic, counts of 2^31, negative or out-of-range indices, NaN/Inf
// coordinates, empty meshes, faces repeating a vertex, binary junk, decompression bombs).
// Each must give one core::InputError whose one-line message names the file and the
// problem, and reading must leave nothing behind in the folder.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "hostile_cases.hpp"
#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/read.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

TEST(HostileInput, EveryFileGivesOneClearLineAndWritesNothing) {
  const auto cases = hostile_cases();
  ASSERT_GE(cases.size(), 40u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    const fs::path path = write_bytes(dir / c.name, c.bytes);
    try {
      (void)read_mesh(path);
      ADD_FAILURE() << "no exception for " << c.name;
    } catch (const spectralbrain::core::InputError& e) {
      const std::string what = e.what();
      if (std::getenv("SB_SHOW_ERRORS")) std::printf("  %s\n", what.c_str());
      EXPECT_EQ(e.file(), path.string());
      EXPECT_TRUE(what.starts_with(path.string() + ": ")) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << "not one line: " << what;
      EXPECT_LT(what.size(), 600u) << what;
      for (const auto& w : c.words)
        EXPECT_NE(what.find(w), std::string::npos) << "missing \"" << w << "\" in: " << what;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "expected core::InputError, got: " << e.what();
    }
    std::size_t n_files = 0;
    for (const auto& entry : fs::directory_iterator(dir.path())) {
      (void)entry;
      ++n_files;
    }
    EXPECT_EQ(n_files, 1u) << "reading left files behind";
  }
}

// The hostile files cover every reader.
TEST(HostileInput, CoversEveryFormat) {
  std::set<std::string> extensions;
  for (const auto& c : hostile_cases()) extensions.insert(fs::path(c.name).extension().string());
  for (const char* e : {".obj", ".ply", ".vtk", ".mz3", ".asc", ".gii", ".off"})
    EXPECT_TRUE(extensions.count(e)) << e;
}
