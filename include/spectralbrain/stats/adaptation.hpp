// Adaptation: what a warm-up scheme may change in a chain (metric and step size) and
// when it is asked to. The two schemes are in stan_adaptation.hpp and nutpie_adaptation.hpp.
#pragma once

#include <cstddef>
#include <memory>

#include "spectralbrain/stats/integrator.hpp"
#include "spectralbrain/stats/metric.hpp"
#include "spectralbrain/stats/nuts.hpp"
#include "spectralbrain/stats/rng.hpp"

namespace spectralbrain::stats {

/// Everything one chain carries from draw to draw.
struct ChainState {
  Density density;        ///< the model, counting gradient evaluations
  DiagonalMetric metric;  ///< current inverse metric
  double step_size = 1;   ///< step size for the next transition
  PhasePoint z;           ///< current point (q, lp, grad current)
  Rng rng;                ///< the chain's own generator
  Nuts nuts;              ///< the transition kernel

  /// A chain of `model` at the initialised point `z`.
  ChainState(const Model& model, PhasePoint z, Rng rng, int max_depth, double max_energy_error,
             double step_size);
};

/// A warm-up scheme. The sampler calls start() once before the first warm-up transition,
/// learn() after each warm-up transition (iteration 0 .. n_tune-1) and finish() once after
/// the last (also when there is no warm-up); after finish() the chain's metric and step
/// size stay fixed.
class Adaptation {
 public:
  virtual ~Adaptation() = default;
  /// Before warm-up: set the initial metric and step size.
  virtual void start(ChainState& chain) = 0;
  /// After warm-up transition `iteration` (0-based) which produced `stats`.
  virtual void learn(std::size_t iteration, const NutsStats& stats, ChainState& chain) = 0;
  /// After warm-up: fix the step size to sample with.
  virtual void finish(ChainState& chain) = 0;
};

}  // namespace spectralbrain::stats
