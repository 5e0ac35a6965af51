// Diagonal metric: kinetic energy, velocity and momentum draws.
#include "spectralbrain/stats/metric.hpp"

#include <cmath>

namespace spectralbrain::stats {

double DiagonalMetric::kinetic_energy(std::span<const double> p) const {
  double k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) k += inv_metric_[i] * p[i] * p[i];
  return 0.5 * k;
}

void DiagonalMetric::velocity(std::span<const double> p, std::span<double> out) const {
  for (std::size_t i = 0; i < p.size(); ++i) out[i] = inv_metric_[i] * p[i];
}

void DiagonalMetric::sample_momentum(Rng& rng, std::span<double> p) const {
  for (std::size_t i = 0; i < p.size(); ++i)
    p[i] = standard_normal(rng) / std::sqrt(inv_metric_[i]);
}

}  // namespace spectralbrain::stats
