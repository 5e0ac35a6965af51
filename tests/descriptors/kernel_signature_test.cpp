// The blocked BLAS kernel: equal to the plain product for every block size, and per-vertex
// descriptors bitwise identical whatever the split of rows over ranks (run at 1 and 2 ranks).
#include <gtest/gtest.h>

#include <random>

#include "descriptor_test_support.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/gps.hpp"
#include "spectralbrain/descriptors/hks.hpp"
#include "spectralbrain/descriptors/kernel_signature.hpp"
#include "spectralbrain/descriptors/si_hks.hpp"
#include "spectralbrain/descriptors/spectrum.hpp"
#include "spectralbrain/descriptors/wks.hpp"

using namespace spectralbrain;
using namespace descriptor_test;

namespace {

// Number of entries that differ in any bit (gtest would print whole vectors).
std::size_t n_different(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return std::max(a.size(), b.size());
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

std::vector<double> random_values(std::size_t n, unsigned seed, double lo, double hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

std::vector<double> ascending_spectrum(std::size_t k) {
  std::vector<double> v(k);
  v[0] = 3e-15;  // a computed zero
  for (std::size_t i = 1; i < k; ++i) v[i] = 0.01 * static_cast<double>(i) + 0.003 * std::sin(i);
  return v;
}

}  // namespace

TEST(KernelSignature, BlocksEqualThePlainProduct) {
  const std::int64_t n = 1003, k = 37, c = 11;
  const auto phi = random_values(static_cast<std::size_t>(n * k), 1, -1, 1);
  const auto w = random_values(static_cast<std::size_t>(k * c), 2, 0, 1);
  const auto reference = naive_signature(phi, n, k, w, c);
  std::vector<double> one_block(static_cast<std::size_t>(n * c));
  descriptors::signature_rows(phi, n, k, w, c, one_block, n);
  EXPECT_LT(relative_error(one_block, reference), 1e-14);
  for (std::int64_t b : {1, 2, 7, 64, 1000, 1002, 5000}) {
    std::vector<double> out(static_cast<std::size_t>(n * c), -1.0);
    descriptors::signature_rows(phi, n, k, w, c, out, b);
    EXPECT_LT(relative_error(out, reference), 1e-14) << "block_rows " << b;
    // Another block size is another dgemm shape: the same sums, rounded alike to an ulp.
    EXPECT_LT(relative_error(out, one_block), 1e-15) << "block_rows " << b;

    std::vector<double> streamed(static_cast<std::size_t>(n * c), -1.0);
    std::int64_t next = 0;
    descriptors::for_each_signature_block(
        phi, n, k, w, c, b, [&](std::int64_t first, std::int64_t m, std::span<const double> blk) {
          EXPECT_EQ(first, next);
          EXPECT_LE(m, b);
          next = first + m;
          std::copy(blk.begin(), blk.end(), streamed.begin() + first * c);
        });
    EXPECT_EQ(next, n);
    EXPECT_EQ(n_different(streamed, out), 0u) << "streamed = stored, block_rows " << b;

    // Any sub-range of rows, placed by its global first row, gives the same bits as the
    // whole matrix: what makes results independent of the rank count.
    for (auto [first, count] :
         {std::pair<std::int64_t, std::int64_t>{0, 1}, {1, 1}, {5, 998}, {333, 64}, {1000, 3}}) {
      std::vector<double> part(static_cast<std::size_t>(count * c));
      descriptors::signature_rows(std::span(phi).subspan(first * k, count * k), count, k, w, c,
                                  part, b, first);
      const std::vector<double> expected(out.begin() + first * c,
                                         out.begin() + (first + count) * c);
      EXPECT_EQ(n_different(part, expected), 0u)
          << "rows " << first << "+" << count << ", block_rows " << b;
    }
  }
}

TEST(KernelSignature, EmptyAndInconsistentSizes) {
  std::vector<double> none;
  descriptors::signature_rows(none, 0, 5, std::vector<double>(15, 1.0), 3, none, 4);
  const std::vector<double> phi(12, 1.0), w(8, 1.0);
  std::vector<double> out(6);
  EXPECT_THROW(descriptors::signature_rows(phi, 4, 3, w, 2, out, 2), core::Error);  // w is 4×2
  EXPECT_THROW(descriptors::signature_rows(phi, 3, 4, w, 2, out, 0), core::Error);  // block 0
  EXPECT_NO_THROW(descriptors::signature_rows(phi, 3, 4, w, 2, out, 2));
  EXPECT_EQ(out, std::vector<double>(6, 4.0));
}

TEST(Spectrum, ZeroModesAreRelativeToTheLargestEigenvalue) {
  using descriptors::count_zero_modes;
  EXPECT_EQ(count_zero_modes(std::vector<double>{1e-14, 2e-4, 3e-2}), 1u);
  EXPECT_EQ(count_zero_modes(std::vector<double>{-2e-16, 4e-15, 1e-3, 2.0}), 2u);  // 2 parts
  // Units do not matter: the same surface in metres (λ × 1e6).
  EXPECT_EQ(count_zero_modes(std::vector<double>{1e-8, 2e2, 3e4}), 1u);
  EXPECT_EQ(count_zero_modes(std::vector<double>{0.5, 1.0}), 0u);  // no zero mode (Dirichlet)
  EXPECT_EQ(count_zero_modes(std::vector<double>{0.0, 0.0}), 2u);
  EXPECT_EQ(count_zero_modes(std::vector<double>{}), 0u);
}

// Every per-vertex descriptor computed on this rank's rows, gathered, equals the one
// computed on all rows at once: at 2 ranks this is the "identical at 1 and 2 ranks" check.
TEST(KernelSignature, RowSplitOverRanksGivesTheSameDescriptors) {
  const std::int64_t n = 517, k = 40;
  const Eigenpairs all = synthetic(ascending_spectrum(k), n, 7);
  const auto [begin, count] = my_rows(n, MPI_COMM_WORLD);
  const Eigenpairs mine = rows_of(all, begin, count);

  descriptors::HksOptions hks_options;
  const auto times = descriptors::hks_times(all.values, hks_options);
  const auto grid = descriptors::wks_grid(all.values, {});
  descriptors::SiHksOptions si;
  si.tau_min = -2;
  si.tau_max = 12;
  const std::int64_t block = 64;  // several blocks per rank, split differently at 1 and 2 ranks
  const std::vector<std::pair<std::vector<double>, std::vector<double>>> cases = {
      {gather_rows(descriptors::hks(mine, times, descriptors::HksScaling::none, block),
                   MPI_COMM_WORLD),
       descriptors::hks(all, times, descriptors::HksScaling::none, block)},
      {gather_rows(descriptors::wks(mine, grid, descriptors::WksNormalization::paper, block),
                   MPI_COMM_WORLD),
       descriptors::wks(all, grid, descriptors::WksNormalization::paper, block)},
      {gather_rows(descriptors::gps(mine), MPI_COMM_WORLD), descriptors::gps(all)},
      {gather_rows(descriptors::si_hks(mine, si, block), MPI_COMM_WORLD),
       descriptors::si_hks(all, si, block)},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ASSERT_EQ(cases[i].first.size(), cases[i].second.size()) << "case " << i;
    EXPECT_EQ(n_different(cases[i].first, cases[i].second), 0u) << "case " << i;
  }
}
