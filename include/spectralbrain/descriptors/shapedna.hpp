// ShapeDNA (Reuter, Wolter, Peinecke 2006): the eigenvalue sequence as a shape descriptor,
// with the normalisation and reweighting conventions in use, named so results say which.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spectralbrain::descriptors {

/// Scale normalisation of the eigenvalues (λ scales as 1/length²).
enum class ShapeDnaNormalization {
  none,     ///< λ as computed
  surface,  ///< λ·A, A the surface area (BrainPrint's default)
  volume,   ///< λ·V^(2/3), V the enclosed volume (closed, outward-oriented meshes only)
};

/// Reweighting by mode index, applied after normalisation.
enum class ShapeDnaReweighting {
  none,   ///< unchanged, k values
  lapy,   ///< λ_i / (i + 1) for i = 0..k-1, λ₀ included (LaPy's reweight_ev), k values
  index,  ///< λ_i / i over the nonzero modes i = 1..k-1, λ₀ dropped (Mindboggle), k-1 values
};

/// The conventions of one ShapeDNA vector.
struct ShapeDnaConvention {
  ShapeDnaNormalization normalization = ShapeDnaNormalization::surface;
  ShapeDnaReweighting reweighting = ShapeDnaReweighting::none;
};

/// ShapeDNA of an ascending eigenvalue sequence.
/// @param eigenvalues  (k,) ascending, λ₀ ≈ 0 for a connected surface
/// @param area         surface area (used by surface normalisation), > 0
/// @param volume       enclosed volume (used by volume normalisation), > 0
/// @return (k,) values, or (k-1,) for ShapeDnaReweighting::index
/// @throws core::InputError if the normalisation needs an area/volume that is not > 0
///         (e.g. volume of an open surface) or k is 0 (k < 2 for index)
std::vector<double> shapedna(std::span<const double> eigenvalues, double area, double volume,
                             const ShapeDnaConvention& convention);

/// The command-line word of a normalisation: "none" | "surface" | "volume".
std::string_view name(ShapeDnaNormalization n) noexcept;
/// The command-line word of a reweighting: "none" | "lapy" | "index".
std::string_view name(ShapeDnaReweighting r) noexcept;
/// Inverse of name(ShapeDnaNormalization). @throws core::InputError naming `option`
ShapeDnaNormalization parse_normalization(std::string_view word, std::string_view option);
/// Inverse of name(ShapeDnaReweighting). @throws core::InputError naming `option`
ShapeDnaReweighting parse_reweighting(std::string_view word, std::string_view option);

}  // namespace spectralbrain::descriptors
