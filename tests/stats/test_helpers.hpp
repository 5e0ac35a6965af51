// Summaries of draws for the statistical tests: mean, sd, and an effective sample size
// (Stan's multi-chain estimator with Geyer's initial monotone sequence; not rank-normalised).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "spectralbrain/stats/draws.hpp"

namespace spectralbrain::stats::testing {

/// Draws of entry `index` of `v`: (n_chains, n_draws), chain-major.
std::vector<double> entry(const Variable& v, std::size_t n_chains, std::size_t n_draws,
                          std::size_t index);
/// The variable called `name` in `vars`; throws if absent.
const Variable& find(const std::vector<Variable>& vars, const std::string& name);
/// Arithmetic mean.
double mean(const std::vector<double>& x);
/// Standard deviation with denominator n − 1.
double sd(const std::vector<double>& x);
/// Effective sample size of (n_chains, n_draws) chain-major draws.
double ess(const std::vector<double>& x, std::size_t n_chains, std::size_t n_draws);

/// Mean, sd and ESS of one scalar quantity.
struct Summary {
  double mean = 0, sd = 0, ess = 0;
};
/// Summary of (n_chains, n_draws) chain-major draws.
Summary summarize(const std::vector<double>& x, std::size_t n_chains, std::size_t n_draws);

}  // namespace spectralbrain::stats::testing
