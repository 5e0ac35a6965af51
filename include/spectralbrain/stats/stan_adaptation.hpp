// Stan's warm-up: dual averaging of the step size plus a diagonal metric estimated in
// expanding windows (Stan Reference Manual, "HMC algorithm parameters": an initial fast
// interval of 75 iterations, slow windows of 25 doubling up, a terminal fast interval of
// 50; scaled to 15 % / 75 % / 10 % of the warm-up when it is shorter than their sum).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "spectralbrain/stats/adaptation.hpp"
#include "spectralbrain/stats/step_size.hpp"

namespace spectralbrain::stats {

/// Settings of Stan's windowed adaptation.
struct StanAdaptationOptions {
  DualAveragingOptions dual_averaging;  ///< target_accept is set from SamplerConfig
  std::size_t init_buffer = 75;         ///< initial fast interval (step size only)
  std::size_t term_buffer = 50;         ///< terminal fast interval (step size only)
  std::size_t base_window = 25;         ///< first slow window; later ones double
};

/// A slow window: warm-up iterations [begin, end) whose draws estimate the metric, which
/// is updated after iteration end-1.
struct AdaptationWindow {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const AdaptationWindow&) const = default;
};

/// The slow windows Stan uses for a warm-up of `n_tune` iterations. Empty when n_tune < 20
/// (Stan then adapts the step size only). For n_tune = 1000 and the defaults:
/// [75,100) [100,150) [150,250) [250,450) [450,950). A window whose successor would not fit
/// twice in what is left is stretched to the start of the terminal buffer.
std::vector<AdaptationWindow> stan_metric_windows(std::size_t n_tune,
                                                  const StanAdaptationOptions& options);

/// Welford's running mean and variance of vectors.
class WelfordVariance {
 public:
  /// An estimator for vectors of size n.
  explicit WelfordVariance(std::size_t n) : mean_(n, 0.0), m2_(n, 0.0) {}
  /// Add one sample (size n).
  void add(std::span<const double> x);
  /// Number of samples added since the last reset().
  std::size_t count() const { return count_; }
  /// Sample variance with denominator count-1 into `out` (size n); needs count >= 2.
  void variance(std::span<double> out) const;
  /// Forget all samples.
  void reset();

 private:
  std::size_t count_ = 0;
  std::vector<double> mean_, m2_;
};

/// Stan's shrinkage of a variance estimate from `n` draws towards 1e-3:
/// v ← n/(n+5)·v + 1e-3·5/(n+5), in place.
void stan_regularize_variance(std::size_t n, std::span<double> variance);

/// Stan's warm-up scheme. start(): unit metric, heuristic step size from the configured
/// initial one, μ = log(10 ε_initial). learn(): one dual-averaging step; at the end of each
/// slow window the metric becomes the regularised variance of the window's draws, the step
/// size is searched again and dual averaging restarts with μ = log(10 ε). finish(): ε = exp(x̄).
class StanAdaptation : public Adaptation {
 public:
  /// Adaptation for a warm-up of `n_tune` iterations.
  StanAdaptation(std::size_t n_tune, const StanAdaptationOptions& options);
  /// Unit metric, heuristic step size, dual averaging from μ = log(10 ε_initial).
  void start(ChainState& chain) override;
  /// One dual-averaging step; inside a slow window add the draw, at its end update the metric.
  void learn(std::size_t iteration, const NutsStats& stats, ChainState& chain) override;
  /// Step size exp(x̄) (kept as searched if nothing was averaged since the last restart).
  void finish(ChainState& chain) override;
  /// The slow windows in use.
  const std::vector<AdaptationWindow>& windows() const { return windows_; }

 private:
  std::size_t n_tune_;
  StanAdaptationOptions options_;
  std::vector<AdaptationWindow> windows_;
  std::size_t next_window_ = 0;
  DualAveraging dual_averaging_;
  WelfordVariance estimator_{0};
  std::vector<double> variance_;
};

}  // namespace spectralbrain::stats
