// Every test model's gradient against central finite differences, and the model helpers.
#include <gtest/gtest.h>

#include <random>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/stats/model.hpp"
#include "test_models.hpp"

namespace sb = spectralbrain;
using namespace sb::stats;
using namespace sb::stats::testing;

namespace {

// Relative gradient error at a few random points with coordinates in [-lo, hi].
void expect_gradient(const Model& m, double radius, double tol = 1e-5) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(-radius, radius);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> x(m.dimension());
    for (double& v : x) v = u(gen);
    EXPECT_LT(gradient_error(m, x), tol) << "trial " << trial;
  }
}

}  // namespace

TEST(ModelGradient, Gaussians) {
  expect_gradient(IidNormal(7), 2);
  expect_gradient(CorrelatedNormal(2, 0.99), 2);
  expect_gradient(CorrelatedNormal(5, 0.99), 2);
}

TEST(ModelGradient, Conjugate) {
  expect_gradient(NormalMean({1.2, 3.4, -0.5, 2.2}), 2);
  expect_gradient(BetaBinomial(2, 3, 7, 20), 2);
}

TEST(ModelGradient, PosteriorDb) {
  for (const auto& name : reference_names()) {
    SCOPED_TRACE(name);
    const Reference r = load_reference(name);
    // Points near the typical set keep the finite differences meaningful for the data-heavy
    // likelihoods (|log p| ~ 1e4 far out).
    expect_gradient(*r.model, 0.5, 1e-4);
  }
}

TEST(ModelGradient, CatchesAWrongGradient) {
  struct Wrong : IidNormal {
    Wrong() : IidNormal(2) {}
    double log_density(std::span<const double> x, std::span<double> g) const override {
      const double lp = IidNormal::log_density(x, g);
      g[1] *= 1.01;
      return lp;
    }
  };
  const std::vector<double> x{0.5, 1.5};
  EXPECT_GT(gradient_error(Wrong(), x), 1e-3);
  EXPECT_THROW(gradient_error(Nowhere(), std::vector<double>{0, 0, 0}), sb::core::ComputationError);
}

TEST(Model, OutputLayout) {
  const Reference r = load_reference("eight_schools-eight_schools_noncentered");
  EXPECT_EQ(r.model->dimension(), 10u);
  EXPECT_EQ(output_size(*r.model), 10u);
  EXPECT_EQ(r.model->parameter_names().size(), r.model->dimension());
  const auto vars = r.model->output_variables();
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[0].name, "theta");
  EXPECT_EQ(vars[0].size(), 8u);
  EXPECT_EQ(vars[1].size(), 1u);
  // θ_j = μ + τ θ̃_j with τ = e^u.
  std::vector<double> x(10, 0.5), out(10);
  x[8] = 1.0;
  x[9] = std::log(2.0);
  r.model->constrain(x, out);
  EXPECT_DOUBLE_EQ(out[0], 1.0 + 2.0 * 0.5);
  EXPECT_DOUBLE_EQ(out[9], 2.0);
}
