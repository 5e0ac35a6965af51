// Convergence diagnostics (Vehtari et al. 2021) with the numerical conventions of R's
// posterior package 1.4.0, so that results agree with it to rounding; see diagnostics.hpp.
#include "spectralbrain/stats/diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

#include "fft.hpp"

namespace spectralbrain::stats {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Draws of one quantity as columns (chains) of equal length: chain c is
/// values[c * n_draws, (c + 1) * n_draws).
struct Chains {
  std::vector<double> values;
  std::size_t n_chains = 0;
  std::size_t n_draws = 0;
  std::span<const double> chain(std::size_t c) const {
    return std::span<const double>(values).subspan(c * n_draws, n_draws);
  }
};

Chains make_chains(std::span<const double> draws, std::size_t n_chains) {
  if (n_chains == 0) throw std::invalid_argument("diagnostics: n_chains must be at least 1");
  if (draws.empty() || draws.size() % n_chains != 0)
    throw std::invalid_argument("diagnostics: " + std::to_string(draws.size()) +
                                " draws do not fill " + std::to_string(n_chains) +
                                " chains of equal length");
  return {std::vector<double>(draws.begin(), draws.end()), n_chains, draws.size() / n_chains};
}

// Sums in long double, as R's mean() and matrixStats do, so that centring agrees with R.
double mean_of(std::span<const double> x) {
  long double s = 0;
  for (double v : x) s += v;
  return static_cast<double>(s / static_cast<long double>(x.size()));
}

/// Sample variance (denominator n − 1) about `centre`.
double variance_about(std::span<const double> x, double centre) {
  long double s = 0;
  for (double v : x) s += static_cast<long double>(v - centre) * (v - centre);
  return static_cast<double>(s / static_cast<long double>(x.size() - 1));
}

double sample_variance(std::span<const double> x) { return variance_about(x, mean_of(x)); }

/// posterior's should_return_NA: a non-finite value, or all values within machine epsilon.
bool degenerate(std::span<const double> x) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (double v : x) {
    if (!std::isfinite(v)) return true;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return std::abs(hi - lo) < std::numeric_limits<double>::epsilon();
}

bool any_nan(std::span<const double> x) {
  return std::any_of(x.begin(), x.end(), [](double v) { return std::isnan(v); });
}

/// Split each chain in two halves; with an odd number of draws the middle one is dropped.
/// A single draw per chain cannot be split and is returned unchanged (as posterior does).
Chains split_chains(const Chains& x) {
  if (x.n_draws == 1) return x;
  const std::size_t half = x.n_draws / 2;
  const std::size_t second = x.n_draws - half;  // first index of the second half
  Chains out{{}, 2 * x.n_chains, half};
  out.values.reserve(out.n_chains * half);
  for (std::size_t c = 0; c < x.n_chains; ++c) {
    auto chain = x.chain(c);
    out.values.insert(out.values.end(), chain.begin(), chain.begin() + half);
  }
  for (std::size_t c = 0; c < x.n_chains; ++c) {
    auto chain = x.chain(c);
    out.values.insert(out.values.end(), chain.begin() + second, chain.end());
  }
  // Column order as posterior's cbind(first halves, second halves): no diagnostic depends
  // on it, but intermediate arrays stay comparable with R's.
  return out;
}

/// Inverse of the standard normal CDF. Starts from Abramowitz & Stegun 26.2.23 (error
/// < 4.5e-4) and refines with Halley steps on erfc, which converge to full precision.
double normal_quantile(double p) {
  if (std::isnan(p) || p <= 0.0 || p >= 1.0) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return nan;
  }
  if (p == 0.5) return 0.0;
  const double q = p < 0.5 ? p : 1.0 - p;  // lower-tail probability, z < 0
  const double t = std::sqrt(-2.0 * std::log(q));
  double z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                       (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  const double sqrt2 = std::numbers::sqrt2;
  const double sqrt2pi = std::sqrt(2.0 * std::numbers::pi);
  for (int i = 0; i < 6; ++i) {
    const double err = 0.5 * std::erfc(-z / sqrt2) - q;
    const double u = err * sqrt2pi * std::exp(0.5 * z * z);
    const double step = u / (1.0 + 0.5 * z * u);
    z -= step;
    if (std::abs(step) <= 1e-16 * std::abs(z)) break;
  }
  return p < 0.5 ? z : -z;
}

/// Rank normalisation: average ranks of all values (ties share their mean rank), mapped
/// through Φ⁻¹((r − 3/8) / (S + 1/4)) (Blom's offset). Any NaN makes every value NaN.
Chains z_scale(const Chains& x) {
  Chains out = x;
  const std::size_t n = x.values.size();
  if (any_nan(x.values)) {
    std::fill(out.values.begin(), out.values.end(), nan);
    return out;
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x.values[a] < x.values[b]; });
  const double c = 3.0 / 8.0;
  const double denominator = static_cast<double>(n) - 2.0 * c + 1.0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && x.values[order[j]] == x.values[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of ranks i+1..j
    const double z = normal_quantile((rank - c) / denominator);
    for (std::size_t k = i; k < j; ++k) out.values[order[k]] = z;
    i = j;
  }
  return out;
}

