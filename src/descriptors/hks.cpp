// Heat kernel signature and heat trace.
#include "spectralbrain/descriptors/hks.hpp"

#include <cmath>
#include <numbers>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/spectrum.hpp"

namespace spectralbrain::descriptors {

using core::cat;

std::vector<double> hks_times(std::span<const double> eigenvalues, const HksOptions& options) {
  if (options.n_times < 1)
    throw core::InputError("command line", "--hks-times",
                           cat(options.n_times, " times: at least 1 is needed"));
  const double four_ln10 = 4 * std::numbers::ln10;
  const auto default_time = [&](bool smallest) {
    const std::size_t z = count_zero_modes(eigenvalues);
    if (z == eigenvalues.size())
      throw core::InputError("eigenvalues", "HKS times",
                             cat("the default time range needs a nonzero eigenvalue, but all ",
                                 eigenvalues.size(), " are zero"));
    return four_ln10 / (smallest ? eigenvalues.back() : eigenvalues[z]);
  };
  const double t_min = options.t_min ? *options.t_min : default_time(true);
  const double t_max = options.t_max ? *options.t_max : default_time(false);
  for (auto [value, option] : {std::pair{t_min, "--hks-tmin"}, std::pair{t_max, "--hks-tmax"}})
    if (!(std::isfinite(value) && value > 0))
      throw core::InputError("command line", option,
                             cat("time ", value, " must be finite and > 0"));
  if (t_min > t_max)
    throw core::InputError("command line", "--hks-tmin/--hks-tmax",
                           cat("t_min = ", t_min, " exceeds t_max = ", t_max));
  const int n = options.n_times;
  std::vector<double> times(static_cast<std::size_t>(n));
  const double a = std::log(t_min), b = std::log(t_max);
  for (int j = 0; j < n; ++j)
    times[static_cast<std::size_t>(j)] = n == 1 ? t_min : std::exp(a + (b - a) * j / (n - 1));
  times.front() = t_min;  // exact end points, not exp(log(t))
  if (n > 1) times.back() = t_max;
  return times;
}

std::vector<double> heat_trace(std::span<const double> eigenvalues, std::span<const double> times) {
  std::vector<double> z(times.size(), 0.0);
  for (std::size_t j = 0; j < times.size(); ++j)
    for (double lambda : eigenvalues) z[j] += std::exp(-lambda * times[j]);
  return z;
}

std::vector<double> hks_weights(std::span<const double> eigenvalues, std::span<const double> times,
                                HksScaling scaling) {
  const std::size_t k = eigenvalues.size(), n = times.size();
  std::vector<double> w(k * n);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < n; ++j) w[i * n + j] = std::exp(-eigenvalues[i] * times[j]);
  if (scaling == HksScaling::heat_trace) {
    const std::vector<double> z = heat_trace(eigenvalues, times);
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < n; ++j) w[i * n + j] /= z[j];
  }
  return w;
}

std::vector<double> hks(const spectral::Eigenpairs& eigen, std::span<const double> times,
                        HksScaling scaling, std::int64_t block_rows) {
  const std::vector<double> w = hks_weights(eigen.values, times, scaling);
  return kernel_signature(eigen, w, static_cast<std::int64_t>(times.size()), block_rows);
}

std::string_view name(HksScaling s) noexcept {
  return s == HksScaling::heat_trace ? "heat-trace" : "none";
}

HksScaling parse_hks_scaling(std::string_view word, std::string_view option) {
  for (auto s : {HksScaling::none, HksScaling::heat_trace})
    if (word == name(s)) return s;
  throw core::InputError("command line", std::string(option),
                         cat("'", word, "' is not one of none, heat-trace"));
}

}  // namespace spectralbrain::descriptors
