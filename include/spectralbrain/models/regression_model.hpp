// RegressionModel: the stats::Model of a formula — a linear predictor with population-level
// and group-level terms, a gaussian or student_t response with sigma and/or known standard
// errors, and its priors — with an analytic gradient.
//
//   μ_i = Intercept + Σ_k (x_ik − x̄_k) b_k + Σ_g Σ_t sd_gt · z_gt[level_g(i)] · Z_gt(i)
//   y_i ~ normal(μ_i, s_i)  or  student_t(ν, μ_i, s_i)
//   s_i = sigma | se_i | sqrt(se_i² + sigma²)           (no se() | se(s) | se(s, sigma = TRUE))
//   z ~ normal(0, 1); priors on Intercept, b, sd, sigma, nu as in prior.hpp
//
// Population-level columns are centred when the model has an intercept (as brms does), so
// "Intercept" is the mean response at the mean predictors; the output b_Intercept is the
// intercept of the uncentred model, Intercept − Σ_k x̄_k b_k.
//
// Unconstrained parameters, in this order: Intercept, b_<coef>..., log_sd_<g>__<t>...,
// z_<g>[<level>,<t>]... (per group, term-major), log_sigma, log_nu_minus_1 (ν = 1 + e^u).
// Each log transform adds its log-Jacobian.
//
// Output variables (constrain), named as brms: b_Intercept, b_<coef>, sd_<g>__<t>, sigma,
// nu (scalars), then r_<g> for each grouping factor: 1-D, entries term-major ("r_site"
// entries "Oxford,Intercept", "Zurich,Intercept", "Oxford,age", ...), labels set by
// annotate().
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "spectralbrain/models/design.hpp"
#include "spectralbrain/models/family.hpp"
#include "spectralbrain/models/prior.hpp"
#include "spectralbrain/stats/draws.hpp"
#include "spectralbrain/stats/model.hpp"

namespace spectralbrain::models {

/// A brms-like regression as a differentiable log density.
class RegressionModel : public stats::Model {
 public:
  /// The model of `design` with `family` and `priors` (default_priors(design, family), with
  /// any overrides applied: one per parameter, in that order).
  /// @throws core::InputError if `priors` does not list the model's parameters
  RegressionModel(Design design, Family family, std::vector<ParameterPrior> priors);

  /// Number of unconstrained parameters.
  std::size_t dimension() const override { return n_params_; }
  /// Log posterior density up to a constant at unconstrained `x` (size dimension());
  /// writes its gradient into `gradient`.
  double log_density(std::span<const double> x, std::span<double> gradient) const override;
  /// Names of the unconstrained coordinates (see the file comment).
  std::vector<std::string> parameter_names() const override;
  /// b_*, sd_*, sigma, nu scalars, then one 1-D r_<group> per grouping factor.
  std::vector<stats::VariableInfo> output_variables() const override;
  /// Unconstrained `x` → output values in output_variables() order.
  void constrain(std::span<const double> x, std::span<double> out) const override;

  /// Labels the r_<group> entries ("level,term") in `draws.posterior` and puts the
  /// response into `draws.observed_data` as a variable named after the response column
  /// (dim "<response>_dim_0", the rows used in table order). Call on the gathered draws.
  void annotate(stats::PosteriorDraws& draws) const;

  /// The data.
  const Design& design() const { return design_; }
  /// The family.
  Family family() const { return family_; }
  /// The priors, one per parameter.
  const std::vector<ParameterPrior>& priors() const { return priors_; }
  /// Labels of r_<group>'s entries, term-major: "level,term".
  std::vector<std::string> group_labels(std::size_t group) const;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  struct Block {
    std::size_t n_levels = 0, n_terms = 0;
    std::size_t sd_offset = 0;  // log sd of term t at sd_offset + t
    std::size_t z_offset = 0;   // z of (term t, level l) at z_offset + t·n_levels + l
    std::vector<Distribution> sd_prior;
  };

  Design design_;
  Family family_;
  std::vector<ParameterPrior> priors_;
  std::size_t n_ = 0, n_cols_ = 0, n_params_ = 0;
  std::vector<double> x_;      // (n, n_cols) row-major, centred if intercept
  std::vector<double> means_;  // column means (0 without intercept)
  std::vector<Block> blocks_;
  std::size_t intercept_ = npos, b_offset_ = 0, sigma_ = npos, nu_ = npos;
  Distribution intercept_prior_, sigma_prior_, nu_prior_;
  std::vector<Distribution> b_prior_;
};

}  // namespace spectralbrain::models
