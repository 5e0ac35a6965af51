// Shared sampler assertions.
#include "sampler_checks.hpp"

#include <cmath>

namespace spectralbrain::stats::testing {

SampleResult run(const Model& model, const std::string& scheme, SamplerConfig config) {
  config.progress = false;
  return make_sampler(scheme, config)->sample(model, MPI_COMM_WORLD);
}

void expect_moments(const SampleResult& r, const std::string& name, std::size_t index,
                    double true_mean, double true_sd) {
  const auto& d = r.draws;
  const auto x = entry(find(d.posterior, name), d.n_chains, d.n_draws, index);
  const Summary s = summarize(x, d.n_chains, d.n_draws);
  EXPECT_LT(std::abs(s.mean - true_mean), 4 * true_sd / std::sqrt(s.ess))
      << name << "[" << index << "] mean " << s.mean << " vs " << true_mean << " (ESS " << s.ess
      << ")";
  std::vector<double> sq(x.size());
  double m4 = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sq[i] = (x[i] - s.mean) * (x[i] - s.mean);
    m4 += sq[i] * sq[i];
  }
  m4 /= static_cast<double>(x.size());
  const double kurtosis = m4 / (s.sd * s.sd * s.sd * s.sd);
  const double ess_sq = ess(sq, d.n_chains, d.n_draws);
  const double tol = 4 * 0.5 * std::sqrt((kurtosis - 1) / ess_sq);
  EXPECT_LT(std::abs(s.sd / true_sd - 1), tol) << name << "[" << index << "] sd " << s.sd << " vs "
                                               << true_sd << " (ESS of squares " << ess_sq << ")";
}

void expect_well_formed_stats(const SampleResult& r, const SamplerConfig& config) {
  const auto& d = r.draws;
  ASSERT_EQ(d.sample_stats.size(), 8u);
  const auto names = sample_stat_names();
  for (std::size_t s = 0; s < names.size(); ++s) {
    EXPECT_EQ(d.sample_stats[s].name, names[s]);
    EXPECT_EQ(d.sample_stats[s].values.size(), d.n_chains * d.n_draws);
    EXPECT_TRUE(d.sample_stats[s].shape.empty());
  }
  EXPECT_EQ(find(d.sample_stats, "tree_depth").type, ValueType::int64);
  EXPECT_EQ(find(d.sample_stats, "n_steps").type, ValueType::int64);
  EXPECT_EQ(find(d.sample_stats, "diverging").type, ValueType::boolean);
  EXPECT_EQ(find(d.sample_stats, "lp").type, ValueType::float64);
  const auto& depth = find(d.sample_stats, "tree_depth").values;
  const auto& steps = find(d.sample_stats, "n_steps").values;
  const auto& accept = find(d.sample_stats, "acceptance_rate").values;
  const auto& eps = find(d.sample_stats, "step_size").values;
  const auto& div = find(d.sample_stats, "diverging").values;
  for (std::size_t i = 0; i < depth.size(); ++i) {
    ASSERT_GE(depth[i], 0);
    ASSERT_LE(depth[i], config.max_treedepth);
    // A trajectory of depth d has 2^d − 1 steps, plus up to 2^d of a rejected subtree.
    ASSERT_GE(steps[i], std::exp2(depth[i]) - 1);
    ASSERT_LE(steps[i], std::exp2(depth[i] + 1) - 1);
    ASSERT_GE(accept[i], 0);
    ASSERT_LE(accept[i], 1);
    ASSERT_TRUE(div[i] == 0 || div[i] == 1);
    ASSERT_EQ(eps[i], r.chains[i / d.n_draws].step_size);
  }
}

}  // namespace spectralbrain::stats::testing
