// Zero and nonzero modes of a Laplace–Beltrami spectrum: which computed eigenvalues count as 0.
//
// A connected closed surface has one zero eigenvalue (the constants), a surface with c
// components has c. Computed, they come out as tiny numbers of either sign (rounding in the
// factorisation, of order 1e-16·‖L‖/‖M‖), never exactly 0, so "nonzero" needs a threshold.
// It is relative to the largest computed eigenvalue, so it does not depend on mesh units:
// λ counts as zero when |λ| ≤ zero_tolerance·max|λ|. With zero_tolerance = 1e-8 this is
// far above rounding (≈ 1e-13 relative on brain meshes) and far below λ₁/λ_max, which Weyl's
// law puts near 1/k (1e-3 for k = 300; a thin neck can lower λ₁, but not by five orders).
#pragma once

#include <cstddef>
#include <span>

namespace spectralbrain::descriptors {

/// Relative threshold of zero eigenvalues: |λ| ≤ zero_tolerance · max_i |λ_i|.
inline constexpr double zero_tolerance = 1e-8;

/// The number of leading zero modes of an ascending spectrum, i.e. the index of the first
/// nonzero eigenvalue ("λ₁" of the HKS/WKS papers).
/// @param eigenvalues  (k,) ascending (as spectral::Eigenpairs::values)
/// @return how many leading values satisfy |λ| ≤ zero_tolerance·max|λ|; k if all do (or k = 0)
std::size_t count_zero_modes(std::span<const double> eigenvalues) noexcept;

}  // namespace spectralbrain::descriptors
