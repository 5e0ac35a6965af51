// Prior distributions (values, derivatives, parsing), the defaults scaled to the data, and
// the --prior override rules with their errors.
#include <gtest/gtest.h>

#include <cmath>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/models/prior.hpp"

using namespace spectralbrain::models;
using spectralbrain::core::InputError;

namespace {

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

Design make_design(const std::string& formula, const std::string& csv) {
  return build_design(parse_formula(formula), Table(parse_csv(csv, "p.csv")));
}

const char* kCsv =
    "y,x,g,s\n"
    "1,0,a,1\n"
    "3,1,a,1\n"
    "10,2,b,1\n"
    "4,3,b,1\n"
    "20,4,c,1\n";

const ParameterPrior& find(const std::vector<ParameterPrior>& p, const std::string& name) {
  for (const auto& x : p)
    if (x.parameter == name) return x;
  throw std::runtime_error("no prior for " + name);
}

}  // namespace

TEST(Distribution, DerivativesMatchFiniteDifferences) {
  const char* specs[] = {"normal(0.5, 2)",   "student_t(4, 0.3, 1.5)", "cauchy(-0.2, 2)",
                         "half_normal(1.5)", "half_cauchy(0, 2)",      "half_student_t(3, 1)",
                         "exponential(0.7)", "gamma(2.5, 0.8)",        "flat"};
  for (const char* s : specs) {
    const Distribution d = parse_distribution(s, "test");
    for (double x : {0.3, 1.1, 2.7}) {
      double dx = 0, ignored = 0;
      d.log_density(x, dx);
      const double h = 1e-6;
      const double fd = (d.log_density(x + h, ignored) - d.log_density(x - h, ignored)) / (2 * h);
      EXPECT_NEAR(dx, fd, 1e-7 * std::max(1.0, std::abs(fd))) << s << " at " << x;
    }
  }
}

TEST(Distribution, LogDensityDifferencesAreTheTrueOnes) {
  // log p(x1) − log p(x2) does not depend on the dropped constants.
  double d = 0;
  auto diff = [&](const char* s, double a, double b) {
    const Distribution dist = parse_distribution(s, "test");
    return dist.log_density(a, d) - dist.log_density(b, d);
  };
  EXPECT_NEAR(diff("normal(1, 2)", 3, 1), -0.5, 1e-15);
  EXPECT_NEAR(diff("cauchy(0, 5)", 5, 0), -std::log(2.0), 1e-15);
  EXPECT_NEAR(diff("student_t(3, 0, 1)", 1, 0), -2 * std::log(4.0 / 3.0), 1e-15);
  EXPECT_NEAR(diff("gamma(2, 0.1)", 2, 1), std::log(2.0) - 0.1, 1e-15);
  EXPECT_NEAR(diff("exponential(2)", 1.5, 0.5), -2, 1e-15);
}

TEST(Distribution, ParsingAndErrors) {
  EXPECT_EQ(parse_distribution(" normal( 0 , 2.5 ) ", "t").to_string(), "normal(0, 2.5)");
  EXPECT_EQ(parse_distribution("half_cauchy(5)", "t").to_string(), "half_cauchy(0, 5)");
  EXPECT_EQ(parse_distribution("half_student_t(3, 2)", "t").to_string(), "half_student_t(3, 0, 2)");
  EXPECT_EQ(parse_distribution("flat", "t").kind, DistributionKind::flat);
  EXPECT_EQ(parse_distribution("flat()", "t").kind, DistributionKind::flat);
  EXPECT_TRUE(parse_distribution("gamma(2, 0.1)", "t").positive_only());
  EXPECT_FALSE(parse_distribution("normal(0, 1)", "t").positive_only());
  EXPECT_NE(error_of([] {
              parse_distribution("lognormal(0, 1)", "t");
            }).find("unknown distribution 'lognormal' (known: flat(), normal(mu, sigma)"),
            std::string::npos);
  EXPECT_EQ(error_of([] { parse_distribution("normal(0)", "t"); }),
            "t: normal takes normal(mu, sigma), but 1 argument was given");
  EXPECT_EQ(error_of([] { parse_distribution("normal(0, -1)", "t"); }),
            "t: the scale of normal must be > 0, not -1");
  EXPECT_EQ(error_of([] { parse_distribution("normal(0, x)", "t"); }),
            "t: argument 2 of normal is 'x', not a finite number");
  EXPECT_EQ(error_of([] { parse_distribution("normal", "t"); }),
            "t: write normal(mu, sigma) with its arguments");
  EXPECT_EQ(error_of([] { parse_distribution("gamma(2, 0.1", "t"); }),
            "t: expected ')' at the end of 'gamma(2, 0.1'");
}

