// Iterative radix-2 Cooley–Tukey FFT with a precomputed twiddle table.
#include "fft.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>
#include <vector>

namespace spectralbrain::stats::detail {

void fft(std::span<std::complex<double>> data, bool inverse) {
  const std::size_t n = data.size();
  if (n == 0 || (n & (n - 1)) != 0)
    throw std::invalid_argument("fft: length must be a power of two");
  if (n == 1) return;

  // Bit-reversal permutation.
  for (std::size_t i = 1, j = 0; i < n; ++i) {
    std::size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j |= bit;
    if (i < j) std::swap(data[i], data[j]);
  }

  // Twiddles from cos/sin of each angle directly: a recurrence would accumulate rounding
  // error along the table, and the autocovariance is compared to R to 1e-6.
  const double sign = inverse ? 1.0 : -1.0;
  std::vector<std::complex<double>> twiddle(n / 2);
  for (std::size_t k = 0; k < n / 2; ++k) {
    const double angle = sign * 2.0 * std::numbers::pi * static_cast<double>(k) / n;
    twiddle[k] = {std::cos(angle), std::sin(angle)};
  }

  for (std::size_t len = 2; len <= n; len <<= 1) {
    const std::size_t half = len / 2;
    const std::size_t stride = n / len;
    for (std::size_t start = 0; start < n; start += len) {
      for (std::size_t k = 0; k < half; ++k) {
        const std::complex<double> t = twiddle[k * stride] * data[start + k + half];
        data[start + k + half] = data[start + k] - t;
        data[start + k] += t;
      }
    }
  }
}

}  // namespace spectralbrain::stats::detail
