// The regression model: its gradient against finite differences for every family, term
// kind and prior; its log density against an independent evaluation; its outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "spectralbrain/models/regression_model.hpp"

using namespace spectralbrain::models;
namespace stats = spectralbrain::stats;

namespace {

// 30 rows: two numeric predictors, a 2-level and a 3-level factor, known standard errors.
Table synthetic_table() {
  std::mt19937_64 gen(11);
  std::normal_distribution<double> z(0, 1);
  std::ostringstream csv;
  csv << "y,x1,x2,sex,site,s\n";
  const char* sites[] = {"north", "south", "east"};
  for (int i = 0; i < 30; ++i) {
    const double x1 = z(gen), x2 = 0.5 * z(gen) + 1;
    const char* sex = i % 2 ? "M" : "F";
    const double y = 1 + 0.8 * x1 - 0.3 * x2 + (i % 2 ? 0.5 : 0) + 0.4 * (i % 3) + 0.7 * z(gen);
    csv << y << ',' << x1 << ',' << x2 << ',' << sex << ',' << sites[i % 3] << ','
        << 0.5 + 0.1 * (i % 4) << '\n';
  }
  return Table(parse_csv(csv.str(), "synthetic.csv"));
}

RegressionModel make_model(const std::string& formula, Family family,
                           const std::vector<std::string>& priors, const Table& t) {
  Design d = build_design(parse_formula(formula), t);
  auto p = default_priors(d, family);
  std::vector<PriorSpec> specs;
  for (const auto& s : priors) specs.push_back(parse_prior(s));
  apply_priors(p, specs);
  return RegressionModel(std::move(d), family, std::move(p));
}

// The specs that put `dist` on every class it may apply to, as far as `model` has them.
std::vector<std::string> specs_for(const std::string& dist, bool positive_only, bool has_sigma,
                                   bool has_groups, Family family, bool has_intercept, bool has_b) {
  std::vector<std::string> s;
  if (!positive_only) {
    if (has_intercept) s.push_back("Intercept ~ " + dist);
    if (has_b) s.push_back("b ~ " + dist);
  }
  if (has_groups) s.push_back("sd ~ " + dist);
  if (has_sigma) s.push_back("sigma ~ " + dist);
  if (family == Family::student_t) s.push_back("nu ~ " + dist);
  return s;
}

}  // namespace

TEST(RegressionGradient, EveryFamilyTermAndPrior) {
  const Table t = synthetic_table();
  const char* formulas[] = {
      "y ~ 1 + x1",
      "y ~ 1 + x1 + x2 + sex + x1:sex",
      "y ~ 0 + sex + x1",
      "y ~ 1 + x1 + (1 | site)",
      "y ~ x1 * sex + (1 + x1 | site) + (1 | sex)",
      "y ~ 0 + (1 | site)",
      "y | se(s) ~ 1 + (1 | site)",
      "y | se(s, sigma = TRUE) ~ x1 + (1 + sex || site)",
      "y ~ 1 + (1 | site/sex)",
  };
  const std::pair<const char*, bool> dists[] = {
      {"", false},  // the defaults
      {"flat", false},
      {"normal(0.5, 2)", false},
      {"student_t(4, 0.3, 1.5)", false},
      {"cauchy(-0.2, 2)", false},
      {"half_normal(1.5)", true},
      {"half_cauchy(0, 2)", true},
      {"half_student_t(3, 1)", true},
      {"exponential(0.7)", true},
      {"gamma(2.5, 0.8)", true},
  };
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> u(-1, 1);
  int checked = 0;
  for (const char* f : formulas)
    for (Family family : {Family::gaussian, Family::student_t})
      for (const auto& [dist, positive] : dists) {
        const Formula parsed = parse_formula(f);
        const bool has_sigma = !parsed.se || parsed.se_sigma;
        const Design d = build_design(parsed, t);
        const auto specs = *dist ? specs_for(dist, positive, has_sigma, !d.groups.empty(), family,
                                             d.intercept, !d.columns.empty())
                                 : std::vector<std::string>{};
        const RegressionModel m = make_model(f, family, specs, t);
        for (int trial = 0; trial < 3; ++trial) {
          std::vector<double> x(m.dimension());
          for (double& v : x) v = u(gen);
          const double err = stats::gradient_error(m, x);
          EXPECT_LT(err, 1e-6) << f << ", " << family_name(family) << ", prior "
                               << (*dist ? dist : "default") << ", trial " << trial;
          ++checked;
        }
      }
  EXPECT_EQ(checked, 9 * 2 * 10 * 3);
}

