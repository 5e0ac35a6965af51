// Eigenpairs: the solution of L φ = λ M φ, distributed by rows in input vertex order.
#pragma once

#include <cstdint>
#include <vector>

namespace spectralbrain::spectral {

/// The k smallest eigenpairs of a surface's Laplace–Beltrami operator.
///
/// values and residuals are the same on every rank of the solve communicator. The N×k
/// eigenvector matrix is distributed in contiguous blocks of rows *in input vertex order*:
/// this rank holds rows [row_begin, row_begin + n_rows_local) of the global matrix,
/// row-major (row i, column j at vectors[(i - row_begin) * k + j]). Rank r holds the block
/// after rank r-1's, so a parallel HDF5 write of the blocks gives the file's (N,k) layout.
///
/// Conventions: values ascending; vectors M-orthonormal (φᵢᵀ M φⱼ = δᵢⱼ); each vector's sign
/// canonicalised (see spectral/solve.hpp); residuals[j] = ‖Lφⱼ − λⱼMφⱼ‖₂ / ‖Mφⱼ‖₂.
///
/// spectral::solve() splits the rows like PetscSplitOwnership (the first N mod P ranks hold
/// ⌈N/P⌉ rows, the others ⌊N/P⌋), independent of how the matrices were partitioned. For a
/// repeated eigenvalue the vectors are one M-orthonormal basis of its eigenspace, which may
/// differ between runs (rank counts): compare such columns as a subspace.
struct Eigenpairs {
  std::vector<double> values;      ///< (k,) ascending
  std::vector<double> residuals;   ///< (k,)
  std::int64_t n_rows_global = 0;  ///< N, the number of mesh vertices
  std::int64_t row_begin = 0;      ///< first input-order row held by this rank
  std::int64_t n_rows_local = 0;   ///< rows held by this rank
  std::vector<double> vectors;     ///< n_rows_local × k, row-major

  std::int64_t k() const noexcept { return static_cast<std::int64_t>(values.size()); }
};

}  // namespace spectralbrain::spectral
