// Scale-invariant HKS: log-time derivative of the HKS (exact, from two kernel signatures),
// then the modulus of its DFT over the log-time grid, row by row inside each BLAS block.
#include "spectralbrain/descriptors/si_hks.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::descriptors {

using core::cat;

std::vector<double> si_hks_taus(const SiHksOptions& o) {
  for (auto [value, option] :
       {std::pair{o.alpha, "--si-hks-alpha"}, std::pair{o.tau_min, "--si-hks-tau-min"},
        std::pair{o.tau_max, "--si-hks-tau-max"}, std::pair{o.tau_step, "--si-hks-tau-step"}})
    if (!std::isfinite(value))
      throw core::InputError("command line", option, cat(value, " is not finite"));
  if (!(o.alpha > 1))
    throw core::InputError("command line", "--si-hks-alpha", cat(o.alpha, " must be > 1"));
  if (!(o.tau_step > 0))
    throw core::InputError("command line", "--si-hks-tau-step", cat(o.tau_step, " must be > 0"));
  if (o.tau_max < o.tau_min)
    throw core::InputError("command line", "--si-hks-tau-max",
                           cat("tau_max = ", o.tau_max, " < tau_min = ", o.tau_min));
  const double span = (o.tau_max - o.tau_min) / o.tau_step;
  if (span > 1e6)
    throw core::InputError("command line", "--si-hks-tau-step",
                           cat("the tau grid would have ", span, " points (at most 1e6)"));
  const auto n = static_cast<int>(std::floor(span * (1 + 1e-12) + 1e-9)) + 1;
  if (n < 2)
    throw core::InputError("command line", "--si-hks-tau-max",
                           "the tau grid needs at least 2 points (tau_max >= tau_min + step)");
  if (o.n_frequencies < 1 || o.n_frequencies > n)
    throw core::InputError(
        "command line", "--si-hks-frequencies",
        cat(o.n_frequencies, " frequencies: must be 1..", n, " (the number of tau values)"));
  std::vector<double> taus(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) taus[static_cast<std::size_t>(j)] = o.tau_min + j * o.tau_step;
  return taus;
}

std::vector<double> si_hks(const spectral::Eigenpairs& eigen, const SiHksOptions& options,
                           std::int64_t block_rows) {
  const std::vector<double> taus = si_hks_taus(options);
  const std::size_t n = taus.size(), k = eigen.values.size();
  const auto n_freq = static_cast<std::size_t>(options.n_frequencies);
  const double ln_alpha = std::log(options.alpha);

  // Weights [e^(−(λ_i−λ_0) t_j) | λ_i t_j e^(−(λ_i−λ_0) t_j)]: the common factor e^(−λ_0 t)
  // cancels in the ratio and keeps the smallest mode from underflowing at large t.
  const double lambda0 = k ? eigen.values.front() : 0.0;
  std::vector<double> w(k * 2 * n);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double t = std::pow(options.alpha, taus[j]);
      const double e = std::exp(-(eigen.values[i] - lambda0) * t);
      w[i * 2 * n + j] = e;
      w[i * 2 * n + n + j] = eigen.values[i] * t * e;
    }
  std::vector<double> cos_table(n_freq * n), sin_table(n_freq * n);
  for (std::size_t f = 0; f < n_freq; ++f)
    for (std::size_t j = 0; j < n; ++j) {
      const double angle = 2 * std::numbers::pi * static_cast<double>((f * j) % n) / n;
      cos_table[f * n + j] = std::cos(angle);
      sin_table[f * n + j] = std::sin(angle);
    }

  std::vector<double> out(static_cast<std::size_t>(eigen.n_rows_local) * n_freq);
  std::vector<double> d(n);
  for_each_signature_block(
      eigen.vectors, eigen.n_rows_local, eigen.k(), w, static_cast<std::int64_t>(2 * n), block_rows,
      [&](std::int64_t first, std::int64_t m, std::span<const double> block) {
        for (std::int64_t r = 0; r < m; ++r) {
          const double* row = block.data() + r * 2 * n;
          // h = 0 only where every mode vanishes (no zero mode and t huge): no information.
          for (std::size_t j = 0; j < n; ++j)
            d[j] = row[j] > 0 ? -ln_alpha * row[n + j] / row[j] : 0.0;
          double* si = out.data() + static_cast<std::size_t>(first + r) * n_freq;
          for (std::size_t f = 0; f < n_freq; ++f) {
            double re = 0, im = 0;
            for (std::size_t j = 0; j < n; ++j) {
              re += d[j] * cos_table[f * n + j];
              im -= d[j] * sin_table[f * n + j];
            }
            si[f] = std::hypot(re, im);
          }
        }
      },
      eigen.row_begin);
  return out;
}

}  // namespace spectralbrain::descriptors
