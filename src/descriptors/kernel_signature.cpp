// Kernel signatures by blocks of rows: square a block of Φ, one dgemm with the weights.
#include "spectralbrain/descriptors/kernel_signature.hpp"

#include <cblas.h>

#include <algorithm>
#include <climits>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::descriptors {

namespace {

void check_sizes(std::size_t n_phi, std::int64_t n_rows, std::int64_t k, std::size_t n_weights,
                 std::int64_t n_cols, std::int64_t block_rows) {
  using core::cat;
  if (n_rows < 0 || k < 0 || n_cols < 0)
    throw core::Error(cat("kernel signature: negative size (rows ", n_rows, ", k ", k, ", columns ",
                          n_cols, ")"));
  if (block_rows < 1)
    throw core::Error(cat("kernel signature: block_rows = ", block_rows, " (must be >= 1)"));
  if (n_phi != static_cast<std::size_t>(n_rows * k))
    throw core::Error(
        cat("kernel signature: eigenvectors hold ", n_phi, " values, not ", n_rows, " rows x ", k));
  if (n_weights != static_cast<std::size_t>(k * n_cols))
    throw core::Error(
        cat("kernel signature: weights hold ", n_weights, " values, not ", k, " x ", n_cols));
  // Debian's CBLAS (and OpenBLAS behind it) takes 32-bit int sizes.
  if (k > INT_MAX || n_cols > INT_MAX || block_rows > INT_MAX)
    throw core::Error(
        cat("kernel signature: k = ", k, " or ", n_cols, " columns exceed the BLAS integer range"));
}

}  // namespace

std::int64_t effective_block_rows(std::int64_t block_rows, std::int64_t n_rows_global) noexcept {
  const std::int64_t rounded = (std::max<std::int64_t>(n_rows_global, 1) + 7) / 8 * 8;
  return std::max<std::int64_t>(1, std::min(block_rows, rounded));
}

void for_each_signature_block(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                              std::span<const double> weights, std::int64_t n_cols,
                              std::int64_t block_rows, const BlockConsumer& consume,
                              std::int64_t first_row) {
  check_sizes(phi.size(), n_rows, k, weights.size(), n_cols, block_rows);
  if (first_row < 0) throw core::Error(core::cat("kernel signature: first_row = ", first_row));
  if (n_rows == 0) return;
  const std::int64_t b = block_rows;
  std::vector<double> squared(static_cast<std::size_t>(b * k));
  std::vector<double> block(static_cast<std::size_t>(b * n_cols));
  const std::int64_t end = first_row + n_rows;
  for (std::int64_t start = first_row / b * b; start < end; start += b) {
    // Rows [lo, hi) of this aligned block are ours; the rest of the block is zero.
    const std::int64_t lo = std::max(start, first_row), hi = std::min(start + b, end);
    if (lo > start || hi < start + b) std::fill(squared.begin(), squared.end(), 0.0);
    const double* source = phi.data() + (lo - first_row) * k;
    double* target = squared.data() + (lo - start) * k;
    for (std::int64_t i = 0; i < (hi - lo) * k; ++i) target[i] = source[i] * source[i];
    if (n_cols > 0 && k > 0)
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(b),
                  static_cast<int>(n_cols), static_cast<int>(k), 1.0, squared.data(),
                  static_cast<int>(k), weights.data(), static_cast<int>(n_cols), 0.0, block.data(),
                  static_cast<int>(n_cols));
    else
      std::fill(block.begin(), block.end(), 0.0);
    consume(lo - first_row, hi - lo,
            std::span<const double>(block.data() + (lo - start) * n_cols,
                                    static_cast<std::size_t>((hi - lo) * n_cols)));
  }
}

void signature_rows(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                    std::span<const double> weights, std::int64_t n_cols, std::span<double> out,
                    std::int64_t block_rows, std::int64_t first_row) {
  if (out.size() != static_cast<std::size_t>(std::max<std::int64_t>(n_rows, 0) * n_cols))
    throw core::Error(core::cat("kernel signature: output holds ", out.size(), " values, not ",
                                n_rows, " rows x ", n_cols));
  for_each_signature_block(
      phi, n_rows, k, weights, n_cols, block_rows,
      [&](std::int64_t first, std::int64_t, std::span<const double> rows) {
        std::copy(rows.begin(), rows.end(), out.begin() + first * n_cols);
      },
      first_row);
}

std::vector<double> kernel_signature(const spectral::Eigenpairs& eigen,
                                     std::span<const double> weights, std::int64_t n_cols,
                                     std::int64_t block_rows) {
  std::vector<double> out(static_cast<std::size_t>(eigen.n_rows_local * n_cols));
  signature_rows(eigen.vectors, eigen.n_rows_local, eigen.k(), weights, n_cols, out,
                 effective_block_rows(block_rows, eigen.n_rows_global), eigen.row_begin);
  return out;
}

}  // namespace spectralbrain::descriptors
