// The NUTS transition on its own, and whole runs of both schemes on targets with known
// moments: iid and strongly correlated Gaussians and conjugate posteriors.
#include <gtest/gtest.h>

#include <cmath>

#include "sampler_checks.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/stats/nuts.hpp"
#include "test_models.hpp"

namespace sb = spectralbrain;
using namespace sb::stats;
using namespace sb::stats::testing;

namespace {

PhasePoint start(Density& density, std::vector<double> q) {
  PhasePoint z(q.size());
  z.q = std::move(q);
  density.evaluate(z);
  return z;
}

}  // namespace

TEST(NutsTransition, TinyStepRunsToMaximumDepth) {
  // With a tiny step the trajectory never turns: every doubling completes.
  IidNormal model(2);
  Density density(model);
  DiagonalMetric metric(2);
  Nuts nuts(2, 4, 1000);
  Rng rng = make_chain_rng(1, 0);
  PhasePoint z = start(density, {0.3, -0.2});
  const NutsStats s = nuts.transition(density, metric, 1e-4, rng, z);
  EXPECT_EQ(s.tree_depth, 4);
  EXPECT_EQ(s.n_steps, 15);
  EXPECT_FALSE(s.diverging);
  EXPECT_NEAR(s.acceptance_rate, 1.0, 1e-6);
  EXPECT_EQ(density.n_evaluations(), 1 + 15);
}

TEST(NutsTransition, HugeStepDiverges) {
  IidNormal model(2);
  Density density(model);
  DiagonalMetric metric(2);
  Nuts nuts(2, 10, 1000);
  Rng rng = make_chain_rng(1, 0);
  PhasePoint z = start(density, {0.3, -0.2});
  const std::vector<double> q0 = z.q;
  const NutsStats s = nuts.transition(density, metric, 1e3, rng, z);
  EXPECT_TRUE(s.diverging);
  EXPECT_EQ(s.tree_depth, 0);
  EXPECT_EQ(s.n_steps, 1);
  EXPECT_FALSE(s.moved);
  EXPECT_EQ(z.q, q0);  // the divergent subtree is never sampled from
  EXPECT_LT(s.acceptance_rate, 1e-100);
}

TEST(NutsTransition, UTurnStopsAHarmonicOrbit) {
  // For N(0, 1) with ε = 0.1 a half orbit takes ~31 steps: the tree must stop by depth 6.
  IidNormal model(1);
  Density density(model);
  DiagonalMetric metric(1);
  Nuts nuts(1, 10, 1000);
  Rng rng = make_chain_rng(3, 0);
  PhasePoint z = start(density, {1.0});
  double steps = 0;
  for (int i = 0; i < 50; ++i) {
    const NutsStats s = nuts.transition(density, metric, 0.1, rng, z);
    // A turning point can fall anywhere in the first half orbit, so only bound from above.
    EXPECT_LE(s.tree_depth, 6);
    EXPECT_LT(std::abs(s.energy_error), 0.01);
    EXPECT_DOUBLE_EQ(s.energy, hamiltonian(z, metric));
    EXPECT_DOUBLE_EQ(s.lp, z.lp);
    steps += s.n_steps;
  }
  // On average a good part of the half orbit is explored.
  EXPECT_GT(steps / 50, 7);
}

TEST(NutsTransition, SameGeneratorSameResult) {
  CorrelatedNormal model(3, 0.9);
  auto once = [&] {
    Density density(model);
    DiagonalMetric metric(3);
    Nuts nuts(3, 10, 1000);
    Rng rng = make_chain_rng(9, 2);
    PhasePoint z = start(density, {0.1, 0.2, 0.3});
    for (int i = 0; i < 20; ++i) nuts.transition(density, metric, 0.2, rng, z);
    return z.q;
  };
  EXPECT_EQ(once(), once());
}

