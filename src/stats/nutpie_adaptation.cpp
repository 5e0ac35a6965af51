// nutpie's gradient-based diagonal metric adaptation.
#include "spectralbrain/stats/nutpie_adaptation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace spectralbrain::stats {

NutpieAdaptation::NutpieAdaptation(std::size_t n_tune, const NutpieAdaptationOptions& options)
    : options_(options),
      early_end_(static_cast<std::size_t>(options.early_window * static_cast<double>(n_tune))),
      metric_end_(n_tune - std::min(n_tune, static_cast<std::size_t>(options.step_size_window *
                                                                     static_cast<double>(n_tune)))),
      dual_averaging_(options.dual_averaging) {}

void NutpieAdaptation::start(ChainState& chain) {
  const std::size_t n = chain.z.q.size();
  for (auto* w : {&draws_, &grads_, &draws_bg_, &grads_bg_}) *w = WelfordVariance(n);
  var_draws_.assign(n, 1.0);
  var_grads_.assign(n, 1.0);
  inv_metric_.assign(n, 1.0);
  draws_.add(chain.z.q);
  draws_bg_.add(chain.z.q);
  grads_.add(chain.z.grad);
  grads_bg_.add(chain.z.grad);
  // Before any draw, 1/|∇ log p| is the variance that makes a Gaussian's score unit-scaled
  // at this point; a zero or non-finite gradient leaves the coordinate at 1.
  for (std::size_t i = 0; i < n; ++i) {
    const double v = 1.0 / std::abs(chain.z.grad[i]);
    if (std::isfinite(v))
      inv_metric_[i] = std::clamp(v, options_.min_variance, options_.max_variance);
  }
  chain.metric.set_inv_metric(inv_metric_);
  chain.step_size =
      find_reasonable_step_size(chain.density, chain.metric, chain.z, chain.step_size, chain.rng);
  dual_averaging_.restart(std::log(10 * chain.step_size));
}

bool NutpieAdaptation::update_metric(ChainState& chain) {
  if (draws_.count() < 3) return false;
  draws_.variance(var_draws_);
  grads_.variance(var_grads_);
  for (std::size_t i = 0; i < inv_metric_.size(); ++i) {
    const double v = std::sqrt(var_draws_[i] / var_grads_[i]);
    if (std::isfinite(v) && v > 0)
      inv_metric_[i] = std::clamp(v, options_.min_variance, options_.max_variance);
  }
  chain.metric.set_inv_metric(inv_metric_);
  return true;
}

void NutpieAdaptation::learn(std::size_t iteration, const NutsStats& stats, ChainState& chain) {
  if (iteration >= metric_end_) {
    chain.step_size = dual_averaging_.learn(stats.acceptance_rate);
    return;
  }
  // A draw that did not move says nothing about the scale; after a divergence, points next
  // to the start are suspect too.
  const bool good = stats.diverging ? std::labs(stats.index) > 4 : stats.index != 0;
  if (good) {
    draws_.add(chain.z.q);
    grads_.add(chain.z.grad);
    draws_bg_.add(chain.z.q);
    grads_bg_.add(chain.z.grad);
  }
  const std::size_t freq =
      iteration < early_end_ ? options_.early_switch_freq : options_.switch_freq;
  const bool late = iteration + freq > metric_end_;
  if (draws_bg_.count() >= freq && !late) {
    std::swap(draws_, draws_bg_);
    std::swap(grads_, grads_bg_);
    draws_bg_.reset();
    grads_bg_.reset();
    switches_.push_back(iteration);
  }
  const bool changed = update_metric(chain);
  if (changed && !metric_changed_) {
    // The first estimate replaces the one-point guess: search the step size afresh.
    metric_changed_ = true;
    chain.step_size =
        find_reasonable_step_size(chain.density, chain.metric, chain.z, chain.step_size, chain.rng);
    dual_averaging_.restart(std::log(10 * chain.step_size));
  } else {
    chain.step_size = dual_averaging_.learn(stats.acceptance_rate);
  }
}

void NutpieAdaptation::finish(ChainState& chain) {
  if (dual_averaging_.count() > 0) chain.step_size = dual_averaging_.final_step_size();
}

}  // namespace spectralbrain::stats
