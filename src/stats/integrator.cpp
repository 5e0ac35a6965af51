// Hamiltonian and leapfrog integration for a diagonal metric.
#include "spectralbrain/stats/integrator.hpp"

#include <cmath>
#include <limits>

namespace spectralbrain::stats {

double hamiltonian(const PhasePoint& z, const DiagonalMetric& metric) {
  const double h = -z.lp + metric.kinetic_energy(z.p);
  return std::isfinite(h) ? h : std::numeric_limits<double>::infinity();
}

void Density::evaluate(PhasePoint& z) {
  ++n_evaluations_;
  z.lp = model_.log_density(z.q, z.grad);
  if (std::isnan(z.lp)) z.lp = -std::numeric_limits<double>::infinity();
}

void leapfrog(Density& density, const DiagonalMetric& metric, PhasePoint& z, double eps) {
  const std::size_t n = z.q.size();
  const auto inv = metric.inv_metric();
  const double half = 0.5 * eps;
  for (std::size_t i = 0; i < n; ++i) {
    z.p[i] += half * z.grad[i];
    z.q[i] += eps * inv[i] * z.p[i];
  }
  density.evaluate(z);
  for (std::size_t i = 0; i < n; ++i) z.p[i] += half * z.grad[i];
  z.index += eps > 0 ? 1 : -1;
}

}  // namespace spectralbrain::stats
