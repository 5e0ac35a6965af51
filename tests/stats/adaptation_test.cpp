// Warm-up: Stan's window schedule, Welford and its regularisation, dual averaging, the
// step-size search, and both schemes learning a badly scaled Gaussian.
#include <gtest/gtest.h>

#include <cmath>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/stats/adaptation.hpp"
#include "spectralbrain/stats/nutpie_adaptation.hpp"
#include "spectralbrain/stats/stan_adaptation.hpp"
#include "spectralbrain/stats/step_size.hpp"
#include "test_models.hpp"

namespace sb = spectralbrain;
using namespace sb::stats;
using namespace sb::stats::testing;

namespace spectralbrain::stats {
// Readable failures: "[75, 100)".
void PrintTo(const AdaptationWindow& w, std::ostream* os) {
  *os << "[" << w.begin << ", " << w.end << ")";
}
}  // namespace spectralbrain::stats

namespace {

using W = std::vector<AdaptationWindow>;

// Independent normals with standard deviations scale[i]; output "x".
class ScaledNormal : public IidNormal {
 public:
  explicit ScaledNormal(std::vector<double> scale)
      : IidNormal(scale.size()), s_(std::move(scale)) {}
  double log_density(std::span<const double> x, std::span<double> g) const override {
    double lp = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double r = x[i] / s_[i];
      lp -= 0.5 * r * r;
      g[i] = -r / s_[i];
    }
    return lp;
  }

 private:
  std::vector<double> s_;
};

ChainState make_chain(const Model& m, std::vector<double> q, std::uint64_t chain = 0) {
  PhasePoint z(m.dimension());
  z.q = std::move(q);
  ChainState c(m, z, make_chain_rng(11, chain), 10, 1000, 1.0);
  c.density.evaluate(c.z);
  return c;
}

// Run a full warm-up of `n_tune` iterations with `a`; returns the iterations at which the
// metric changed.
std::vector<std::size_t> warm_up(Adaptation& a, ChainState& c, std::size_t n_tune) {
  std::vector<std::size_t> changes;
  a.start(c);
  std::vector<double> before(c.metric.inv_metric().begin(), c.metric.inv_metric().end());
  for (std::size_t it = 0; it < n_tune; ++it) {
    const NutsStats s = c.nuts.transition(c.density, c.metric, c.step_size, c.rng, c.z);
    a.learn(it, s, c);
    const auto now = c.metric.inv_metric();
    if (!std::equal(now.begin(), now.end(), before.begin())) {
      changes.push_back(it);
      before.assign(now.begin(), now.end());
    }
  }
  a.finish(c);
  return changes;
}

}  // namespace

TEST(StanWindows, DefaultSchedule) {
  const StanAdaptationOptions o;
  EXPECT_EQ(stan_metric_windows(1000, o),
            (W{{75, 100}, {100, 150}, {150, 250}, {250, 450}, {450, 950}}));
  // The last window stretches when its successor would not fit twice before the buffer.
  EXPECT_EQ(stan_metric_windows(2000, o),
            (W{{75, 100}, {100, 150}, {150, 250}, {250, 450}, {450, 850}, {850, 1950}}));
  EXPECT_EQ(stan_metric_windows(150, o), (W{{75, 100}}));
  EXPECT_EQ(stan_metric_windows(200, o), (W{{75, 100}, {100, 150}}));
}

TEST(StanWindows, ShortWarmupIsScaled) {
  const StanAdaptationOptions o;
  // 15 % / 75 % / 10 % (shares truncated) when 75 + 25 + 50 does not fit.
  EXPECT_EQ(stan_metric_windows(100, o), (W{{15, 90}}));
  EXPECT_EQ(stan_metric_windows(149, o), (W{{22, 135}}));
  EXPECT_EQ(stan_metric_windows(20, o), (W{{3, 18}}));
  // Below 20 iterations only the step size adapts.
  EXPECT_TRUE(stan_metric_windows(19, o).empty());
  EXPECT_TRUE(stan_metric_windows(0, o).empty());
}

TEST(StanWindows, MetricChangesExactlyAtWindowEnds) {
  const ScaledNormal model({1, 2, 3});
  ChainState c = make_chain(model, {0.1, 0.2, 0.3});
  StanAdaptationOptions o;
  StanAdaptation a(1000, o);
  const auto changes = warm_up(a, c, 1000);
  EXPECT_EQ(changes, (std::vector<std::size_t>{99, 149, 249, 449, 949}));
}

TEST(Welford, MatchesTwoPassAndRegularises) {
  WelfordVariance w(2);
  const std::vector<std::vector<double>> xs{{1, 10}, {2, 20}, {4, 40}, {7, 70}};
  for (const auto& x : xs) w.add(x);
  std::vector<double> v(2);
  w.variance(v);
  // mean 3.5, squared deviations 6.25 2.25 0.25 12.25 → 21 / 3 = 7.
  EXPECT_DOUBLE_EQ(v[0], 7.0);
  EXPECT_DOUBLE_EQ(v[1], 700.0);
  stan_regularize_variance(w.count(), v);
  EXPECT_DOUBLE_EQ(v[0], 4.0 / 9.0 * 7.0 + 1e-3 * 5.0 / 9.0);
  w.reset();
  EXPECT_EQ(w.count(), 0u);
}