/// R's quantile type 7 (linear interpolation between order statistics) of all values.
double quantile7(std::vector<double> x, double prob) {
  std::sort(x.begin(), x.end());
  const double index = 1.0 + static_cast<double>(x.size() - 1) * prob;  // 1-based, as R
  const double lo = std::floor(index);
  const double hi = std::ceil(index);
  double q = x[static_cast<std::size_t>(lo) - 1];
  const double upper = x[static_cast<std::size_t>(hi) - 1];
  if (index > lo && upper != q) {
    const double h = index - lo;
    q = (1.0 - h) * q + h * upper;
  }
  return q;
}

double median_of(std::vector<double> x) {
  const std::size_t n = x.size();
  const std::size_t mid = n / 2;
  std::nth_element(x.begin(), x.begin() + mid, x.end());
  const double upper = x[mid];
  if (n % 2 == 1) return upper;
  const double lower = *std::max_element(x.begin(), x.begin() + mid);
  return (static_cast<long double>(lower) + upper) / 2;
}

Chains map_values(const Chains& x, auto&& f) {
  Chains out = x;
  for (double& v : out.values) v = f(v);
  return out;
}

std::size_t next_power_of_two(std::size_t n) {
  std::size_t m = 1;
  while (m < n) m <<= 1;
  return m;
}

double ess_impl(const Chains& x) {
  const std::size_t m = x.n_chains;
  const std::size_t n = x.n_draws;
  if (n < 3 || degenerate(x.values)) return nan;

  // Mean autocovariance over chains, lags 0..n−1, and the chain means.
  std::vector<double> acov_mean(n, 0.0);
  std::vector<double> chain_means(m);
  for (std::size_t c = 0; c < m; ++c) {
    const auto acov = autocovariance(x.chain(c));
    for (std::size_t t = 0; t < n; ++t) acov_mean[t] += acov[t];
    chain_means[c] = mean_of(x.chain(c));
  }
  for (double& a : acov_mean) a /= static_cast<double>(m);

  const double nd = static_cast<double>(n);
  const double mean_var = acov_mean[0] * nd / (nd - 1.0);  // W, the within-chain variance
  double var_plus = mean_var * (nd - 1.0) / nd;            // var⁺ = (n−1)/n W + B/n
  if (m > 1) var_plus += sample_variance(chain_means);

  auto rho = [&](std::size_t t) { return 1.0 - (mean_var - acov_mean[t]) / var_plus; };

  // Geyer's initial positive sequence: sum autocorrelations in pairs (even lag t, t+1)
  // while the pair sums stay positive. posterior stores a pair only if its sum is ≥ 0 and
  // keeps looking at lags up to n − 4.
  std::vector<double> rho_hat(n, 0.0);
  std::size_t t = 0;
  double rho_even = 1.0;
  double rho_odd = rho(1);
  rho_hat[0] = rho_even;
  rho_hat[1] = rho_odd;
  while (t + 5 < n && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0) {
    t += 2;
    rho_even = rho(t);
    rho_odd = rho(t + 1);
    if (rho_even + rho_odd >= 0) {
      rho_hat[t] = rho_even;
      rho_hat[t + 1] = rho_odd;
    }
  }
  const std::size_t max_t = t;
  // The last even lag still counts on its own when it is positive.
  if (rho_even > 0) rho_hat[max_t] = rho_even;

  // Geyer's initial monotone sequence: pair sums may not increase.
  for (t = 2; t + 2 <= max_t; t += 2) {
    if (rho_hat[t] + rho_hat[t + 1] > rho_hat[t - 2] + rho_hat[t - 1]) {
      rho_hat[t] = (rho_hat[t - 2] + rho_hat[t - 1]) / 2;
      rho_hat[t + 1] = rho_hat[t];
    }
  }

  // τ = −1 + 2 Σ_{t<max_t} ρ_t + ρ_{max_t}. When no pair was added (max_t = 0), posterior's
  // R indexing rho_hat_t[1:0] picks lag 0 once, giving τ = 2; kept so results agree.
  double sum = 0.0;
  if (max_t == 0) {
    sum = rho_hat[0];
  } else {
    for (std::size_t k = 0; k < max_t; ++k) sum += rho_hat[k];
  }
  double tau = -1.0 + 2.0 * sum + rho_hat[max_t];
  const double total = static_cast<double>(m * n);
  // Antithetic chains can give τ near 0; capping τ at 1/log10(S) caps ESS at S·log10(S).
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

double rhat_impl(const Chains& x) {
  const std::size_t n = x.n_draws;
  if (degenerate(x.values) || n < 2 || x.n_chains < 2) return nan;
  std::vector<double> means(x.n_chains);
  double within = 0.0;
  for (std::size_t c = 0; c < x.n_chains; ++c) {
    means[c] = mean_of(x.chain(c));
    within += variance_about(x.chain(c), means[c]);
  }
  within /= static_cast<double>(x.n_chains);
  const double nd = static_cast<double>(n);
  const double between = nd * sample_variance(means);
  return std::sqrt((between / within + nd - 1.0) / nd);
}

double ess_quantile_impl(const Chains& x, double prob) {
  if (degenerate(x.values)) return nan;
  if (prob == 1.0) {
    const double s = static_cast<double>(x.values.size());
    prob = (s - 0.5) / s;
  }
  const double q = quantile7(x.values, prob);
  return ess_impl(split_chains(map_values(x, [q](double v) { return v <= q ? 1.0 : 0.0; })));
}

}  // namespace

