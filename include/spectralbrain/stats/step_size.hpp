// Step-size adaptation: Nesterov dual averaging of log ε towards a target acceptance
// statistic (Hoffman & Gelman 2014, §3.2, as in Stan), and Stan's initial step-size search.
#pragma once

#include "spectralbrain/stats/integrator.hpp"
#include "spectralbrain/stats/rng.hpp"

namespace spectralbrain::stats {

/// Constants of dual averaging (Stan's defaults).
struct DualAveragingOptions {
  double target_accept = 0.8;  ///< δ, the acceptance statistic aimed at
  double gamma = 0.05;         ///< γ, shrinkage towards μ
  double t0 = 10;              ///< t₀, damping of early iterations
  double kappa = 0.75;         ///< κ, decay of the averaging weights
};

/// Dual averaging of log step size. After restart(μ), each learn() returns the next step
/// size exp(x_t); final_step_size() is exp(x̄_t), the step size to sample with.
class DualAveraging {
 public:
  /// Dual averaging with the given constants; call restart() before learn().
  explicit DualAveraging(const DualAveragingOptions& options) : options_(options) {}

  /// Forget the history and shrink towards μ = `mu` (Stan: μ = log(10 ε)).
  void restart(double mu);
  /// Take one acceptance statistic (clipped to 1); returns the next step size exp(x).
  double learn(double accept_stat);
  /// exp(x̄): the averaged step size (1 before any learn(), as in Stan).
  double final_step_size() const;
  /// Number of statistics taken since the last restart().
  long count() const { return counter_; }
  /// The constants.
  const DualAveragingOptions& options() const { return options_; }

 private:
  DualAveragingOptions options_;
  double mu_ = 0, s_bar_ = 0, x_bar_ = 0;
  long counter_ = 0;
};

/// Stan's initial step-size heuristic: from `eps`, double (or halve) the step size until
/// the acceptance probability exp(H₀ − H) of one leapfrog step from `z` with a fresh
/// momentum crosses 0.8. `z` is left unchanged. Returns the new step size; returns `eps`
/// unchanged when it is 0, NaN or above 1e7. Throws core::ComputationError when the step
/// size runs off to 0 or above 1e7 (an improper or broken density).
double find_reasonable_step_size(Density& density, const DiagonalMetric& metric,
                                 const PhasePoint& z, double eps, Rng& rng);

}  // namespace spectralbrain::stats
