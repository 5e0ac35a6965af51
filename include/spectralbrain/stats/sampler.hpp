// The MPI NUTS sampler: chains spread over the ranks of a communicator, warm-up by one of
// two schemes ("nuts": Stan's windowed adaptation; "nutpie": gradient-based metric), draws
// gathered on rank 0 as PosteriorDraws.
//
// Chain c draws all its random numbers from make_chain_rng(seed, c), so its draws are
// bit-identical whatever the number of ranks and whichever rank runs it.
//
// Usage (every rank of the communicator calls sample; rank 0 gets the draws):
//
//   MyModel model(data);                                  // a stats::Model
//   stats::SamplerConfig config;                          // draws 2000, tune 1000, chains 4,
//   config.chains = 0;                                    //   ... or one chain per rank
//   auto sampler = stats::make_sampler("nutpie", config); // or "nuts"
//   stats::SampleResult r = sampler->sample(model, MPI_COMM_WORLD);
//   if (rank == 0) write_posterior(r.draws);              // (chain, draw, ...) arrays
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/stats/draws.hpp"
#include "spectralbrain/stats/model.hpp"
#include "spectralbrain/stats/nutpie_adaptation.hpp"
#include "spectralbrain/stats/stan_adaptation.hpp"

namespace spectralbrain::stats {

/// How rank 0 shows progress: one line redrawn in place, or a plain line per tenth of the
/// run. `automatic` redraws only when stdout is a terminal and the process was not started
/// by Open MPI's mpiexec, which hands every rank a pseudo-terminal wherever its output
/// really goes (a file, a pipe, a batch log).
enum class ProgressStyle { automatic, lines, redraw };

/// Settings of a run (the C++ counterpart of SamplerConfig(draws=2000, tune=1000, chains=4,
/// target_accept=0.95, seed=42, max_treedepth=10)).
struct SamplerConfig {
  std::size_t draws = 2000;        ///< kept draws per chain, >= 1
  std::size_t tune = 1000;         ///< warm-up iterations per chain (not kept)
  std::size_t chains = 4;          ///< number of chains; 0 = one per rank
  double target_accept = 0.95;     ///< dual-averaging target, in (0, 1)
  std::uint64_t seed = 42;         ///< chain c uses make_chain_rng(seed, c)
  int max_treedepth = 10;          ///< maximum tree depth, >= 1
  double max_energy_error = 1000;  ///< energy error that marks a divergence
  double initial_step_size = 1;    ///< step size the first step-size search starts from
  int init_tries = 100;            ///< random initial points tried per chain
  double init_radius = 2;          ///< initial points are U(-r, r) on the unconstrained scale
  bool progress = true;            ///< progress lines on rank 0
  std::ostream* progress_stream = nullptr;                  ///< where they go (nullptr: std::cout)
  ProgressStyle progress_style = ProgressStyle::automatic;  ///< redrawn line or plain lines
  StanAdaptationOptions stan;                               ///< windows of the "nuts" scheme
  NutpieAdaptationOptions nutpie;                           ///< schedule of the "nutpie" scheme
};

/// Per-chain facts a run reports besides the draws (for diagnostics and benchmarks).
struct ChainSummary {
  std::size_t chain = 0;              ///< chain index
  int rank = 0;                       ///< rank that ran it
  double step_size = 0;               ///< step size after warm-up
  std::vector<double> inv_metric;     ///< inverse metric after warm-up (size n)
  long n_gradients_warmup = 0;        ///< gradient evaluations in initialisation and warm-up
  long n_gradients_sampling = 0;      ///< gradient evaluations while drawing
  double seconds_warmup = 0;          ///< wall time of initialisation and warm-up
  double seconds_sampling = 0;        ///< wall time of drawing
  std::vector<double> initial_point;  ///< unconstrained initial point (size n)
};

/// What sample() returns on rank 0 (other ranks get empty draws and chain summaries).
struct SampleResult {
  PosteriorDraws draws;              ///< posterior (constrained) and sample_stats
  std::vector<ChainSummary> chains;  ///< one per chain, by chain index
};

/// A NUTS sampler with a given warm-up scheme. Stateless between runs; reusable.
class Sampler {
 public:
  /// A sampler named `name` ("nuts" or "nutpie"; see make_sampler) with `config`.
  Sampler(std::string name, SamplerConfig config);

  /// The scheme's name.
  const std::string& name() const { return name_; }
  /// The settings.
  const SamplerConfig& config() const { return config_; }

  /// Run config().chains chains of `model` over the ranks of `comm` (collective: every
  /// rank of comm calls it, each with its own copy of the model, which must describe the
  /// same density). Chain c runs on rank c mod size; with more chains than ranks a rank
  /// runs its chains one after the other, so when the count is not a multiple of the
  /// number of ranks some ranks run one chain more (and the run takes that much longer);
  /// with fewer chains than ranks the extra ranks wait. Draws are gathered on rank 0.
  ///
  /// Each chain starts from the first of up to init_tries points drawn U(-r, r) on the
  /// unconstrained scale where the log density and gradient are finite. If any chain
  /// fails to initialise, or the model throws on any rank, every rank throws
  /// core::ComputationError with the same message (no rank is left waiting).
  /// @throws core::InputError for an invalid config, core::ComputationError as above.
  SampleResult sample(const Model& model, MPI_Comm comm) const;

  /// The warm-up scheme of this sampler for a warm-up of config().tune iterations.
  std::unique_ptr<Adaptation> make_adaptation() const;

 private:
  std::string name_;
  SamplerConfig config_;
};

/// The sampler called `name`: "nuts" (Stan's windowed adaptation) or "nutpie"
/// (gradient-based metric adaptation). The config is checked here.
/// @throws core::InputError for an unknown name or an invalid config.
std::unique_ptr<Sampler> make_sampler(std::string_view name, const SamplerConfig& config);

/// Names of the sample_stats variables, in the order sample() stores them: lp,
/// acceptance_rate, step_size, tree_depth, n_steps, diverging, energy, energy_error.
std::vector<std::string> sample_stat_names();

}  // namespace spectralbrain::stats
