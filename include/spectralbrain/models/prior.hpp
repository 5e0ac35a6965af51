// Priors of a regression: the weakly informative defaults, scaled to the data, and the
// user's --prior "class[:coef] ~ distribution" overrides.
//
// Classes and their parameters (names as brms):
//   Intercept  the intercept of the model with centred population-level columns (brms's
//              "Intercept"; the output b_Intercept is the intercept of the uncentred model)
//   b          population-level coefficients b_<coef>             coef: "x1", "sexM", "x1:sexM"
//   sd         group-level standard deviations sd_<group>__<coef>  coef: "<group>" (all of
//              a grouping factor) or "<group>__<coef>" (one)
//   sigma      the residual standard deviation (absent with se() unless sigma = TRUE)
//   nu         the degrees of freedom of student_t (nu ≥ 1)
//
// Defaults (y the response over the rows used; mad = 1.4826·median|y − median y|;
// s_y = max(2.5, mad(y)) as brms; sd(·) the sample standard deviation):
//   Intercept  student_t(3, median(y), s_y)                         (brms)
//   b_k        normal(0, 2.5·sd(y)/sd(x_k))                         (rstanarm's autoscaling;
//              sd(x_k) is replaced by sqrt(mean x_k²) for a constant column, sd(y) by 1 if 0)
//   sd         student_t(3, 0, s_y), truncated to sd > 0           (brms)
//   sigma      student_t(3, 0, s_y), truncated to sigma > 0        (brms)
//   nu         gamma(2, 0.1), nu ≥ 1                                (brms; Juárez & Steel)
// The group-level effects themselves are r = sd·z with z ~ normal(0, 1) (non-centred).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/models/design.hpp"
#include "spectralbrain/models/distribution.hpp"
#include "spectralbrain/models/family.hpp"

namespace spectralbrain::models {

/// One --prior option, parsed.
struct PriorSpec {
  std::string cls;    ///< Intercept, b, sd, sigma or nu
  std::string coef;   ///< empty for the whole class
  Distribution dist;  ///< the distribution
  std::string text;   ///< as given, for messages
};

/// Parse "class[:coef] ~ dist(args)", e.g. "b ~ normal(0, 1)", "b:age ~ student_t(3, 0, 1)",
/// "sd:site ~ half_cauchy(0, 5)", "Intercept ~ flat".
/// @throws core::InputError (file "--prior", record the text) for a missing '~', an unknown
///         class (listing the classes), or a bad distribution
PriorSpec parse_prior(std::string_view text);

/// The prior of one scalar parameter of a regression.
struct ParameterPrior {
  std::string parameter;  ///< "Intercept", "b_x1", "sd_site__Intercept", "sigma", "nu"
  std::string cls;        ///< Intercept, b, sd, sigma, nu
  std::string coef;       ///< the coefficient ("x1", "Intercept" for sd); empty for others
  std::string group;      ///< the grouping factor, for sd
  Distribution dist;      ///< the prior
  std::string source;     ///< "default", or the --prior text that set it
};

/// The parameters of a regression of `design` with `family`, each with its default prior,
/// in the order: Intercept, b (design columns), sd (groups, terms), sigma, nu.
std::vector<ParameterPrior> default_priors(const Design& design, Family family);

/// Apply `specs` to `priors`: a spec with a coefficient wins over one for a group, which
/// wins over one for the whole class, whatever their order.
/// @throws core::InputError (file "--prior", record the spec) for a class the model does
///         not have (e.g. sigma with se()), a coefficient that is not in it (listing those
///         that are), two specs for the same target, or a distribution on x > 0 only
///         (half_*, exponential, gamma) for Intercept or b
void apply_priors(std::vector<ParameterPrior>& priors, const std::vector<PriorSpec>& specs);

/// The priors as brms's prior_summary prints them: prior, class, coef, group, source.
std::string format_priors(const std::vector<ParameterPrior>& priors);

}  // namespace spectralbrain::models
