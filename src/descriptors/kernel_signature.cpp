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
  if (k > INT_MAX || n_cols > INT_MAX || std::min(block_rows, n_rows) > INT_MAX)
    throw core::Error(
        cat("kernel signature: k = ", k, " or ", n_cols, " columns exceed the BLAS integer range"));
}

// block = (Φ rows [r, r+m))∘(same), then out = block · W.
void square_and_multiply(const double* phi, std::int64_t m, std::int64_t k, const double* weights,
                         std::int64_t n_cols, double* scratch, double* out) {
  const std::int64_t n = m * k;
  for (std::int64_t i = 0; i < n; ++i) scratch[i] = phi[i] * phi[i];
  if (n_cols == 0) return;
  if (k == 0) {
    std::fill(out, out + m * n_cols, 0.0);
    return;
  }
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m),
              static_cast<int>(n_cols), static_cast<int>(k), 1.0, scratch, static_cast<int>(k),
              weights, static_cast<int>(n_cols), 0.0, out, static_cast<int>(n_cols));
}

}  // namespace

void for_each_signature_block(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                              std::span<const double> weights, std::int64_t n_cols,
                              std::int64_t block_rows, const BlockConsumer& consume) {
  check_sizes(phi.size(), n_rows, k, weights.size(), n_cols, block_rows);
  const std::int64_t b = std::min(block_rows, std::max<std::int64_t>(n_rows, 1));
  std::vector<double> squared(static_cast<std::size_t>(b * k));
  std::vector<double> block(static_cast<std::size_t>(b * n_cols));
  for (std::int64_t r = 0; r < n_rows; r += b) {
    const std::int64_t m = std::min(b, n_rows - r);
    square_and_multiply(phi.data() + r * k, m, k, weights.data(), n_cols, squared.data(),
                        block.data());
    consume(r, m, std::span<const double>(block.data(), static_cast<std::size_t>(m * n_cols)));
  }
}

void signature_rows(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                    std::span<const double> weights, std::int64_t n_cols, std::span<double> out,
                    std::int64_t block_rows) {
  check_sizes(phi.size(), n_rows, k, weights.size(), n_cols, block_rows);
  if (out.size() != static_cast<std::size_t>(n_rows * n_cols))
    throw core::Error(core::cat("kernel signature: output holds ", out.size(), " values, not ",
                                n_rows, " rows x ", n_cols));
  const std::int64_t b = std::min(block_rows, std::max<std::int64_t>(n_rows, 1));
  std::vector<double> squared(static_cast<std::size_t>(b * k));
  for (std::int64_t r = 0; r < n_rows; r += b) {
    const std::int64_t m = std::min(b, n_rows - r);
    square_and_multiply(phi.data() + r * k, m, k, weights.data(), n_cols, squared.data(),
                        out.data() + r * n_cols);
  }
}

std::vector<double> kernel_signature(const spectral::Eigenpairs& eigen,
                                     std::span<const double> weights, std::int64_t n_cols,
                                     std::int64_t block_rows) {
  std::vector<double> out(static_cast<std::size_t>(eigen.n_rows_local * n_cols));
  signature_rows(eigen.vectors, eigen.n_rows_local, eigen.k(), weights, n_cols, out, block_rows);
  return out;
}

}  // namespace spectralbrain::descriptors