TEST(Distribution, Digamma) {
  EXPECT_NEAR(digamma(1), -0.57721566490153286, 1e-14);
  EXPECT_NEAR(digamma(0.5), -1.9635100260214235, 1e-14);
  EXPECT_NEAR(digamma(10), 2.2517525890667211, 1e-14);
  EXPECT_NEAR(digamma(123.4), 4.81137377511628, 1e-12);
}

TEST(Prior, ParseSpec) {
  PriorSpec s = parse_prior("b:x1 ~ normal(0, 1)");
  EXPECT_EQ(s.cls, "b");
  EXPECT_EQ(s.coef, "x1");
  s = parse_prior("b:x1:sexM ~ flat");
  EXPECT_EQ(s.coef, "x1:sexM");
  s = parse_prior("  sd:site ~ half_cauchy(0, 5) ");
  EXPECT_EQ(s.cls, "sd");
  EXPECT_EQ(s.coef, "site");
  EXPECT_EQ(error_of([] { parse_prior("b normal(0, 1)"); }),
            "--prior: b normal(0, 1): expected 'class[:coef] ~ distribution', e.g. \"b ~ "
            "normal(0, 1)\"");
  EXPECT_EQ(error_of([] { parse_prior("beta ~ normal(0, 1)"); }),
            "--prior: beta ~ normal(0, 1): unknown class 'beta' (classes: Intercept, b, sd, "
            "sigma, nu)");
  EXPECT_EQ(error_of([] { parse_prior("sigma:x ~ normal(0, 1)"); }),
            "--prior: sigma:x ~ normal(0, 1): class sigma has no coefficients");
  EXPECT_NE(error_of([] { parse_prior("b ~ normal(0, 0)"); }).find("must be > 0"),
            std::string::npos);
}

TEST(Prior, DefaultsScaledToTheData) {
  const Design d = make_design("y ~ x + (1 | g)", kCsv);
  const auto p = default_priors(d, Family::student_t);
  // median(y) = 4; |y − 4| = 3,1,6,0,16 → median 3 → mad = 4.4478; sd(y) = 7.7006.
  const double mad = 1.4826 * 3, sd_y = std::sqrt(59.3), sd_x = std::sqrt(2.5);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].parameter, "Intercept");
  EXPECT_EQ(p[0].dist.kind, DistributionKind::student_t);
  EXPECT_NEAR(p[0].dist.args[0], 3, 0);
  EXPECT_NEAR(p[0].dist.args[1], 4, 1e-12);
  EXPECT_NEAR(p[0].dist.args[2], mad, 1e-12);
  EXPECT_EQ(p[1].parameter, "b_x");
  EXPECT_EQ(p[1].dist.kind, DistributionKind::normal);
  EXPECT_NEAR(p[1].dist.args[1], 2.5 * sd_y / sd_x, 1e-12);
  EXPECT_EQ(p[2].parameter, "sd_g__Intercept");
  EXPECT_EQ(p[2].group, "g");
  EXPECT_EQ(p[2].coef, "Intercept");
  EXPECT_NEAR(p[2].dist.args[2], mad, 1e-12);
  EXPECT_EQ(p[3].parameter, "sigma");
  EXPECT_EQ(p[4].parameter, "nu");
  EXPECT_EQ(p[4].dist.to_string(), "gamma(2, 0.1)");
  // The floor of 2.5 (brms) for a response with little spread.
  const auto q = default_priors(make_design("x ~ 1", kCsv), Family::gaussian);
  EXPECT_NEAR(q[0].dist.args[2], 2.5, 0);
  // No sigma with known standard errors.
  const auto r = default_priors(make_design("y | se(s) ~ 1", kCsv), Family::gaussian);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].parameter, "Intercept");
}

