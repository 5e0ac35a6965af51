// ShapeDNA normalisation and reweighting.
#include "spectralbrain/descriptors/shapedna.hpp"

#include <cmath>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::descriptors {

std::vector<double> shapedna(std::span<const double> eigenvalues, double area, double volume,
                             const ShapeDnaConvention& convention) {
  const std::size_t k = eigenvalues.size();
  if (k == 0 || (convention.reweighting == ShapeDnaReweighting::index && k < 2))
    throw core::InputError("shapedna", "", core::cat("too few eigenvalues (", k, ")"));
  double scale = 1.0;
  switch (convention.normalization) {
    case ShapeDnaNormalization::none:
      break;
    case ShapeDnaNormalization::surface:
      if (!(area > 0))
        throw core::InputError("shapedna", "surface normalisation",
                               core::cat("needs a positive area (got ", area, ")"));
      scale = area;
      break;
    case ShapeDnaNormalization::volume:
      if (!(volume > 0))
        throw core::InputError("shapedna", "volume normalisation",
                               core::cat("needs a closed, outward-oriented surface with positive "
                                         "volume (got ",
                                         volume, ")"));
      scale = std::cbrt(volume * volume);
      break;
  }
  std::vector<double> out;
  out.reserve(k);
  for (std::size_t i = 0; i < k; ++i) {
    const double v = eigenvalues[i] * scale;
    switch (convention.reweighting) {
      case ShapeDnaReweighting::none:
        out.push_back(v);
        break;
      case ShapeDnaReweighting::lapy:
        out.push_back(v / static_cast<double>(i + 1));
        break;
      case ShapeDnaReweighting::index:
        if (i > 0) out.push_back(v / static_cast<double>(i));
        break;
    }
  }
  return out;
}

std::string_view name(ShapeDnaNormalization n) noexcept {
  switch (n) {
    case ShapeDnaNormalization::none:
      return "none";
    case ShapeDnaNormalization::surface:
      return "surface";
    case ShapeDnaNormalization::volume:
      return "volume";
  }
  return "?";
}

std::string_view name(ShapeDnaReweighting r) noexcept {
  switch (r) {
    case ShapeDnaReweighting::none:
      return "none";
    case ShapeDnaReweighting::lapy:
      return "lapy";
    case ShapeDnaReweighting::index:
      return "index";
  }
  return "?";
}

ShapeDnaNormalization parse_normalization(std::string_view word, std::string_view option) {
  for (auto n :
       {ShapeDnaNormalization::none, ShapeDnaNormalization::surface, ShapeDnaNormalization::volume})
    if (word == name(n)) return n;
  throw core::InputError("command line", std::string(option),
                         core::cat("'", word, "' is not one of none, surface, volume"));
}

ShapeDnaReweighting parse_reweighting(std::string_view word, std::string_view option) {
  for (auto r : {ShapeDnaReweighting::none, ShapeDnaReweighting::lapy, ShapeDnaReweighting::index})
    if (word == name(r)) return r;
  throw core::InputError("command line", std::string(option),
                         core::cat("'", word, "' is not one of none, lapy, index"));
}

}  // namespace spectralbrain::descriptors
