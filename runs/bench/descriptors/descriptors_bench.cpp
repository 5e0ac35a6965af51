// Descriptor kernel benchmark (not a test): synthetic eigenpairs of a given size, each
// per-vertex descriptor timed, and the memory it adds over its input measured as the growth
// of the process's peak resident set (VmHWM). Run one process per block size: peak memory
// only ever grows within a process.
//
//   descriptors_bench N K T BLOCK_ROWS      e.g. 163842 300 100 4096
//
// Prints one line per descriptor: "name seconds peak_added_MiB output_MiB".
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "spectralbrain/descriptors/gps.hpp"
#include "spectralbrain/descriptors/hks.hpp"
#include "spectralbrain/descriptors/si_hks.hpp"
#include "spectralbrain/descriptors/wks.hpp"

namespace d = spectralbrain::descriptors;

namespace {

// Peak resident set of this process so far, MiB (Linux /proc).
double peak_mib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  double kib = 0;
  while (status >> key)
    if (key == "VmHWM:") {
      status >> kib;
      break;
    }
  return kib / 1024;
}

template <class F>
void measure(const char* name, F&& compute, double baseline) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<double> out = compute();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%-7s %8.3f s  peak +%7.1f MiB over the eigenpairs  (output %7.1f MiB)\n", name,
              seconds, peak_mib() - baseline, out.size() * 8.0 / (1 << 20));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  if (argc != 5) {
    std::fprintf(stderr, "usage: descriptors_bench N K T BLOCK_ROWS\n");
    return 2;
  }
  const std::int64_t n = std::atoll(argv[1]), k = std::atoll(argv[2]), t = std::atoll(argv[3]),
                     block = std::atoll(argv[4]);
  spectralbrain::spectral::Eigenpairs e;
  e.n_rows_global = e.n_rows_local = n;
  e.values.resize(static_cast<std::size_t>(k));
  e.residuals.assign(static_cast<std::size_t>(k), 0.0);
  for (std::int64_t i = 0; i < k; ++i)  // a brain-like spectrum in mm⁻² (Weyl: λ_i ~ 4πi/A)
    e.values[static_cast<std::size_t>(i)] = i == 0 ? 1e-17 : 1.6e-4 * static_cast<double>(i);
  e.vectors.resize(static_cast<std::size_t>(n * k));
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(0.0, 1.0 / std::sqrt(static_cast<double>(n)));
  for (auto& v : e.vectors) v = normal(rng);
  const double baseline = peak_mib();
  std::printf(
      "N = %lld, k = %lld, T = E = %lld, block_rows = %lld: eigenvectors %.1f MiB, "
      "BLAS scratch block_rows*(k+T) doubles = %.1f MiB\n",
      static_cast<long long>(n), static_cast<long long>(k), static_cast<long long>(t),
      static_cast<long long>(block), n * k * 8.0 / (1 << 20), block * (k + t) * 8.0 / (1 << 20));

  d::HksOptions hks;
  hks.n_times = static_cast<int>(t);
  const auto times = d::hks_times(e.values, hks);
  d::WksOptions wks;
  wks.n_energies = static_cast<int>(t);
  const auto grid = d::wks_grid(e.values, wks);
  measure(
      "hks", [&] { return d::hks(e, times, d::HksScaling::none, block); }, baseline);
  measure(
      "wks", [&] { return d::wks(e, grid, d::WksNormalization::paper, block); }, baseline);
  measure(
      "si-hks", [&] { return d::si_hks(e, {}, block); }, baseline);
  measure(
      "gps", [&] { return d::gps(e); }, baseline);
  MPI_Finalize();
  return 0;
}