std::vector<double> autocovariance(std::span<const double> chain) {
  const std::size_t n = chain.size();
  if (n == 0) throw std::invalid_argument("autocovariance: empty chain");
  std::vector<double> out(n, 0.0);
  if (n == 1) return out;
  const double mean = mean_of(chain);
  const double var = variance_about(chain, mean);
  if (var == 0.0) return out;

  // Zero-padding to at least 2n makes the circular correlation the linear one.
  std::vector<std::complex<double>> work(next_power_of_two(2 * n));
  for (std::size_t i = 0; i < n; ++i) work[i] = chain[i] - mean;
  detail::fft(work);
  for (auto& w : work) w = std::norm(w);
  detail::fft(work, true);

  // Σ_t y_t y_{t+k} / n, scaled through lag 0 so that it equals the biased variance there.
  const double lag0 = work[0].real();
  const double biased_var = var * static_cast<double>(n - 1) / static_cast<double>(n);
  for (std::size_t k = 0; k < n; ++k) out[k] = work[k].real() / lag0 * biased_var;
  return out;
}

double ess_of_chains(std::span<const double> draws, std::size_t n_chains) {
  return ess_impl(make_chains(draws, n_chains));
}

double rhat_of_chains(std::span<const double> draws, std::size_t n_chains) {
  return rhat_impl(make_chains(draws, n_chains));
}

double rhat(std::span<const double> draws, std::size_t n_chains) {
  const Chains x = make_chains(draws, n_chains);
  const double bulk = rhat_impl(z_scale(split_chains(x)));
  const double med = median_of(x.values);
  const double tail = rhat_impl(
      z_scale(split_chains(map_values(x, [med](double v) { return std::abs(v - med); }))));
  if (std::isnan(bulk) || std::isnan(tail)) return nan;
  return std::max(bulk, tail);
}

double rhat_basic(std::span<const double> draws, std::size_t n_chains) {
  return rhat_impl(split_chains(make_chains(draws, n_chains)));
}

double ess_bulk(std::span<const double> draws, std::size_t n_chains) {
  return ess_impl(z_scale(split_chains(make_chains(draws, n_chains))));
}

double ess_quantile(std::span<const double> draws, std::size_t n_chains, double prob) {
  if (!(prob >= 0.0 && prob <= 1.0))
    throw std::invalid_argument("ess_quantile: prob must be in [0, 1]");
  return ess_quantile_impl(make_chains(draws, n_chains), prob);
}

double ess_tail(std::span<const double> draws, std::size_t n_chains) {
  const Chains x = make_chains(draws, n_chains);
  const double lower = ess_quantile_impl(x, 0.05);
  const double upper = ess_quantile_impl(x, 0.95);
  if (std::isnan(lower) || std::isnan(upper)) return nan;
  return std::min(lower, upper);
}

double ess_basic(std::span<const double> draws, std::size_t n_chains) {
  return ess_impl(split_chains(make_chains(draws, n_chains)));
}

double ess_mean(std::span<const double> draws, std::size_t n_chains) {
  return ess_basic(draws, n_chains);
}

double ess_sd(std::span<const double> draws, std::size_t n_chains) {
  const Chains x = make_chains(draws, n_chains);
  const double mean = mean_of(x.values);
  return ess_impl(split_chains(map_values(x, [mean](double v) { return std::abs(v - mean); })));
}

