// Draw summaries for the statistical tests.
#include "test_helpers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace spectralbrain::stats::testing {

std::vector<double> entry(const Variable& v, std::size_t n_chains, std::size_t n_draws,
                          std::size_t index) {
  const std::size_t m = v.values.size() / (n_chains * n_draws);
  std::vector<double> x(n_chains * n_draws);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = v.values[i * m + index];
  return x;
}

const Variable& find(const std::vector<Variable>& vars, const std::string& name) {
  for (const Variable& v : vars)
    if (v.name == name) return v;
  throw std::runtime_error("no variable " + name);
}

double mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double sd(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

double ess(const std::vector<double>& x, std::size_t n_chains, std::size_t n_draws) {
  const double n = static_cast<double>(n_draws);
  std::vector<double> chain_mean(n_chains), chain_var(n_chains);
  for (std::size_t c = 0; c < n_chains; ++c) {
    const std::vector<double> xc(x.begin() + c * n_draws, x.begin() + (c + 1) * n_draws);
    chain_mean[c] = mean(xc);
    chain_var[c] = sd(xc) * sd(xc);
  }
  const double w = mean(chain_var);
  double b = 0;
  if (n_chains > 1) {
    const double mm = mean(chain_mean);
    for (double m : chain_mean) b += (m - mm) * (m - mm);
    b *= n / static_cast<double>(n_chains - 1);
  }
  const double var_plus = w * (n - 1) / n + b / n;
  if (!(var_plus > 0)) return static_cast<double>(n_chains) * n;
  // ρ_t = 1 − (W − mean autocovariance at lag t) / var⁺
  auto rho = [&](std::size_t t) {
    double acov = 0;
    for (std::size_t c = 0; c < n_chains; ++c) {
      const double* xc = x.data() + c * n_draws;
      double s = 0;
      for (std::size_t i = 0; i + t < n_draws; ++i)
        s += (xc[i] - chain_mean[c]) * (xc[i + t] - chain_mean[c]);
      acov += s / n;
    }
    acov /= static_cast<double>(n_chains);
    return 1 - (w * (n - 1) / n - acov) / var_plus;
  };
  // Geyer: sum pairs Γ_k = ρ_{2k} + ρ_{2k+1} while positive, made monotone.
  double tau = -1, previous = std::numeric_limits<double>::infinity();
  for (std::size_t t = 0; t + 1 < n_draws; t += 2) {
    double pair = rho(t) + rho(t + 1);
    if (pair <= 0) break;
    pair = std::min(pair, previous);
    previous = pair;
    tau += 2 * pair;
  }
  const double total = static_cast<double>(n_chains) * n;
  // Cap at N log10 N as Stan does for antithetic chains.
  return std::min(total / tau, total * std::log10(total));
}

Summary summarize(const std::vector<double>& x, std::size_t n_chains, std::size_t n_draws) {
  return {mean(x), sd(x), ess(x, n_chains, n_draws)};
}

}  // namespace spectralbrain::stats::testing
