// Model: a log density on an unconstrained parameter vector, with its gradient, and the
// map from that vector to the variables a user reads (the "constrain" step).
//
// The sampler knows a model only through this interface, as Stan's samplers know a
// model only through log_prob and write_array: it never sees constraints or data.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace spectralbrain::stats {

/// Shape and dimension names of one output variable (one per-draw array).
struct VariableInfo {
  std::string name;                    ///< e.g. "beta"
  std::vector<std::size_t> shape;      ///< per-draw shape; empty for a scalar
  std::vector<std::string> dim_names;  ///< one per shape entry, e.g. {"beta_dim_0"}

  /// Number of values per draw: the product of shape (1 for a scalar).
  std::size_t size() const;
};

/// A differentiable log density on R^n plus its constrained outputs.
///
/// Implementations must be deterministic (same input, same output): draws are bit-identical
/// whatever the number of ranks only if the model is. One instance is used by one thread.
class Model {
 public:
  virtual ~Model() = default;

  /// Number n of unconstrained parameters.
  virtual std::size_t dimension() const = 0;

  /// Log density (up to a constant, including the log-Jacobian of every constraining
  /// transform) at the unconstrained point `x` (size n); writes d/dx into `gradient`
  /// (size n). Returns -infinity (or NaN) outside the support; may throw for a real error.
  virtual double log_density(std::span<const double> x, std::span<double> gradient) const = 0;

  /// Names of the n unconstrained coordinates, e.g. {"mu", "log_tau", "theta_trans[1]"}.
  virtual std::vector<std::string> parameter_names() const = 0;

  /// The output variables, in the order constrain() writes them.
  virtual std::vector<VariableInfo> output_variables() const = 0;

  /// Map the unconstrained point `x` (size n) to the output variables, written one after
  /// the other, each row-major, into `out` (size = sum of output_variables()[i].size()).
  virtual void constrain(std::span<const double> x, std::span<double> out) const = 0;
};

/// Total number of output values per draw: sum of the sizes of model.output_variables().
std::size_t output_size(const Model& model);

/// Largest discrepancy between the model's gradient at `x` and central finite differences
/// with step `h` in each coordinate, measured as |g - fd| / max(1, |fd|). Used to test
/// hand-written gradients. Throws core::ComputationError if the density is not finite at x.
double gradient_error(const Model& model, std::span<const double> x, double h = 1e-6);

}  // namespace spectralbrain::stats
