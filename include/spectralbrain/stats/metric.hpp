// Diagonal Euclidean metric: kinetic energy K(p) = ½ pᵀ M⁻¹ p with M⁻¹ = diag(inv_metric).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "spectralbrain/stats/rng.hpp"

namespace spectralbrain::stats {

/// Diagonal inverse mass matrix ("inverse metric"), an estimate of the posterior variances.
class DiagonalMetric {
 public:
  /// Unit metric in `n` dimensions.
  explicit DiagonalMetric(std::size_t n) : inv_metric_(n, 1.0) {}
  /// Metric with the given diagonal of M⁻¹ (all entries positive and finite).
  explicit DiagonalMetric(std::vector<double> inv_metric) : inv_metric_(std::move(inv_metric)) {}

  /// Dimension n.
  std::size_t size() const { return inv_metric_.size(); }
  /// Diagonal of M⁻¹ (size n).
  std::span<const double> inv_metric() const { return inv_metric_; }
  /// Replace the diagonal of M⁻¹ (size n).
  void set_inv_metric(std::span<const double> v) { inv_metric_.assign(v.begin(), v.end()); }

  /// Kinetic energy ½ Σ inv_metric_i p_i².
  double kinetic_energy(std::span<const double> p) const;
  /// Velocity dK/dp = M⁻¹ p (Stan's "p_sharp") into `out` (size n).
  void velocity(std::span<const double> p, std::span<double> out) const;
  /// Draw p ~ N(0, M) into `p` (size n).
  void sample_momentum(Rng& rng, std::span<double> p) const;

 private:
  std::vector<double> inv_metric_;
};

}  // namespace spectralbrain::stats
