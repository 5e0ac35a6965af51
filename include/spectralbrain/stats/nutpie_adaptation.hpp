// nutpie's warm-up (nuts-rs "diagonal gradient" adaptation, Seyboldt et al.): the inverse
// metric is σ² = sqrt(Var[x] / Var[∇ log p]), which for a Gaussian is exact, estimated
// from the start and updated after every draw.
//
// Schedule for a warm-up of T draws: the metric starts as 1/|∇ log p(x₀)|; draws (and
// their gradients) go into a foreground and a background estimator; the metric is
// recomputed from the foreground after every draw; when the background holds `switch`
// draws it becomes the foreground and a fresh background starts (switch = 10 draws during
// the first 30 % of warm-up, 80 after), so early, poor draws are forgotten. The metric is
// frozen for the last 15 % of warm-up, where only the step size adapts. The step size
// follows dual averaging throughout; it is searched again (and dual averaging restarted)
// the first time the metric changes.
#pragma once

#include <cstddef>

#include "spectralbrain/stats/adaptation.hpp"
#include "spectralbrain/stats/stan_adaptation.hpp"
#include "spectralbrain/stats/step_size.hpp"

namespace spectralbrain::stats {

/// Settings of the nutpie scheme (nuts-rs defaults).
struct NutpieAdaptationOptions {
  DualAveragingOptions dual_averaging;  ///< target_accept is set from SamplerConfig
  double early_window = 0.3;            ///< share of warm-up with the early switch frequency
  double step_size_window = 0.15;       ///< final share of warm-up with a frozen metric
  std::size_t switch_freq = 80;         ///< draws in the background before it takes over
  std::size_t early_switch_freq = 10;   ///< the same in the early window
  double min_variance = 1e-20;          ///< clip of σ² (below)
  double max_variance = 1e20;           ///< clip of σ² (above)
};

/// nutpie's gradient-based diagonal metric adaptation with dual-averaged step size.
class NutpieAdaptation : public Adaptation {
 public:
  /// Adaptation for a warm-up of `n_tune` draws.
  NutpieAdaptation(std::size_t n_tune, const NutpieAdaptationOptions& options);
  /// Metric 1/|∇ log p(x₀)|, heuristic step size, dual averaging from μ = log(10 ε).
  void start(ChainState& chain) override;
  /// Add the draw and its gradient to the estimators, switch them on schedule, update the
  /// metric, then take a dual-averaging step (or search the step size after the first update).
  void learn(std::size_t iteration, const NutsStats& stats, ChainState& chain) override;
  /// Step size exp(x̄) from dual averaging.
  void finish(ChainState& chain) override;

  /// First warm-up iteration with a frozen metric.
  std::size_t metric_end() const { return metric_end_; }
  /// First warm-up iteration after the early window.
  std::size_t early_end() const { return early_end_; }
  /// Iterations after which the background estimator took over, so far.
  const std::vector<std::size_t>& switches() const { return switches_; }

 private:
  bool update_metric(ChainState& chain);

  NutpieAdaptationOptions options_;
  std::size_t early_end_, metric_end_;
  DualAveraging dual_averaging_;
  WelfordVariance draws_{0}, grads_{0}, draws_bg_{0}, grads_bg_{0};
  std::vector<double> var_draws_, var_grads_, inv_metric_;
  bool metric_changed_ = false;
  std::vector<std::size_t> switches_;
};

}  // namespace spectralbrain::stats
