// Scale-invariant heat kernel signature (Bronstein & Kokkinos 2010).
//
// Scaling a surface by s multiplies its eigenvalues by s⁻² and φ² by s⁻², so h(x, t) turns
// into s⁻² h(x, s⁻²t). On the log-time grid t = α^τ this is a shift in τ plus a factor,
// which SI-HKS removes in three steps: the logarithm turns the factor into an added
// constant, the derivative in τ removes it, and the modulus of the discrete Fourier
// transform over τ removes the shift (exactly for a circular shift; here the derivative
// vanishes at both ends of a wide enough window, since h is nearly constant in t there for
// a truncated spectrum, which makes the shift effectively circular).
//
//   d(x, τ) = ∂ log h(x, α^τ) / ∂τ = −ln α · Σ_i λ_i t e^(−λ_i t) φ_i(x)² / Σ_i e^(−λ_i t) φ_i(x)²
//   SI(x, ω) = | Σ_j d(x, τ_j) e^(−2πi ω j / n) |,   ω = 0 .. n_frequencies − 1
//
// The derivative is exact (both sums are kernel signatures), not a finite difference.
// Defaults α = 2, τ = 1, 1 + 1/16, …, 25 and 6 frequencies are the paper's as we read it;
// they suit meshes in millimetres (brain surfaces): t = 2 … 3.4·10⁷ mm². For other units
// choose τ so that α^τ spans roughly [0.1/λ_max, 10/λ₁].
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "spectralbrain/descriptors/kernel_signature.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// The log-time grid and the number of frequencies kept.
struct SiHksOptions {
  double alpha = 2.0;          ///< base of the times t = α^τ, > 1
  double tau_min = 1.0;        ///< first τ
  double tau_max = 25.0;       ///< last τ (included when on the grid)
  double tau_step = 1.0 / 16;  ///< τ increment, > 0
  int n_frequencies = 6;       ///< DFT moduli kept, 1 ≤ F ≤ number of τ values
};

/// The τ grid: tau_min, tau_min + step, … ≤ tau_max (+ a rounding allowance).
/// @throws core::InputError for α ≤ 1, step ≤ 0, tau_max < tau_min, non-finite values, fewer
///         than 2 τ values, or n_frequencies outside [1, number of τ values]
std::vector<double> si_hks_taus(const SiHksOptions& options);

/// SI-HKS of this rank's rows.
/// @return n_rows_local × n_frequencies, row-major; per-row scratch is 2·n_τ doubles per
///         block row on top of the block itself
/// @throws core::InputError as si_hks_taus
std::vector<double> si_hks(const spectral::Eigenpairs& eigen, const SiHksOptions& options,
                           std::int64_t block_rows = default_block_rows);

}  // namespace spectralbrain::descriptors
