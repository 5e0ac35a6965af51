// Wave kernel signature.
#include "spectralbrain/descriptors/wks.hpp"

#include <cmath>
#include <limits>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/spectrum.hpp"

namespace spectralbrain::descriptors {

using core::cat;

namespace {

// log λ of the nonzero modes (zero modes get −∞, i.e. weight 0).
std::vector<double> log_eigenvalues(std::span<const double> eigenvalues, std::size_t z) {
  std::vector<double> log_lambda(eigenvalues.size(), -std::numeric_limits<double>::infinity());
  for (std::size_t i = z; i < eigenvalues.size(); ++i) {
    if (!(eigenvalues[i] > 0))
      throw core::InputError(
          "eigenvalues", "WKS",
          cat("eigenvalue ", i, " is ", eigenvalues[i], ": not a Laplace-Beltrami spectrum"));
    log_lambda[i] = std::log(eigenvalues[i]);
  }
  return log_lambda;
}

void check_positive(double value, const char* option) {
  if (!(std::isfinite(value) && value > 0))
    throw core::InputError("command line", option, cat(value, " must be finite and > 0"));
}

}  // namespace

WksGrid wks_grid(std::span<const double> eigenvalues, const WksOptions& options) {
  const int n = options.n_energies;
  if (n < 1) throw core::InputError("command line", "--wks-energies", cat(n, ": at least 1"));
  if (options.sigma) check_positive(*options.sigma, "--wks-sigma");
  check_positive(options.variance_factor, "--wks-variance-factor");
  for (auto [value, option] :
       {std::pair{options.e_min, "--wks-emin"}, std::pair{options.e_max, "--wks-emax"}})
    if (value && !std::isfinite(*value))
      throw core::InputError("command line", option, cat(*value, " is not finite"));

  // The default window is [log λ₁ + 2σ, log λ_max − 2σ] with σ = w·range/E: empty exactly
  // when 4w > E, whatever the spectrum, so say so in those terms.
  if (!options.sigma && !options.e_min && !options.e_max && 4 * options.variance_factor > n)
    throw core::InputError(
        "command line", "--wks-energies",
        cat(n, " energies with --wks-variance-factor ", options.variance_factor,
            ": the default energy window (log lambda_1 + 2 sigma .. log lambda_max - 2 sigma, "
            "sigma = factor * log range / energies) is empty unless energies >= 4 * factor = ",
            4 * options.variance_factor));
  const bool needs_spectrum = !options.sigma || !options.e_min || !options.e_max;
  double log_first = 0, log_last = 0;
  if (needs_spectrum) {
    const std::size_t z = count_zero_modes(eigenvalues);
    if (eigenvalues.size() < z + 2 || !(eigenvalues.back() > eigenvalues[z]))
      throw core::InputError(
          "eigenvalues", "WKS energies",
          cat("the default energy range needs 2 distinct nonzero eigenvalues; this spectrum has ",
              eigenvalues.size() - z, " nonzero of ", eigenvalues.size()));
    const std::vector<double> log_lambda = log_eigenvalues(eigenvalues, z);
    log_first = log_lambda[z];
    log_last = log_lambda.back();
  }
  WksGrid grid;
  grid.sigma =
      options.sigma ? *options.sigma : options.variance_factor * (log_last - log_first) / n;
  const double e_min = options.e_min ? *options.e_min : log_first + 2 * grid.sigma;
  const double e_max = options.e_max ? *options.e_max : log_last - 2 * grid.sigma;
  if (e_min > e_max)
    throw core::InputError(
        "command line", "WKS energies",
        cat("empty energy window: e_min = ", e_min, " > e_max = ", e_max,
            options.e_min && options.e_max
                ? std::string()
                : cat(" (the default window, log lambda_1 + 2 sigma .. log lambda_max - 2 sigma,"
                      " is empty when 4 sigma = ",
                      4 * grid.sigma, " exceeds the log-eigenvalue range ", log_last - log_first,
                      "; use more --wks-energies or a smaller --wks-variance-factor)")));
  grid.energies.resize(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j)
    grid.energies[static_cast<std::size_t>(j)] =
        n == 1 ? e_min : e_min + (e_max - e_min) * j / (n - 1);
  if (n > 1) grid.energies.back() = e_max;
  return grid;
}

std::vector<double> wks_weights(std::span<const double> eigenvalues, const WksGrid& grid,
                                WksNormalization normalization) {
  const std::size_t k = eigenvalues.size(), n = grid.energies.size();
  const std::vector<double> log_lambda =
      log_eigenvalues(eigenvalues, count_zero_modes(eigenvalues));
  const double two_sigma2 = 2 * grid.sigma * grid.sigma;
  std::vector<double> w(k * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    double sum = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const double d = grid.energies[j] - log_lambda[i];
      const double g = std::isinf(log_lambda[i]) ? 0.0 : std::exp(-d * d / two_sigma2);
      w[i * n + j] = g;
      sum += g;
    }
    if (normalization == WksNormalization::paper) {
      if (!(sum > 0))
        throw core::InputError("eigenvalues", "WKS energies",
                               cat("energy ", grid.energies[j],
                                   " is too far from every log eigenvalue for sigma = ", grid.sigma,
                                   " (all weights are 0): choose energies inside the spectrum"));
      for (std::size_t i = 0; i < k; ++i) w[i * n + j] /= sum;
    }
  }
  return w;
}

std::vector<double> wks(const spectral::Eigenpairs& eigen, const WksGrid& grid,
                        WksNormalization normalization, std::int64_t block_rows) {
  const std::vector<double> w = wks_weights(eigen.values, grid, normalization);
  return kernel_signature(eigen, w, static_cast<std::int64_t>(grid.energies.size()), block_rows);
}

std::string_view name(WksNormalization n) noexcept {
  return n == WksNormalization::paper ? "paper" : "none";
}

WksNormalization parse_wks_normalization(std::string_view word, std::string_view option) {
  for (auto n : {WksNormalization::none, WksNormalization::paper})
    if (word == name(n)) return n;
  throw core::InputError("command line", std::string(option),
                         cat("'", word, "' is not one of none, paper"));
}

}  // namespace spectralbrain::descriptors