TEST(ChainRng, StreamsDependOnSeedAndChain) {
  Rng a = make_chain_rng(42, 0), b = make_chain_rng(42, 0), c = make_chain_rng(42, 1),
      d = make_chain_rng(43, 0);
  const auto x = a();
  EXPECT_EQ(x, b());
  EXPECT_NE(x, c());
  EXPECT_NE(x, d());
  // Moments of the normal draws.
  Rng g = make_chain_rng(5, 5);
  double s = 0, s2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double z = standard_normal(g);
    s += z;
    s2 += z * z;
  }
  EXPECT_NEAR(s / n, 0, 4 / std::sqrt(n));
  EXPECT_NEAR(s2 / n, 1, 4 * std::sqrt(2.0 / n));
}

class Schemes : public ::testing::TestWithParam<std::string> {};

TEST_P(Schemes, IidNormal100) {
  SamplerConfig c;
  c.draws = 500;
  c.tune = GetParam() == "nutpie" ? 300 : 600;
  c.chains = 4;
  const IidNormal model(100);
  const SampleResult r = run(model, GetParam(), c);
  if (sb::core::rank(MPI_COMM_WORLD) != 0) return;
  expect_well_formed_stats(r, c);
  for (std::size_t i = 0; i < 100; ++i) expect_moments(r, "x", i, 0.0, 1.0);
  // The adapted metric is close to the identity (each entry is a variance estimated from a
  // few hundred correlated draws, so only loosely; their average closely).
  for (const auto& chain : r.chains) {
    for (double v : chain.inv_metric) {
      EXPECT_GT(v, 0.5);
      EXPECT_LT(v, 2.0);
    }
    EXPECT_NEAR(mean(chain.inv_metric), 1.0, 0.1);
  }
  // Dual averaging reaches the target acceptance on average.
  EXPECT_NEAR(mean(find(r.draws.sample_stats, "acceptance_rate").values), c.target_accept, 0.04);
}

TEST_P(Schemes, CorrelatedNormal) {
  for (std::size_t n : {2u, 5u}) {
    SCOPED_TRACE(n);
    SamplerConfig c;
    c.draws = 1000;
    c.tune = 1000;
    const CorrelatedNormal model(n, 0.99);
    const SampleResult r = run(model, GetParam(), c);
    if (sb::core::rank(MPI_COMM_WORLD) != 0) continue;
    expect_well_formed_stats(r, c);
    for (std::size_t i = 0; i < n; ++i) expect_moments(r, "x", i, 0.0, 1.0);
    // The correlation is recovered.
    const auto x0 = entry(find(r.draws.posterior, "x"), 4, c.draws, 0);
    const auto x1 = entry(find(r.draws.posterior, "x"), 4, c.draws, 1);
    double cov = 0;
    for (std::size_t k = 0; k < x0.size(); ++k) cov += x0[k] * x1[k];
    cov /= static_cast<double>(x0.size());
    EXPECT_NEAR(cov / (sd(x0) * sd(x1)), 0.99, 0.005);
  }
}

TEST_P(Schemes, ConjugatePosteriors) {
  SamplerConfig c;
  c.draws = 1000;
  c.tune = 500;
  const NormalMean normal({2.1, 0.4, 3.3, 1.8, 2.9, 1.1, 2.4, 0.7, 1.9, 2.6});
  SampleResult r = run(normal, GetParam(), c);
  if (sb::core::rank(MPI_COMM_WORLD) == 0)
    expect_moments(r, "mu", 0, normal.posterior_mean(), normal.posterior_sd());
  const BetaBinomial beta(2, 3, 7, 20);
  r = run(beta, GetParam(), c);
  if (sb::core::rank(MPI_COMM_WORLD) == 0) {
    expect_well_formed_stats(r, c);
    expect_moments(r, "theta", 0, beta.posterior_mean(), beta.posterior_sd());
  }
}

INSTANTIATE_TEST_SUITE_P(Stats, Schemes, ::testing::Values("nuts", "nutpie"));
