// Replays every fuzzing seed (tests/fuzz/corpus/<target>/) and every input that ever made a
// fuzz target fail (tests/fuzz/crashes/) through every parser and read_mesh: each must give
// a mesh (which then validates, analyses and cleans) or core::InputError — never a crash or
// another exception.
#include <gtest/gtest.h>

#include <functional>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/clean.hpp"
#include "spectralbrain/mesh/freesurfer.hpp"
#include "spectralbrain/mesh/freesurfer_ascii.hpp"
#include "spectralbrain/mesh/mz3.hpp"
#include "spectralbrain/mesh/obj.hpp"
#include "spectralbrain/mesh/off.hpp"
#include "spectralbrain/mesh/ply.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/report.hpp"
#include "spectralbrain/mesh/validate.hpp"
#include "spectralbrain/mesh/vtk.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
using Parser = std::function<TriMesh(std::string_view, const std::string&)>;

void exercise(TriMesh m) {
  validate_mesh(m, "replay");
  (void)report_json(analyse(m), "replay");
  (void)keep_largest_component(m);
  (void)orient_outward(m);
}

std::vector<fs::path> inputs() {
  std::vector<fs::path> files;
  for (const char* d : {"fuzz/corpus", "fuzz/crashes"}) {
    const fs::path root = fs::path(SB_TEST_SOURCE_DIR) / d;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().filename() != "README.md") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST(FuzzRegression, EveryCorpusAndCrashFileGivesAMeshOrInputError) {
  const std::vector<std::pair<const char*, Parser>> parsers = {
      {"freesurfer", parse_freesurfer},
      {"freesurfer_ascii", parse_freesurfer_ascii},
      {"off", parse_off},
      {"obj", parse_obj},
      {"ply", parse_ply},
      {"vtk", parse_vtk},
      {"mz3", parse_mz3},
  };
  const auto files = inputs();
  ASSERT_GE(files.size(), 30u) << "the seed corpus is missing";
  std::size_t n_meshes = 0;
  TempDir dir;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const std::string bytes = read_bytes(file);
    for (const auto& [name, parse] : parsers) {
      SCOPED_TRACE(name);
      try {
        exercise(parse(bytes, file.string()));
        ++n_meshes;
      } catch (const spectralbrain::core::InputError&) {
      } catch (const std::exception& e) {
        ADD_FAILURE() << "not an InputError: " << e.what();
      }
    }
    // read_mesh, by content only (the name gives no hint), covers GIFTI too.
    try {
      exercise(read_mesh(write_bytes(dir / "replay.bin", bytes)));
      ++n_meshes;
    } catch (const spectralbrain::core::InputError&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << "read_mesh: not an InputError: " << e.what();
    }
  }
  EXPECT_GT(n_meshes, files.size() / 2);  // the seeds are valid meshes of their own format
}
