// Kernel signatures: per-vertex descriptors s(x, c) = Σ_i w_ic φ_i(x)², computed with BLAS.
//
// HKS (w_it = e^(−λ_i t)), WKS (w_ie = C_e e^(−(e − log λ_i)²/2σ²)) and the heat part of
// SI-HKS are all this product of the squared eigenvector matrix (N×k) with a k×C weight
// matrix. It is computed in blocks of rows: each block of Φ is squared into a scratch buffer
// and multiplied by W with one cblas_dgemm, so the extra memory is block_rows·k doubles
// whatever N is, and each rank works on the rows it holds (no communication: a row of the
// result needs only the same row of Φ). Rows never mix, so the result for a vertex does not
// depend on how rows are split over ranks or blocks.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// Default rows per block: 4096 rows × k = 300 columns is 9.4 MiB of scratch.
inline constexpr std::int64_t default_block_rows = 4096;

/// Receives one finished block: rows [first_row, first_row + n_rows) of the n_rows × n_cols
/// row-major result `block` (first_row counts from the start of `phi`, not globally).
using BlockConsumer =
    std::function<void(std::int64_t first_row, std::int64_t n_rows, std::span<const double> block)>;

/// Computes (Φ∘Φ)·W block by block and hands each block of result rows to `consume`.
/// @param phi         n_rows × k, row-major
/// @param weights     k × n_cols, row-major
/// @param block_rows  rows per block (≥ 1); scratch is block_rows·(k + n_cols) doubles
/// @param consume     called once per block, in row order
/// @throws core::Error if sizes are inconsistent or do not fit BLAS's 32-bit integers
void for_each_signature_block(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                              std::span<const double> weights, std::int64_t n_cols,
                              std::int64_t block_rows, const BlockConsumer& consume);

/// out = (Φ∘Φ)·W, written block by block straight into `out` (no copy of the result).
/// @param phi         n_rows × k, row-major
/// @param weights     k × n_cols, row-major
/// @param out         n_rows × n_cols, row-major, overwritten
/// @param block_rows  rows squared at a time (≥ 1); scratch is block_rows·k doubles
/// @throws core::Error if sizes are inconsistent or do not fit BLAS's 32-bit integers
void signature_rows(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                    std::span<const double> weights, std::int64_t n_cols, std::span<double> out,
                    std::int64_t block_rows = default_block_rows);

/// The signature of this rank's rows of `eigen`: (n_rows_local × n_cols), row-major.
/// @param eigen    this rank's row block (Eigenpairs conventions)
/// @param weights  k × n_cols, row-major, the same on every rank
std::vector<double> kernel_signature(const spectral::Eigenpairs& eigen,
                                     std::span<const double> weights, std::int64_t n_cols,
                                     std::int64_t block_rows = default_block_rows);

}  // namespace spectralbrain::descriptors
