// Kernel signatures: per-vertex descriptors s(x, c) = Σ_i w_ic φ_i(x)², computed with BLAS.
//
// HKS (w_it = e^(−λ_i t)), WKS (w_ie = C_e e^(−(e − log λ_i)²/2σ²)) and the heat part of
// SI-HKS are all this product of the squared eigenvector matrix (N×k) with a k×C weight
// matrix. It is computed in blocks of rows: each block of Φ is squared into a scratch buffer
// and multiplied by W with one cblas_dgemm, so the extra memory is block_rows·(k + C)
// doubles whatever N is, and each rank works on the rows it holds (no communication: a row
// of the result needs only the same row of Φ).
//
// Bitwise the same for any split of rows over ranks. BLAS libraries compute a row with
// different kernels depending on where it falls in the matrix (OpenBLAS treats the last
// M mod 4 rows, and small matrices, separately), which changes the last bits. So blocks are
// aligned on multiples of block_rows in *global* row numbers and every dgemm is called with
// exactly block_rows rows (a block only partly held by this rank is zero-padded): a given
// vertex is then always computed by the same call shape at the same position, whichever rank
// holds it. The padding costs at most two partial blocks per rank.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// Default rows per block: 1024 rows × (k = 300 + C = 100) columns is 3.1 MiB of scratch,
/// small enough to stay in cache (runs/bench/descriptors: no faster with larger blocks).
inline constexpr std::int64_t default_block_rows = 1024;

/// Receives one finished block: rows [first_row, first_row + n_rows) of the n_rows × n_cols
/// row-major result `block` (first_row counts from the start of `phi`, not globally).
using BlockConsumer =
    std::function<void(std::int64_t first_row, std::int64_t n_rows, std::span<const double> block)>;

/// The block size kernel_signature() uses for an N-row matrix: block_rows, but no larger
/// than N rounded up to a multiple of 8 (a small mesh is not padded to a large block).
/// Depends only on global quantities, so it is the same on every rank.
std::int64_t effective_block_rows(std::int64_t block_rows, std::int64_t n_rows_global) noexcept;

/// Computes (Φ∘Φ)·W block by block and hands each block of result rows to `consume`.
/// @param phi         n_rows × k, row-major: global rows [first_row, first_row + n_rows)
/// @param weights     k × n_cols, row-major
/// @param block_rows  rows per block (≥ 1), aligned on global multiples (file comment);
///                    scratch is block_rows·(k + n_cols) doubles
/// @param consume     called once per (partial) block, in row order
/// @param first_row   global index of phi's first row (≥ 0)
/// @throws core::Error if sizes are inconsistent or do not fit BLAS's 32-bit integers
void for_each_signature_block(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                              std::span<const double> weights, std::int64_t n_cols,
                              std::int64_t block_rows, const BlockConsumer& consume,
                              std::int64_t first_row = 0);

/// out = (Φ∘Φ)·W, computed block by block (for_each_signature_block).
/// @param phi         n_rows × k, row-major: global rows [first_row, first_row + n_rows)
/// @param weights     k × n_cols, row-major
/// @param out         n_rows × n_cols, row-major, overwritten
/// @param block_rows  rows per block (≥ 1); scratch is block_rows·(k + n_cols) doubles
/// @param first_row   global index of phi's first row (≥ 0)
/// @throws core::Error if sizes are inconsistent or do not fit BLAS's 32-bit integers
void signature_rows(std::span<const double> phi, std::int64_t n_rows, std::int64_t k,
                    std::span<const double> weights, std::int64_t n_cols, std::span<double> out,
                    std::int64_t block_rows = default_block_rows, std::int64_t first_row = 0);

/// The signature of this rank's rows of `eigen`: (n_rows_local × n_cols), row-major, with
/// effective_block_rows(block_rows, N) rows per block aligned on global row numbers, so the
/// result is bitwise independent of the rank count.
/// @param eigen    this rank's row block (Eigenpairs conventions)
/// @param weights  k × n_cols, row-major, the same on every rank
std::vector<double> kernel_signature(const spectral::Eigenpairs& eigen,
                                     std::span<const double> weights, std::int64_t n_cols,
                                     std::int64_t block_rows = default_block_rows);

}  // namespace spectralbrain::descriptors