double mcse_mean(std::span<const double> draws, std::size_t n_chains) {
  const Chains x = make_chains(draws, n_chains);
  if (x.values.size() < 2) return nan;
  return std::sqrt(sample_variance(x.values)) / std::sqrt(ess_impl(split_chains(x)));
}

double mcse_sd(std::span<const double> draws, std::size_t n_chains) {
  const Chains x = make_chains(draws, n_chains);
  const double mean = mean_of(x.values);
  const Chains squared = map_values(x, [mean](double v) { return (v - mean) * (v - mean); });
  const double ess = ess_impl(split_chains(squared));
  // Population moments of the centred draws: E[(x−x̄)²] and E[(x−x̄)⁴].
  const double m2 = mean_of(squared.values);
  long double s4 = 0;
  for (double v : squared.values) s4 += static_cast<long double>(v) * v;
  const double m4 = static_cast<double>(s4 / static_cast<long double>(squared.values.size()));
  const double var_of_var = (m4 - m2 * m2) / ess;
  return std::sqrt(var_of_var / m2 / 4.0);
}

Interval hdi(std::span<const double> draws, double prob) {
  if (!(prob > 0.0 && prob <= 1.0)) throw std::invalid_argument("hdi: prob must be in (0, 1]");
  std::vector<double> x;
  x.reserve(draws.size());
  for (double v : draws)
    if (!std::isnan(v)) x.push_back(v);
  const std::size_t n = x.size();
  const auto k = static_cast<std::size_t>(std::floor(prob * static_cast<double>(n)));
  if (n < 2 || k >= n)
    throw std::invalid_argument("hdi: too few draws (" + std::to_string(n) +
                                ") for an interval of probability " + std::to_string(prob));
  std::sort(x.begin(), x.end());
  std::size_t best = 0;
  double best_width = x[k] - x[0];
  for (std::size_t i = 1; i + k < n; ++i) {
    const double width = x[i + k] - x[i];
    if (width < best_width) {
      best_width = width;
      best = i;
    }
  }
  return {x[best], x[best + k]};
}

std::vector<double> ebfmi(std::span<const double> energy, std::size_t n_chains) {
  const Chains x = make_chains(energy, n_chains);
  std::vector<double> out(n_chains, nan);
  if (x.n_draws < 2) return out;
  for (std::size_t c = 0; c < n_chains; ++c) {
    const auto e = x.chain(c);
    long double jumps = 0;
    for (std::size_t t = 1; t < e.size(); ++t)
      jumps += static_cast<long double>(e[t] - e[t - 1]) * (e[t] - e[t - 1]);
    const double mean = mean_of(e);
    long double spread = 0;
    for (double v : e) spread += static_cast<long double>(v - mean) * (v - mean);
    if (spread == 0) continue;
    const auto n = static_cast<long double>(e.size());
    out[c] = static_cast<double>((jumps / (n - 1)) / (spread / n));
  }
  return out;
}

namespace {
const Variable* find_variable(const std::vector<Variable>& group, const std::string& name) {
  for (const auto& v : group)
    if (v.name == name) return &v;
  return nullptr;
}

std::span<const double> per_draw_values(const Variable& v, const PosteriorDraws& draws) {
  std::size_t per_draw = 1;
  for (std::size_t s : v.shape) per_draw *= s;
  if (per_draw != 1 || v.values.size() != draws.n_chains * draws.n_draws)
    throw std::invalid_argument("sample_stats/" + v.name + ": expected one value per draw (" +
                                std::to_string(draws.n_chains) + " chains × " +
                                std::to_string(draws.n_draws) + " draws), found " +
                                std::to_string(v.values.size()) + " values");
  return v.values;
}
}  // namespace

SamplerChecks sampler_checks(const PosteriorDraws& draws, int max_tree_depth) {
  SamplerChecks out;
  out.n_transitions = draws.n_chains * draws.n_draws;
  if (const Variable* v = find_variable(draws.sample_stats, "diverging")) {
    out.has_diverging = true;
    for (double d : per_draw_values(*v, draws)) out.n_divergent += d != 0.0;
  }
  if (const Variable* v = find_variable(draws.sample_stats, "reached_max_treedepth")) {
    out.has_tree_depth = true;
    for (double d : per_draw_values(*v, draws)) out.n_max_tree_depth += d != 0.0;
  } else if (const Variable* v = find_variable(draws.sample_stats, "tree_depth")) {
    out.has_tree_depth = true;
    for (double d : per_draw_values(*v, draws))
      out.n_max_tree_depth += d >= static_cast<double>(max_tree_depth);
  }
  if (const Variable* v = find_variable(draws.sample_stats, "energy"))
    out.ebfmi = ebfmi(per_draw_values(*v, draws), draws.n_chains);
  return out;
}

}  // namespace spectralbrain::stats