TEST(RegressionModel, LogDensityMatchesAnIndependentEvaluation) {
  // y ~ 1 + x1 + (1 | site), gaussian, normal priors: written out directly.
  const Table t = synthetic_table();
  const RegressionModel m = make_model("y ~ 1 + x1 + (1 | site)", Family::gaussian,
                                       {"Intercept ~ normal(1, 3)", "b ~ normal(0, 2)",
                                        "sd ~ half_normal(1)", "sigma ~ exponential(1)"},
                                       t);
  ASSERT_EQ(m.dimension(), 1u + 1 + 1 + 3 + 1);
  EXPECT_EQ(m.parameter_names(),
            (std::vector<std::string>{"Intercept", "b_x1", "log_sd_site__Intercept",
                                      "z_site[east,Intercept]", "z_site[north,Intercept]",
                                      "z_site[south,Intercept]", "log_sigma"}));
  const auto& y = t.column("y").values;
  const auto& x1 = t.column("x1").values;
  const auto& site = t.column("site").text;
  double mean_x = 0;
  for (double v : x1) mean_x += v / x1.size();
  auto direct = [&](const std::vector<double>& p) {
    const double a = p[0], b = p[1], sd = std::exp(p[2]), sigma = std::exp(p[6]);
    double lp = -0.5 * std::pow((a - 1) / 3, 2) - 0.5 * std::pow(b / 2, 2) - 0.5 * sd * sd + p[2] -
                sigma + p[6];
    for (int l = 0; l < 3; ++l) lp -= 0.5 * p[3 + l] * p[3 + l];
    for (std::size_t i = 0; i < y.size(); ++i) {
      const int l = site[i] == "east" ? 0 : site[i] == "north" ? 1 : 2;
      const double mu = a + b * (x1[i] - mean_x) + sd * p[3 + l];
      lp += -std::log(sigma) - 0.5 * std::pow((y[i] - mu) / sigma, 2);
    }
    return lp;
  };
  const std::vector<double> p1{0.3, -0.2, 0.1, 0.5, -1, 0.2, -0.4},
      p2{1, 0.7, -0.5, 0, 1, -0.3, 0.2};
  std::vector<double> g(m.dimension());
  const double diff = m.log_density(p1, g) - m.log_density(p2, g);
  EXPECT_NEAR(diff, direct(p1) - direct(p2), 1e-9 * std::abs(diff));

  // Outputs: b_Intercept is the uncentred intercept; r = sd·z, labelled level,term.
  const auto vars = m.output_variables();
  std::vector<std::string> names;
  for (const auto& v : vars) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"b_Intercept", "b_x1", "sd_site__Intercept", "sigma",
                                             "r_site"}));
  EXPECT_EQ(vars.back().shape, (std::vector<std::size_t>{3}));
  std::vector<double> out(stats::output_size(m));
  m.constrain(p1, out);
  EXPECT_NEAR(out[0], 0.3 + 0.2 * mean_x, 1e-14);
  EXPECT_NEAR(out[1], -0.2, 0);
  EXPECT_NEAR(out[2], std::exp(0.1), 1e-14);
  EXPECT_NEAR(out[3], std::exp(-0.4), 1e-14);
  EXPECT_NEAR(out[4], std::exp(0.1) * 0.5, 1e-14);
  EXPECT_NEAR(out[5], -std::exp(0.1), 1e-14);
  EXPECT_EQ(m.group_labels(0),
            (std::vector<std::string>{"east,Intercept", "north,Intercept", "south,Intercept"}));
}

TEST(RegressionModel, StudentTLikelihoodMatchesTheDensity) {
  // One observation, se known: log p differences equal those of Stan's student_t_lpdf.
  const Table t(parse_csv("y,s\n1.5,0.8\n", "one.csv"));
  const RegressionModel m =
      make_model("y | se(s) ~ 1", Family::student_t, {"Intercept ~ flat", "nu ~ flat"}, t);
  auto lpdf = [](double y, double nu, double mu, double s) {
    const double r = (y - mu) / s;
    return std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2) - 0.5 * std::log(nu * M_PI) -
           std::log(s) - (nu + 1) / 2 * std::log1p(r * r / nu);
  };
  std::vector<double> g(2);
  const std::vector<double> p1{0.2, std::log(3.0)}, p2{-1, std::log(7.5)};  // nu = 4, 8.5
  const double diff = m.log_density(p1, g) - m.log_density(p2, g);
  // The log-Jacobian of nu = 1 + e^u is u.
  const double expected =
      lpdf(1.5, 4, 0.2, 0.8) + std::log(3.0) - lpdf(1.5, 8.5, -1, 0.8) - std::log(7.5);
  EXPECT_NEAR(diff, expected, 1e-12);
}

TEST(RegressionModel, AnnotateLabelsAndObservedData) {
  const Table t = synthetic_table();
  const RegressionModel m = make_model("y ~ 1 + (1 + x1 | site)", Family::gaussian, {}, t);
  stats::PosteriorDraws draws;
  draws.n_chains = 1;
  draws.n_draws = 1;
  for (const auto& v : m.output_variables())
    draws.posterior.push_back({v.name,
                               v.shape,
                               v.dim_names,
                               {},
                               stats::ValueType::float64,
                               std::vector<double>(v.size(), 0.0)});
  m.annotate(draws);
  const auto& r = draws.posterior.back();
  EXPECT_EQ(r.name, "r_site");
  EXPECT_EQ(r.coords,
            (std::vector<std::string>{"east,Intercept", "north,Intercept", "south,Intercept",
                                      "east,x1", "north,x1", "south,x1"}));
  ASSERT_EQ(draws.observed_data.size(), 1u);
  EXPECT_EQ(draws.observed_data[0].name, "y");
  EXPECT_EQ(draws.observed_data[0].values, t.column("y").values);
}
