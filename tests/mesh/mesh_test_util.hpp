// Helpers for the mesh reader tests: a private temporary directory, file writing, the error
// check every hostile-input test uses, and topology counts.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>
#include <utility>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh::testing {

namespace fs = std::filesystem;

/// tests/data/meshes in the source tree.
inline fs::path mesh_data(const std::string& relative) {
  return fs::path(SB_TEST_DATA_DIR) / "meshes" / relative;
}

/// A directory of its own under the system temp directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("sb_mesh_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline fs::path write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

/// Runs `f`, which must throw core::InputError whose what() contains every one of `words`.
template <class F>
void expect_input_error(F&& f, std::initializer_list<std::string> words) {
  try {
    f();
    ADD_FAILURE() << "no exception was thrown";
  } catch (const core::InputError& e) {
    const std::string what = e.what();
    if (std::getenv("SB_SHOW_ERRORS")) std::printf("  InputError: %s\n", what.c_str());
    for (const auto& w : words)
      EXPECT_NE(what.find(w), std::string::npos) << "missing \"" << w << "\" in: " << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected core::InputError, got: " << e.what();
  }
}

/// EXPECT_INPUT_ERROR(read_mesh(p), "file name", "problem words", ...)
#define EXPECT_INPUT_ERROR(statement, ...)                                                         \
  do {                                                                                             \
    SCOPED_TRACE(#statement);                                                                      \
    ::spectralbrain::mesh::testing::expect_input_error([&] { (void)(statement); }, {__VA_ARGS__}); \
  } while (0)

/// Number of distinct undirected edges.
inline std::size_t n_edges(const TriMesh& m) {
  std::set<std::pair<int, int>> edges;
  for (const auto& f : m.faces)
    for (int k = 0; k < 3; ++k) {
      const int a = f[k], b = f[(k + 1) % 3];
      edges.emplace(std::min(a, b), std::max(a, b));
    }
  return edges.size();
}

/// V − E + F: 2 for a closed sphere-like surface, 1 for a disc.
inline long euler_characteristic(const TriMesh& m) {
  return static_cast<long>(m.n_vertices()) - static_cast<long>(n_edges(m)) +
         static_cast<long>(m.n_faces());
}

}  // namespace spectralbrain::mesh::testing