TEST(DualAveraging, FollowsTheRecursion) {
  DualAveragingOptions o;
  o.target_accept = 0.8;
  DualAveraging da(o);
  const double mu = std::log(10 * 0.5);
  da.restart(mu);
  // Iteration 1: s̄ = (δ − a)/(1 + t₀), x = μ − s̄·√1/γ, x̄ = x (weight 1).
  const double a = 0.3;
  const double s_bar = (0.8 - a) / 11;
  const double x = mu - s_bar / 0.05;
  EXPECT_DOUBLE_EQ(da.learn(a), std::exp(x));
  EXPECT_DOUBLE_EQ(da.final_step_size(), std::exp(x));
  // Hitting the target keeps s̄ and so x where it is; acceptance above 1 counts as 1.
  da.restart(mu);
  for (int i = 0; i < 10; ++i) EXPECT_DOUBLE_EQ(da.learn(0.8), std::exp(mu));
  EXPECT_NEAR(da.final_step_size(), std::exp(mu), 1e-12);
  da.restart(mu);
  EXPECT_DOUBLE_EQ(da.learn(1.7), [&] {
    DualAveraging d2(o);
    d2.restart(mu);
    return d2.learn(1.0);
  }());
  // Too low an acceptance shrinks the step size, too high grows it.
  da.restart(mu);
  double eps = 0;
  for (int i = 0; i < 50; ++i) eps = da.learn(0.2);
  EXPECT_LT(eps, std::exp(mu));
  da.restart(mu);
  for (int i = 0; i < 50; ++i) eps = da.learn(1.0);
  EXPECT_GT(eps, std::exp(mu));
}

TEST(StepSizeSearch, ScalesWithTheTarget) {
  // The search brackets the step whose one-step acceptance is ~0.8: it shrinks with the
  // target's scale.
  for (double scale : {1e-3, 1.0, 1e3}) {
    const ScaledNormal model({scale, scale});
    ChainState c = make_chain(model, {0.5 * scale, -0.3 * scale});
    const double eps = find_reasonable_step_size(c.density, c.metric, c.z, 1.0, c.rng);
    EXPECT_GT(eps, 0.05 * scale) << scale;
    EXPECT_LT(eps, 20 * scale) << scale;
  }
  // An improper (flat) density sends it off to infinity: a clear error.
  struct Flat : IidNormal {
    Flat() : IidNormal(1) {}
    double log_density(std::span<const double>, std::span<double> g) const override {
      g[0] = 0;
      return 0;
    }
  };
  const Flat flat;
  ChainState c = make_chain(flat, {0.0});
  EXPECT_THROW(find_reasonable_step_size(c.density, c.metric, c.z, 1.0, c.rng),
               sb::core::ComputationError);
}

TEST(StanAdaptation, LearnsBadlyScaledVariances) {
  const std::vector<double> scale{0.01, 1, 100};
  const ScaledNormal model(scale);
  ChainState c = make_chain(model, {0.001, 0.1, 10});
  StanAdaptation a(1000, StanAdaptationOptions{});
  warm_up(a, c, 1000);
  // Each entry is a variance from the last 500-draw window, shrunk by n/(n+5).
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(c.metric.inv_metric()[i] / (scale[i] * scale[i]), 1.0, 0.35) << i;
  EXPECT_GT(c.step_size, 0.3);
}

TEST(NutpieAdaptation, LearnsBadlyScaledVariancesQuickly) {
  const std::vector<double> scale{0.01, 1, 100};
  const ScaledNormal model(scale);
  ChainState c = make_chain(model, {0.001, 0.1, 10});
  NutpieAdaptationOptions o;
  NutpieAdaptation a(200, o);
  const auto changes = warm_up(a, c, 200);
  // For a Gaussian Var[x]/Var[∇log p] = σ⁴ exactly, so σ² is found from few draws.
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NEAR(c.metric.inv_metric()[i] / (scale[i] * scale[i]), 1.0, 0.15) << i;
  // Schedule: early window 30 %, frozen metric for the last 15 %.
  EXPECT_EQ(a.early_end(), 60u);
  EXPECT_EQ(a.metric_end(), 170u);
  ASSERT_FALSE(changes.empty());
  EXPECT_LT(changes.front(), 5u);  // updated from the third draw on
  EXPECT_LT(changes.back(), a.metric_end());
  // Background takes over every 10 good draws early, every 80 later, never so late that
  // the new foreground would hold too few draws before the metric freezes.
  const auto& sw = a.switches();
  ASSERT_GE(sw.size(), 3u);
  for (std::size_t k = 1; k < sw.size(); ++k) {
    const std::size_t freq = sw[k] < a.early_end() ? 10u : 80u;
    EXPECT_GE(sw[k] - sw[k - 1], freq) << k;
    EXPECT_LE(sw[k] + freq, a.metric_end()) << k;
  }
  EXPECT_LT(sw.front(), 20u);
}

TEST(NutpieAdaptation, StartsFromTheGradient) {
  const ScaledNormal model({0.1, 10});
  ChainState c = make_chain(model, {0.1, 10});  // ∇ = (−10, −0.1)
  NutpieAdaptation a(100, NutpieAdaptationOptions{});
  a.start(c);
  EXPECT_DOUBLE_EQ(c.metric.inv_metric()[0], 0.1);
  EXPECT_DOUBLE_EQ(c.metric.inv_metric()[1], 10.0);
}
