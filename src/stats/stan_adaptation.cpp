// Stan's windowed adaptation of a diagonal metric with dual-averaged step size.
#include "spectralbrain/stats/stan_adaptation.hpp"

#include <cmath>

namespace spectralbrain::stats {

std::vector<AdaptationWindow> stan_metric_windows(std::size_t n_tune,
                                                  const StanAdaptationOptions& options) {
  std::vector<AdaptationWindow> windows;
  if (n_tune < 20) return windows;
  std::size_t init = options.init_buffer, term = options.term_buffer, base = options.base_window;
  if (init + base + term > n_tune) {
    // Stan truncates the 15 % and 10 % shares and gives the rest to one slow window.
    init = static_cast<std::size_t>(0.15 * static_cast<double>(n_tune));
    term = static_cast<std::size_t>(0.1 * static_cast<double>(n_tune));
    base = n_tune - (init + term);
  }
  const std::size_t last = n_tune - term - 1;  // last iteration of the last slow window
  std::size_t size = base;
  std::size_t begin = init;
  std::size_t end = init + size - 1;  // inclusive
  while (true) {
    if (end > last) end = last;
    windows.push_back({begin, end + 1});
    if (end == last) break;
    size *= 2;
    begin = end + 1;
    end = end + size;
    // Stretch this window to the terminal buffer when the next would not fit.
    if (end != last && end + 2 * size >= n_tune - term) end = last;
  }
  return windows;
}

void WelfordVariance::add(std::span<const double> x) {
  ++count_;
  const double inv = 1.0 / static_cast<double>(count_);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double delta = x[i] - mean_[i];
    mean_[i] += delta * inv;
    m2_[i] += delta * (x[i] - mean_[i]);
  }
}

void WelfordVariance::variance(std::span<double> out) const {
  const double inv = 1.0 / static_cast<double>(count_ - 1);
  for (std::size_t i = 0; i < m2_.size(); ++i) out[i] = m2_[i] * inv;
}

void WelfordVariance::reset() {
  count_ = 0;
  std::fill(mean_.begin(), mean_.end(), 0.0);
  std::fill(m2_.begin(), m2_.end(), 0.0);
}

void stan_regularize_variance(std::size_t n, std::span<double> variance) {
  const double dn = static_cast<double>(n);
  for (double& v : variance) v = dn / (dn + 5.0) * v + 1e-3 * (5.0 / (dn + 5.0));
}

StanAdaptation::StanAdaptation(std::size_t n_tune, const StanAdaptationOptions& options)
    : n_tune_(n_tune),
      options_(options),
      windows_(stan_metric_windows(n_tune, options)),
      dual_averaging_(options.dual_averaging) {}

void StanAdaptation::start(ChainState& chain) {
  const std::size_t n = chain.z.q.size();
  estimator_ = WelfordVariance(n);
  variance_.assign(n, 1.0);
  // As Stan's services: μ from the configured step size, then the search from it.
  dual_averaging_.restart(std::log(10 * chain.step_size));
  chain.step_size =
      find_reasonable_step_size(chain.density, chain.metric, chain.z, chain.step_size, chain.rng);
}

void StanAdaptation::learn(std::size_t iteration, const NutsStats& stats, ChainState& chain) {
  chain.step_size = dual_averaging_.learn(stats.acceptance_rate);
  if (next_window_ >= windows_.size()) return;
  const AdaptationWindow& w = windows_[next_window_];
  if (iteration < w.begin) return;
  estimator_.add(chain.z.q);
  if (iteration + 1 < w.end) return;
  // End of a slow window: new metric, new step size, fresh dual averaging.
  estimator_.variance(variance_);
  stan_regularize_variance(estimator_.count(), variance_);
  chain.metric.set_inv_metric(variance_);
  estimator_.reset();
  ++next_window_;
  chain.step_size =
      find_reasonable_step_size(chain.density, chain.metric, chain.z, chain.step_size, chain.rng);
  dual_averaging_.restart(std::log(10 * chain.step_size));
}

void StanAdaptation::finish(ChainState& chain) {
  // With nothing averaged since the last restart (no warm-up, or no terminal buffer), keep
  // the searched step size rather than Stan's exp(0) = 1.
  if (dual_averaging_.count() > 0) chain.step_size = dual_averaging_.final_step_size();
}

}  // namespace spectralbrain::stats