TEST(Prior, OverridesMostSpecificWins) {
  const Design d = make_design("y ~ x + g + (1 + x | g)", kCsv);
  auto p = default_priors(d, Family::gaussian);
  apply_priors(p, {parse_prior("b:x ~ normal(0, 1)"), parse_prior("b ~ normal(0, 10)"),
                   parse_prior("sd:g__x ~ exponential(1)"), parse_prior("sd ~ half_normal(2)"),
                   parse_prior("Intercept ~ flat"), parse_prior("sigma ~ half_cauchy(0, 3)")});
  EXPECT_EQ(find(p, "b_x").dist.to_string(), "normal(0, 1)");
  EXPECT_EQ(find(p, "b_x").source, "b:x ~ normal(0, 1)");
  EXPECT_EQ(find(p, "b_gb").dist.to_string(), "normal(0, 10)");
  EXPECT_EQ(find(p, "sd_g__x").dist.to_string(), "exponential(1)");
  EXPECT_EQ(find(p, "sd_g__Intercept").dist.to_string(), "half_normal(0, 2)");
  EXPECT_EQ(find(p, "Intercept").dist.to_string(), "flat");
  EXPECT_EQ(find(p, "sigma").dist.to_string(), "half_cauchy(0, 3)");
  apply_priors(p, {parse_prior("sd:g ~ gamma(2, 1)")});
  EXPECT_EQ(find(p, "sd_g__x").dist.to_string(), "gamma(2, 1)");
  const std::string table = format_priors(p);
  EXPECT_NE(table.find("prior"), std::string::npos);
  EXPECT_NE(table.find("sd:g ~ gamma(2, 1)"), std::string::npos);
}

TEST(Prior, OverrideErrors) {
  const Design d = make_design("y | se(s) ~ x + (1 | g)", kCsv);
  auto p = default_priors(d, Family::gaussian);
  auto apply = [&](const std::string& s) {
    return error_of([&] { apply_priors(p, {parse_prior(s)}); });
  };
  EXPECT_EQ(apply("b:z ~ normal(0, 1)"),
            "--prior: b:z ~ normal(0, 1): no coefficient 'z' in class b (x)");
  EXPECT_EQ(apply("sd:h ~ normal(0, 1)"),
            "--prior: sd:h ~ normal(0, 1): no sd 'h' (groups: g; terms: g__Intercept)");
  EXPECT_NE(apply("sigma ~ normal(0, 1)").find("this model has no sigma"), std::string::npos);
  EXPECT_EQ(apply("nu ~ gamma(2, 0.1)"),
            "--prior: nu ~ gamma(2, 0.1): only the student_t family has nu");
  EXPECT_EQ(apply("b ~ exponential(1)"),
            "--prior: b ~ exponential(1): exponential(1) is for positive parameters (sd, sigma, "
            "nu), and b is on the real line");
  EXPECT_NE(apply("b:Intercept ~ normal(0, 1)").find("write \"Intercept ~ ...\""),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              apply_priors(p, {parse_prior("b ~ normal(0, 1)"), parse_prior("b ~ normal(0, 2)")});
            }).find("the same target as --prior \"b ~ normal(0, 1)\""),
            std::string::npos);
}
