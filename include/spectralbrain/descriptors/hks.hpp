// Heat kernel signature (Sun, Ovsjanikov, Guibas 2009) and the heat trace.
//
//   h(x, t) = Σ_i e^(−λ_i t) φ_i(x)²      over all k computed modes, zero modes included
//   Z(t)    = Σ_i e^(−λ_i t)               the heat trace, = ∫ h(x, t) dA for M-orthonormal φ
//
// Default times: n_times values log-spaced from t_min = 4 ln10 / λ_max to t_max = 4 ln10 / λ₁
// (λ_max the largest computed eigenvalue, λ₁ the first nonzero one, see spectrum.hpp), as in
// the paper: at t_min the last mode is damped by e^(−4 ln10) = 10⁻⁴, at t_max the first
// nonzero one. Units: t in mesh units², h in 1/mesh units² (φ is M-normalised).
// With HksScaling::heat_trace each column is divided by Z(t) (the paper's scaled HKS), so
// it integrates to ≈ 1 over the surface at every t.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "spectralbrain/descriptors/kernel_signature.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// Column scaling of the HKS.
enum class HksScaling {
  none,        ///< h(x, t) as defined
  heat_trace,  ///< h(x, t) / Z(t)
};

/// Time grid and scaling of the HKS.
struct HksOptions {
  int n_times = 100;            ///< T ≥ 1 times, log-spaced (T = 1: t_min only)
  std::optional<double> t_min;  ///< default 4 ln10 / λ_max
  std::optional<double> t_max;  ///< default 4 ln10 / λ₁ (first nonzero eigenvalue)
  HksScaling scaling = HksScaling::none;
};

/// The T diffusion times: log-spaced from t_min to t_max inclusive.
/// @param eigenvalues  (k,) ascending; used for the default t_min/t_max
/// @return (T,) increasing times, mesh units²
/// @throws core::InputError if n_times < 1, a given time is not finite and > 0, t_min >
///         t_max, or a default is needed and the spectrum has no nonzero eigenvalue
std::vector<double> hks_times(std::span<const double> eigenvalues, const HksOptions& options);

/// Heat trace Z(t) = Σ_i e^(−λ_i t) over all k eigenvalues, at each time.
/// @return (T,) values
std::vector<double> heat_trace(std::span<const double> eigenvalues, std::span<const double> times);

/// The k × T weight matrix of the HKS: e^(−λ_i t_j), divided by Z(t_j) for heat_trace scaling.
std::vector<double> hks_weights(std::span<const double> eigenvalues, std::span<const double> times,
                                HksScaling scaling);

/// HKS of this rank's rows.
/// @param eigen       this rank's row block
/// @param times       (T,) diffusion times (hks_times)
/// @param block_rows  rows per BLAS block (kernel_signature.hpp)
/// @return n_rows_local × T, row-major
std::vector<double> hks(const spectral::Eigenpairs& eigen, std::span<const double> times,
                        HksScaling scaling = HksScaling::none,
                        std::int64_t block_rows = default_block_rows);

/// The command-line word of a scaling: "none" | "heat-trace".
std::string_view name(HksScaling s) noexcept;
/// Inverse of name(HksScaling). @throws core::InputError naming `option` for another word
HksScaling parse_hks_scaling(std::string_view word, std::string_view option);

}  // namespace spectralbrain::descriptors
