// Phase-space point and the leapfrog integrator for a diagonal Euclidean metric.
#pragma once

#include <cstddef>
#include <vector>

#include "spectralbrain/stats/metric.hpp"
#include "spectralbrain/stats/model.hpp"

namespace spectralbrain::stats {

/// A point in phase space with its cached log density and gradient.
struct PhasePoint {
  std::vector<double> q;     ///< position, unconstrained (size n)
  std::vector<double> p;     ///< momentum (size n)
  std::vector<double> grad;  ///< d log p / dq at q (size n)
  double lp = 0;             ///< log p(q)
  long index = 0;            ///< leapfrog steps from the start of the current trajectory

  PhasePoint() = default;
  /// A point of dimension n, all zero.
  explicit PhasePoint(std::size_t n) : q(n), p(n), grad(n) {}
};

/// Hamiltonian H = -log p(q) + K(p); +infinity when either part is not finite.
double hamiltonian(const PhasePoint& z, const DiagonalMetric& metric);

/// Counts gradient evaluations and calls the model (one per leapfrog step, plus
/// initialisation and step-size search), so samplers can report cost per gradient.
class Density {
 public:
  /// Wrap `model` (kept by reference: it must outlive this object).
  explicit Density(const Model& model) : model_(model) {}
  /// The wrapped model.
  const Model& model() const { return model_; }
  /// Set z.lp and z.grad at z.q; NaN becomes -infinity.
  void evaluate(PhasePoint& z);
  /// Gradient evaluations made so far.
  long n_evaluations() const { return n_evaluations_; }

 private:
  const Model& model_;
  long n_evaluations_ = 0;
};

/// One leapfrog step of size `eps` (negative: backwards in time) in place:
/// p += ε/2 ∇log p; q += ε M⁻¹ p; re-evaluate; p += ε/2 ∇log p; index += sign(ε).
void leapfrog(Density& density, const DiagonalMetric& metric, PhasePoint& z, double eps);

}  // namespace spectralbrain::stats
