// The sampler over MPI: draws bit-identical whatever the number of ranks, chain placement,
// one clear error on every rank when a chain cannot start or a model fails, progress, and
// configuration errors. Registered at 1, 2 and 4 ranks.
#include <gtest/gtest.h>

#include <sstream>

#include "sampler_checks.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "test_models.hpp"

namespace sb = spectralbrain;
using namespace sb::stats;
using namespace sb::stats::testing;

namespace {

int world_rank() { return sb::core::rank(MPI_COMM_WORLD); }
int world_size() { return sb::core::size(MPI_COMM_WORLD); }

SamplerConfig small_config() {
  SamplerConfig c;
  c.draws = 200;
  c.tune = 200;
  c.chains = 4;
  c.progress = false;
  return c;
}

void expect_identical(const std::vector<Variable>& a, const std::vector<Variable>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].shape, b[i].shape);
    EXPECT_EQ(a[i].type, b[i].type);
    // Exact equality: the same chain must give the same bits on any rank.
    EXPECT_EQ(a[i].values, b[i].values) << a[i].name;
  }
}

class Schemes : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(Schemes, DrawsDoNotDependOnTheNumberOfRanks) {
  const CorrelatedNormal model(4, 0.8);
  const SamplerConfig c = small_config();
  const auto sampler = make_sampler(GetParam(), c);
  const SampleResult world = sampler->sample(model, MPI_COMM_WORLD);
  if (world_rank() != 0) {
    EXPECT_TRUE(world.draws.posterior.empty());
    return;
  }
  // The same run on one process, computed now: the reference is never stored output.
  const SampleResult self = sampler->sample(model, MPI_COMM_SELF);
  ASSERT_EQ(world.draws.n_chains, 4u);
  ASSERT_EQ(world.draws.n_draws, c.draws);
  expect_identical(world.draws.posterior, self.draws.posterior);
  expect_identical(world.draws.sample_stats, self.draws.sample_stats);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(world.chains[k].rank, static_cast<int>(k % world_size()));
    EXPECT_EQ(world.chains[k].step_size, self.chains[k].step_size);
    EXPECT_EQ(world.chains[k].inv_metric, self.chains[k].inv_metric);
    EXPECT_EQ(world.chains[k].initial_point, self.chains[k].initial_point);
    // Drawing costs one gradient per leapfrog step and nothing else.
    const auto& steps = find(world.draws.sample_stats, "n_steps").values;
    double total = 0;
    for (std::size_t d = 0; d < c.draws; ++d) total += steps[k * c.draws + d];
    EXPECT_EQ(world.chains[k].n_gradients_sampling, static_cast<long>(total));
  }
  // Chains differ from each other.
  const auto& x = find(world.draws.posterior, "x").values;
  EXPECT_NE(std::vector<double>(x.begin(), x.begin() + 4),
            std::vector<double>(x.begin() + 4 * c.draws, x.begin() + 4 * c.draws + 4));
}

INSTANTIATE_TEST_SUITE_P(Stats, Schemes, ::testing::Values("nuts", "nutpie"));

TEST(SamplerMpi, OneChainPerRankByDefaultAndUnevenCounts) {
  const IidNormal model(2);
  SamplerConfig c = small_config();
  c.chains = 0;
  SampleResult r = make_sampler("nuts", c)->sample(model, MPI_COMM_WORLD);
  if (world_rank() == 0) {
    EXPECT_EQ(r.draws.n_chains, static_cast<std::size_t>(world_size()));
    for (std::size_t k = 0; k < r.chains.size(); ++k) EXPECT_EQ(r.chains[k].rank, int(k));
  }
  // 3 chains: on 2 ranks rank 0 runs two; on 4 ranks rank 3 waits.
  c.chains = 3;
  r = make_sampler("nutpie", c)->sample(model, MPI_COMM_WORLD);
  if (world_rank() == 0) {
    ASSERT_EQ(r.draws.n_chains, 3u);
    EXPECT_EQ(find(r.draws.posterior, "x").values.size(), 3 * c.draws * 2);
    for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(r.chains[k].rank, int(k % world_size()));
    expect_well_formed_stats(r, c);
  }
}

