// Chain state shared by the warm-up schemes.
#include "spectralbrain/stats/adaptation.hpp"

namespace spectralbrain::stats {

ChainState::ChainState(const Model& model, PhasePoint z0, Rng rng_, int max_depth,
                       double max_energy_error, double step_size_)
    : density(model),
      metric(model.dimension()),
      step_size(step_size_),
      z(std::move(z0)),
      rng(std::move(rng_)),
      nuts(model.dimension(), max_depth, max_energy_error) {}

}  // namespace spectralbrain::stats
