// libFuzzer entry points for the mesh readers. Each target parses arbitrary bytes; the only
// acceptable outcomes are a mesh (which is then validated and analysed) or core::InputError.
// Anything else — a crash, a sanitizer report, another exception, a hang or an oversized
// allocation (-malloc_limit_mb) — is a finding. Which reader a binary fuzzes is chosen at
// compile time (SB_FUZZ_<name>, see CMakeLists.txt).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/mesh/clean.hpp"
#include "spectralbrain/mesh/freesurfer.hpp"
#include "spectralbrain/mesh/freesurfer_ascii.hpp"
#include "spectralbrain/mesh/gifti.hpp"
#include "spectralbrain/mesh/mz3.hpp"
#include "spectralbrain/mesh/obj.hpp"
#include "spectralbrain/mesh/off.hpp"
#include "spectralbrain/mesh/ply.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/report.hpp"
#include "spectralbrain/mesh/validate.hpp"
#include "spectralbrain/mesh/vtk.hpp"

namespace sbm = spectralbrain::mesh;

namespace {
// Readers that take a path get the bytes through a file of their own in /dev/shm (or /tmp).
[[maybe_unused]] std::filesystem::path scratch_file(const char* name) {
  const std::filesystem::path dir =
      std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  return dir / ("sb_fuzz_" + std::to_string(::getpid()) + "_" + name);
}
[[maybe_unused]] void write(const std::filesystem::path& p, std::string_view bytes) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  if (!f) std::abort();
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

void exercise(sbm::TriMesh mesh) {
  sbm::validate_mesh(mesh, "fuzz");
  const sbm::MeshReport r = sbm::analyse(mesh);
  (void)sbm::report_json(r, "fuzz");
  (void)sbm::keep_largest_component(mesh);
  (void)sbm::orient_outward(mesh);
}

sbm::TriMesh parse(std::string_view bytes) {
#if defined(SB_FUZZ_freesurfer)
  return sbm::parse_freesurfer(bytes, "fuzz");
#elif defined(SB_FUZZ_freesurfer_ascii)
  return sbm::parse_freesurfer_ascii(bytes, "fuzz");
#elif defined(SB_FUZZ_off)
  return sbm::parse_off(bytes, "fuzz");
#elif defined(SB_FUZZ_obj)
  return sbm::parse_obj(bytes, "fuzz");
#elif defined(SB_FUZZ_ply)
  return sbm::parse_ply(bytes, "fuzz");
#elif defined(SB_FUZZ_vtk)
  return sbm::parse_vtk(bytes, "fuzz");
#elif defined(SB_FUZZ_mz3)
  return sbm::parse_mz3(bytes, "fuzz");
#elif defined(SB_FUZZ_gifti)
  static const auto path = scratch_file("mesh.gii");
  write(path, bytes);
  return sbm::read_gifti(path);
#elif defined(SB_FUZZ_read_mesh)
  // Detection by content (the name gives no hint), then whichever reader it picks.
  static const auto path = scratch_file("mesh.bin");
  write(path, bytes);
  return sbm::read_mesh(path);
#else
#error "define SB_FUZZ_<target>"
#endif
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    exercise(parse(bytes));
  } catch (const spectralbrain::core::InputError&) {
    // The expected outcome for bad input.
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception (not InputError): %s\n", e.what());
    std::abort();
  }
  return 0;
}