TEST(SamplerMpi, InitialisationFailureStopsEveryRank) {
  const Nowhere model;
  try {
    make_sampler("nuts", small_config())->sample(model, MPI_COMM_WORLD);
    ADD_FAILURE() << "no error on rank " << world_rank();
  } catch (const sb::core::ComputationError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("chain 0 could not be initialised"), std::string::npos) << m;
    EXPECT_NE(m.find("100 points drawn from U(-2, 2)"), std::string::npos) << m;
    EXPECT_NE(m.find("4 of 4 chains failed"), std::string::npos) << m;
  }
}

TEST(SamplerMpi, OneRankFailingToInitialiseStopsAll) {
  // Only the last rank's model is broken: every rank must still stop, with its message.
  const IidNormal good(3);
  const Nowhere bad;
  const bool last = world_rank() == world_size() - 1;
  const Model& model = last ? static_cast<const Model&>(bad) : good;
  try {
    make_sampler("nutpie", small_config())->sample(model, MPI_COMM_WORLD);
    ADD_FAILURE() << "no error on rank " << world_rank();
  } catch (const sb::core::ComputationError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("could not be initialised"), std::string::npos) << m;
    EXPECT_NE(m.find(sb::core::cat("(rank ", world_size() - 1, ")")), std::string::npos) << m;
  }
}

TEST(SamplerMpi, ModelErrorWhileSamplingStopsAll) {
  const IidNormal good(2);
  const ThrowsAfter failing(300);
  const bool last = world_rank() == world_size() - 1;
  const Model& model = last ? static_cast<const Model&>(failing) : good;
  SamplerConfig c = small_config();
  c.progress = true;  // progress messages must not leave rank 0 waiting either
  std::ostringstream sink;
  c.progress_stream = &sink;
  try {
    make_sampler("nuts", c)->sample(model, MPI_COMM_WORLD);
    ADD_FAILURE() << "no error on rank " << world_rank();
  } catch (const sb::core::ComputationError& e) {
    EXPECT_NE(std::string(e.what()).find("test model failure"), std::string::npos) << e.what();
  }
}

TEST(SamplerMpi, ProgressOnRankZero) {
  const IidNormal model(2);
  SamplerConfig c = small_config();
  c.progress = true;
  std::ostringstream out;
  c.progress_stream = &out;
  make_sampler("nutpie", c)->sample(model, MPI_COMM_WORLD);
  if (world_rank() != 0) {
    EXPECT_TRUE(out.str().empty());
    return;
  }
  const std::string s = out.str();
  // Plain lines (not a TTY), ending with every chain done.
  EXPECT_NE(s.find("sampling 100% | chain 0: 400/400, 0 div"), std::string::npos) << s;
  EXPECT_NE(s.find("chain 3: 400/400"), std::string::npos) << s;
  EXPECT_EQ(s.find('\r'), std::string::npos);
  EXPECT_LE(std::count(s.begin(), s.end(), '\n'), 11);
}

TEST(SamplerMpi, ProgressRedrawnInPlace) {
  const IidNormal model(2);
  SamplerConfig c = small_config();
  c.progress = true;
  c.progress_style = ProgressStyle::redraw;
  std::ostringstream out;
  c.progress_stream = &out;
  make_sampler("nuts", c)->sample(model, MPI_COMM_WORLD);
  if (world_rank() != 0) return;
  const std::string s = out.str();
  // Each update returns to the line start and clears it; only the final one ends the line.
  EXPECT_EQ(s.find('\r'), 0u) << s;
  EXPECT_NE(s.find("\r\033[2Ksampling 100% | chain 0: 400/400"), std::string::npos) << s;
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);
  EXPECT_EQ(s.back(), '\n');
}

TEST(SamplerConfigCheck, RejectsBadSettings) {
  SamplerConfig c;
  EXPECT_THROW(make_sampler("hmc", c), sb::core::InputError);
  try {
    make_sampler("metropolis", c);
  } catch (const sb::core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("expected nuts or nutpie"), std::string::npos);
  }
  c.target_accept = 1.0;
  EXPECT_THROW(make_sampler("nuts", c), sb::core::InputError);
  c = SamplerConfig{};
  c.draws = 0;
  EXPECT_THROW(make_sampler("nuts", c), sb::core::InputError);
  c = SamplerConfig{};
  c.max_treedepth = 0;
  EXPECT_THROW(make_sampler("nutpie", c), sb::core::InputError);
}
