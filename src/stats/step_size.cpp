// Dual averaging of the step size and Stan's initial step-size search.
#include "spectralbrain/stats/step_size.hpp"

#include <cmath>
#include <limits>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::stats {

void DualAveraging::restart(double mu) {
  mu_ = mu;
  counter_ = 0;
  s_bar_ = 0;
  x_bar_ = 0;
}

double DualAveraging::learn(double accept_stat) {
  ++counter_;
  const double a = accept_stat > 1 ? 1 : accept_stat;
  const double t = static_cast<double>(counter_);
  const double eta = 1.0 / (t + options_.t0);
  s_bar_ = (1.0 - eta) * s_bar_ + eta * (options_.target_accept - a);
  const double x = mu_ - s_bar_ * std::sqrt(t) / options_.gamma;
  const double x_eta = std::pow(t, -options_.kappa);
  x_bar_ = (1.0 - x_eta) * x_bar_ + x_eta * x;
  return std::exp(x);
}

double DualAveraging::final_step_size() const { return std::exp(x_bar_); }

namespace {
// H0 - H after one leapfrog step of size eps from z with a fresh momentum (-inf for NaN).
double one_step_delta(Density& density, const DiagonalMetric& metric, const PhasePoint& z,
                      PhasePoint& work, double eps, Rng& rng) {
  work = z;
  metric.sample_momentum(rng, work.p);
  const double h0 = hamiltonian(work, metric);
  leapfrog(density, metric, work, eps);
  const double delta = h0 - hamiltonian(work, metric);
  return std::isnan(delta) ? -std::numeric_limits<double>::infinity() : delta;
}
}  // namespace

double find_reasonable_step_size(Density& density, const DiagonalMetric& metric,
                                 const PhasePoint& z, double eps, Rng& rng) {
  if (eps == 0 || eps > 1e7 || std::isnan(eps)) return eps;
  const double log_08 = std::log(0.8);
  PhasePoint work(z.q.size());
  // Which way to go is decided by a first step; then step until the acceptance crosses 0.8.
  const int direction = one_step_delta(density, metric, z, work, eps, rng) > log_08 ? 1 : -1;
  while (true) {
    const double delta = one_step_delta(density, metric, z, work, eps, rng);
    if (direction == 1 && !(delta > log_08)) break;
    if (direction == -1 && !(delta < log_08)) break;
    eps = direction == 1 ? 2 * eps : 0.5 * eps;
    if (eps > 1e7)
      throw core::ComputationError(
          "step-size search: step size above 1e7; the posterior is probably improper");
    if (eps == 0)
      throw core::ComputationError(
          "step-size search: step size underflowed to 0; the log density or its gradient is "
          "probably wrong");
  }
  return eps;
}

}  // namespace spectralbrain::stats
