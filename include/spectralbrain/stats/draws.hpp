// Posterior draws as the sampler produces them and the posterior file stores them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace spectralbrain::stats {

/// How a variable is stored on disk (values are held as double in memory).
enum class ValueType { float64, int64, boolean };

/// One named variable. For draws: values are (n_chains, n_draws, prod(shape)) row-major,
/// chain-major. For observed data: values are (prod(shape)) with no chain/draw dimensions.
struct Variable {
  std::string name;
  std::vector<std::size_t> shape;      ///< per-draw shape; empty for a scalar
  std::vector<std::string> dim_names;  ///< one per shape entry, e.g. {"r_site_dim_0"}
  std::vector<std::string> coords;     ///< optional labels of a 1-D variable's entries
  ValueType type = ValueType::float64;
  std::vector<double> values;
};

/// Everything a run produces, gathered on rank 0: posterior (constrained parameters),
/// sample_stats (lp, acceptance_rate, step_size, tree_depth, n_steps, diverging, energy,
/// energy_error) and observed_data, the InferenceData groups ArviZ reads.
struct PosteriorDraws {
  std::size_t n_chains = 0;
  std::size_t n_draws = 0;
  std::vector<Variable> posterior;
  std::vector<Variable> sample_stats;
  std::vector<Variable> observed_data;
};

}  // namespace spectralbrain::stats
