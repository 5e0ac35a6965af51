// Distribution: a prior distribution of one scalar parameter, as written in a --prior
// option ("normal(0, 2.5)"), with its log density and derivative.
//
// Parameterisations (Stan's):
//   flat()                       improper uniform
//   normal(mu, sigma)            sigma > 0
//   student_t(nu, mu, sigma)     nu > 0, sigma > 0
//   cauchy(mu, sigma)            sigma > 0
//   half_normal(sigma)           = normal(0, sigma) on x > 0; half_normal(mu, sigma) also
//   half_cauchy(sigma)           = cauchy(0, sigma) on x > 0; half_cauchy(mu, sigma) also
//   half_student_t(nu, sigma)    = student_t(nu, 0, sigma) on x > 0; (nu, mu, sigma) also
//   exponential(rate)            rate > 0, x > 0
//   gamma(shape, rate)           shape > 0, rate > 0, x > 0
// On a positive parameter (sd, sigma, nu) a distribution on the real line is truncated to
// x > 0 (brms's convention: normal(0, 1) on sigma is a half-normal). The truncation and
// every normalising constant do not depend on the parameter and are left out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spectralbrain::models {

/// The distributions a --prior may name.
enum class DistributionKind {
  flat,
  normal,
  student_t,
  cauchy,
  half_normal,
  half_cauchy,
  half_student_t,
  exponential,
  gamma
};

/// A distribution with its arguments, always in the full form (half_normal(s) is stored
/// with args {0, s}; half_student_t(nu, s) as {nu, 0, s}).
struct Distribution {
  DistributionKind kind = DistributionKind::flat;
  std::vector<double> args;

  /// True for the distributions defined on x > 0 only (half_*, exponential, gamma).
  bool positive_only() const;

  /// Log density at `x` up to a constant that does not depend on x; writes d/dx into `dx`.
  /// x must be in the support (x > 0 for positive_only()); no check here.
  double log_density(double x, double& dx) const;

  /// As written back: "normal(0, 2.5)", "flat", "half_cauchy(0, 5)".
  std::string to_string() const;
};

/// Parse "name(arg, ...)" (or "flat" without parentheses). Arguments are numbers.
/// @throws core::InputError (file `where`) for an unknown name (listing the known ones), a
///         wrong number of arguments, a non-number, or an argument out of range (a scale
///         that is not > 0)
Distribution parse_distribution(std::string_view text, const std::string& where);

/// Digamma ψ(x) = d/dx log Γ(x) for x > 0 (recurrence to x ≥ 10, then the asymptotic
/// series; absolute error below 1e-13).
double digamma(double x);

}  // namespace spectralbrain::models
