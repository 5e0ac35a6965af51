// Zero modes of a spectrum.
#include "spectralbrain/descriptors/spectrum.hpp"

#include <algorithm>
#include <cmath>

namespace spectralbrain::descriptors {

std::size_t count_zero_modes(std::span<const double> eigenvalues) noexcept {
  double largest = 0;
  for (double v : eigenvalues) largest = std::max(largest, std::abs(v));
  const double threshold = zero_tolerance * largest;
  std::size_t n = 0;
  while (n < eigenvalues.size() && std::abs(eigenvalues[n]) <= threshold) ++n;
  return n;
}

}  // namespace spectralbrain::descriptors
