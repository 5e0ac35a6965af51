// Global point signature.
#include "spectralbrain/descriptors/gps.hpp"

#include <cmath>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/spectrum.hpp"

namespace spectralbrain::descriptors {

std::vector<double> gps(const spectral::Eigenpairs& eigen) {
  const std::size_t k = eigen.values.size();
  const std::size_t z = count_zero_modes(eigen.values);
  if (z == k)
    throw core::InputError("eigenvalues", "GPS",
                           core::cat("needs a nonzero eigenvalue, but all ", k, " are zero"));
  if (eigen.values[z] < 0)
    throw core::InputError("eigenvalues", "GPS",
                           core::cat("eigenvalue ", z, " is negative (", eigen.values[z],
                                     "): not a Laplace-Beltrami spectrum"));
  const std::size_t n_cols = k - z;
  std::vector<double> scale(n_cols);
  for (std::size_t j = 0; j < n_cols; ++j) scale[j] = 1.0 / std::sqrt(eigen.values[z + j]);
  const auto n_rows = static_cast<std::size_t>(eigen.n_rows_local);
  std::vector<double> out(n_rows * n_cols);
  for (std::size_t r = 0; r < n_rows; ++r) {
    const double* phi = eigen.vectors.data() + r * k + z;
    double* row = out.data() + r * n_cols;
    for (std::size_t j = 0; j < n_cols; ++j) row[j] = phi[j] * scale[j];
  }
  return out;
}

}  // namespace spectralbrain::descriptors
