// Global point signature (Rustamov 2007): GPS(x) = (φ_1(x)/√λ_1, φ_2(x)/√λ_2, …) over the
// nonzero modes (spectrum.hpp), in ascending order. Euclidean distances between GPS vectors
// approximate commute-time distances; units: mesh units⁰ (φ ~ 1/length, √λ ~ 1/length).
#pragma once

#include <vector>

#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// GPS of this rank's rows.
/// @param eigen  this rank's row block
/// @return n_rows_local × (k − z), row-major, z = count_zero_modes(eigen.values)
/// @throws core::InputError if the spectrum has no nonzero eigenvalue
std::vector<double> gps(const spectral::Eigenpairs& eigen);

}  // namespace spectralbrain::descriptors
