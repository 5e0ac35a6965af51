// No reader allocates much more than the file it reads: every hostile file (whose header may
// claim 2^31 records) and every real test mesh is read while the largest single allocation
// made through operator new is recorded. The bound is a small multiple of the file size plus
// a fixed allowance for buffers (64 KiB); gzip data may expand up to the MZ3 reader's
// documented 256-fold limit. gifticlib's and expat's own malloc calls are not seen here (the
// GIFTI reader bounds them by checking Dim against the file size before gifticlib decodes).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "hostile_cases.hpp"
#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/report.hpp"

namespace {
std::atomic<bool> recording{false};
std::atomic<std::size_t> largest{0};

void* allocate(std::size_t n) {
  if (recording.load(std::memory_order_relaxed)) {
    std::size_t seen = largest.load(std::memory_order_relaxed);
    while (n > seen && !largest.compare_exchange_weak(seen, n)) {
    }
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

// Replacements of the global allocation functions for this test binary only.
void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
// Largest single allocation while reading (and, if it reads, analysing) the file.
std::size_t largest_allocation(const fs::path& path) {
  largest = 0;
  recording = true;
  try {
    (void)analyse(read_mesh(path));
  } catch (const spectralbrain::core::InputError&) {
  }
  recording = false;
  return largest;
}
}  // namespace

TEST(Allocation, HostileFilesAllocateASmallMultipleOfTheirSize) {
  TempDir dir;
  for (const auto& c : hostile_cases()) {
    SCOPED_TRACE(c.name);
    const fs::path path = write_bytes(dir / c.name, c.bytes);
    const std::size_t factor = c.name.ends_with(".mz3") ? 256 : 16;
    EXPECT_LE(largest_allocation(path), factor * c.bytes.size() + 65536);
  }
}

TEST(Allocation, RealMeshesAllocateASmallMultipleOfTheirSize) {
  for (const char* file :
       {"fsaverage5/lh.pial", "cit168/CIT168.mz3", "icbm152_aseg/Left-Accumbens-area.surf"}) {
    SCOPED_TRACE(file);
    const auto size = fs::file_size(mesh_data(file));
    const std::size_t factor = std::string(file).ends_with(".mz3") ? 256 : 16;
    const std::size_t seen = largest_allocation(mesh_data(file));
    EXPECT_LE(seen, factor * size + 65536);
    std::printf("  %s: %zu bytes, largest allocation %zu (%.1fx)\n", file,
                static_cast<std::size_t>(size), seen, static_cast<double>(seen) / size);
  }
}
