// A small PosteriorDraws with every kind of variable the posterior file must carry: scalar,
// vector with default dims, vector with labelled coords (UTF-8), matrix, int64, boolean,
// the NUTS sample_stats and observed data (including a 0-d variable). Values follow simple
// formulas so that check_posterior.py can recompute them independently.
#pragma once

#include <cmath>

#include "spectralbrain/stats/draws.hpp"

namespace spectralbrain::test {

inline stats::PosteriorDraws example_posterior(std::size_t n_chains = 3, std::size_t n_draws = 50) {
  using stats::ValueType;
  using stats::Variable;
  stats::PosteriorDraws d;
  d.n_chains = n_chains;
  d.n_draws = n_draws;
  Variable mu{"mu", {}, {}, {}, ValueType::float64, {}};
  Variable theta{"theta", {4}, {}, {}, ValueType::float64, {}};
  Variable r_site{"r_site", {2}, {"site"}, {"Oxford", "Zürich"}, ValueType::float64, {}};
  Variable matrix{"L", {2, 3}, {}, {}, ValueType::float64, {}};
  Variable count{"count", {}, {}, {}, ValueType::int64, {}};
  Variable flag{"flag", {}, {}, {}, ValueType::boolean, {}};
  Variable lp{"lp", {}, {}, {}, ValueType::float64, {}};
  Variable accept{"acceptance_rate", {}, {}, {}, ValueType::float64, {}};
  Variable step{"step_size", {}, {}, {}, ValueType::float64, {}};
  Variable depth{"tree_depth", {}, {}, {}, ValueType::int64, {}};
  Variable steps{"n_steps", {}, {}, {}, ValueType::int64, {}};
  Variable diverging{"diverging", {}, {}, {}, ValueType::boolean, {}};
  Variable energy{"energy", {}, {}, {}, ValueType::float64, {}};
  for (std::size_t c = 0; c < n_chains; ++c) {
    for (std::size_t i = 0; i < n_draws; ++i) {
      const double cd = static_cast<double>(c), dd = static_cast<double>(i);
      mu.values.push_back(cd + 0.01 * dd + 0.5 * std::sin(dd));
      for (int k = 0; k < 4; ++k) theta.values.push_back(10.0 * k + cd + dd / 1000.0);
      for (int k = 0; k < 2; ++k) r_site.values.push_back(cd * 100.0 + dd + 0.5 * k);
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 3; ++b) matrix.values.push_back(cd * 1e4 + dd * 10.0 + a * 3 + b);
      count.values.push_back(cd * 100.0 + dd);
      flag.values.push_back((c + i) % 3 == 0 ? 1.0 : 0.0);
      lp.values.push_back(-dd - cd);
      accept.values.push_back(0.8);
      step.values.push_back(0.1 * (cd + 1.0));
      const double tree = static_cast<double>(i % 5 + 1);
      depth.values.push_back(tree);
      steps.values.push_back(std::pow(2.0, tree) - 1.0);
      diverging.values.push_back(i == 7 ? 1.0 : 0.0);
      energy.values.push_back(std::cos(0.3 * dd) + cd);
    }
  }
  d.posterior = {mu, theta, r_site, matrix, count, flag};
  d.sample_stats = {lp, accept, step, depth, steps, diverging, energy};
  Variable y{"y", {5}, {"obs"}, {}, ValueType::float64, {0, 1.5, 3, 4.5, 6}};
  Variable group{"group_index", {5}, {"obs"}, {}, ValueType::int64, {0, 1, 0, 1, 0}};
  Variable n_obs{"n_obs", {}, {}, {}, ValueType::int64, {5}};
  d.observed_data = {y, group, n_obs};
  return d;
}

}  // namespace spectralbrain::test
