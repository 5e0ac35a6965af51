// Wave kernel signature (Aubry, Schlickewei, Cremers 2011).
//
//   WKS(x, e) = C_e Σ_{i nonzero} φ_i(x)² exp(−(e − log λ_i)² / 2σ²)
//   C_e       = 1 / Σ_{i nonzero} exp(−(e − log λ_i)² / 2σ²)        (normalisation "paper")
//
// so with M-orthonormal φ every column integrates to 1 over the surface (∫ φ_i² dA = 1):
// WKS(·, e) is the probability density of a particle with log-energy distribution centred
// at e. Zero modes are left out (log 0 = −∞: their weight is 0).
//
// Defaults, after the paper: E = 100 energies, increment δ = (log λ_max − log λ₁) / E,
// σ = w·δ with w = 7, energies evenly spaced from log λ₁ + 2σ to log λ_max − 2σ
// (λ₁ the first nonzero eigenvalue). The authors' released MATLAB code differs
// (w = 6, energies from log λ₁ to log λ_max / 1.02); set the options for that.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "spectralbrain/descriptors/kernel_signature.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// Column normalisation of the WKS.
enum class WksNormalization {
  none,   ///< C_e = 1
  paper,  ///< C_e = 1 / Σ_i exp(−(e − log λ_i)²/2σ²): columns integrate to 1
};

/// Energy grid, width and normalisation of the WKS.
struct WksOptions {
  int n_energies = 100;          ///< E ≥ 1 (E = 1: e_min only)
  double variance_factor = 7.0;  ///< w in σ = w·δ, > 0 (ignored if sigma is given)
  std::optional<double> sigma;   ///< σ in log-eigenvalue units; default w·δ
  std::optional<double> e_min;   ///< default log λ₁ + 2σ
  std::optional<double> e_max;   ///< default log λ_max − 2σ
  WksNormalization normalization = WksNormalization::paper;
};

/// The energies actually used and the width σ.
struct WksGrid {
  std::vector<double> energies;  ///< (E,) increasing log-energies (log of 1/mesh units²)
  double sigma = 0;              ///< Gaussian width in log-energy
};

/// The grid of `options` for this spectrum.
/// @param eigenvalues  (k,) ascending
/// @throws core::InputError if there are fewer than 2 distinct nonzero eigenvalues (the
///         default grid needs a range), E < 1, σ or w not > 0, e_min > e_max (including the
///         default window being empty because 4σ exceeds the log range: raise E or lower w)
WksGrid wks_grid(std::span<const double> eigenvalues, const WksOptions& options);

/// The k × E weight matrix: C_e exp(−(e − log λ_i)²/2σ²) for nonzero modes, 0 for zero modes.
/// @throws core::InputError if an energy has no mode within reach (every weight underflows
///         to 0), which makes C_e infinite
std::vector<double> wks_weights(std::span<const double> eigenvalues, const WksGrid& grid,
                                WksNormalization normalization);

/// WKS of this rank's rows.
/// @return n_rows_local × E, row-major
std::vector<double> wks(const spectral::Eigenpairs& eigen, const WksGrid& grid,
                        WksNormalization normalization = WksNormalization::paper,
                        std::int64_t block_rows = default_block_rows);

/// The command-line word of a normalisation: "none" | "paper".
std::string_view name(WksNormalization n) noexcept;
/// Inverse of name(WksNormalization). @throws core::InputError naming `option` for another word
WksNormalization parse_wks_normalization(std::string_view word, std::string_view option);

}  // namespace spectralbrain::descriptors
