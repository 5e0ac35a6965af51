// Formula models sampled to answers known independently of the sampler:
//  - gaussian with flat priors: the posterior of β is a multivariate t centred on the least
//    squares solution. With p(β, σ) ∝ 1 (flat on σ itself), integrating σ out leaves
//    p(β | y) ∝ (RSS + (β − β̂)ᵀXᵀX(β − β̂))^{−(n−1)/2}: a t with ν = n − p − 1 degrees of
//    freedom and covariance RSS/(n − p − 3)·(XᵀX)⁻¹, so sd(β_k) = SE_k·sqrt((n − p)/(n − p − 3))
//    with SE_k the classical standard error sqrt(RSS/(n − p)·[(XᵀX)⁻¹]_kk).
//  - eight schools as y | se(sigma) ~ 1 + (1 | school) with posteriordb's priors: its
//    reference posterior (mean within 4·sqrt(sd²/ESS + sd²/ESS_ref), sd within 10 %), with
//    both warm-up schemes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "sampler_checks.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/models/regression_model.hpp"
#include "test_models.hpp"

using namespace spectralbrain::models;
namespace stats = spectralbrain::stats;
namespace st = spectralbrain::stats::testing;

namespace {

RegressionModel make_model(const std::string& formula, const Table& t,
                           const std::vector<std::string>& priors) {
  Design d = build_design(parse_formula(formula), t);
  auto p = default_priors(d, Family::gaussian);
  std::vector<PriorSpec> specs;
  for (const auto& s : priors) specs.push_back(parse_prior(s));
  apply_priors(p, specs);
  return RegressionModel(std::move(d), Family::gaussian, std::move(p));
}

struct LeastSquares {
  std::vector<double> beta, se;  // intercept first, then the design columns
  std::size_t n = 0, p = 0;
};

// β̂ = (XᵀX)⁻¹Xᵀy by Cholesky, with the intercept column first.
LeastSquares least_squares(const Design& d) {
  const std::size_t n = d.n(), p = d.columns.size() + 1;
  auto x = [&](std::size_t i, std::size_t k) { return k == 0 ? 1.0 : d.columns[k - 1].values[i]; };
  std::vector<double> a(p * p, 0.0), b(p, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < p; ++j) {
      b[j] += x(i, j) * d.y[i];
      for (std::size_t k = 0; k < p; ++k) a[j * p + k] += x(i, j) * x(i, k);
    }
  // Cholesky a = LLᵀ, then the inverse column by column.
  std::vector<double> l(p * p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    double s = a[j * p + j];
    for (std::size_t k = 0; k < j; ++k) s -= l[j * p + k] * l[j * p + k];
    l[j * p + j] = std::sqrt(s);
    for (std::size_t i = j + 1; i < p; ++i) {
      double t = a[i * p + j];
      for (std::size_t k = 0; k < j; ++k) t -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = t / l[j * p + j];
    }
  }
  auto solve = [&](std::vector<double> r) {
    for (std::size_t i = 0; i < p; ++i) {
      for (std::size_t k = 0; k < i; ++k) r[i] -= l[i * p + k] * r[k];
      r[i] /= l[i * p + i];
    }
    for (std::size_t i = p; i-- > 0;) {
      for (std::size_t k = i + 1; k < p; ++k) r[i] -= l[k * p + i] * r[k];
      r[i] /= l[i * p + i];
    }
    return r;
  };
  LeastSquares ls;
  ls.n = n;
  ls.p = p;
  ls.beta = solve(b);
  double rss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double fit = 0;
    for (std::size_t k = 0; k < p; ++k) fit += x(i, k) * ls.beta[k];
    rss += (d.y[i] - fit) * (d.y[i] - fit);
  }
  for (std::size_t k = 0; k < p; ++k) {
    std::vector<double> e(p, 0.0);
    e[k] = 1;
    ls.se.push_back(std::sqrt(rss / static_cast<double>(n - p) * solve(e)[k]));
  }
  return ls;
}

void expect_least_squares(const std::string& formula, const Table& t) {
  const RegressionModel m =
      make_model(formula, t, {"Intercept ~ flat", "b ~ flat", "sigma ~ flat"});
  const LeastSquares ls = least_squares(m.design());
  stats::SamplerConfig c;
  c.draws = 1000;
  c.tune = 1000;
  c.chains = 4;
  const auto r = st::run(m, "nuts", c);
  if (spectralbrain::core::rank(MPI_COMM_WORLD) != 0) return;
  const double df = static_cast<double>(ls.n - ls.p);
  const double scale = std::sqrt(df / (df - 3));
  std::vector<std::string> names{"b_Intercept"};
  for (const auto& col : m.design().columns) names.push_back("b_" + col.name);
  for (std::size_t k = 0; k < names.size(); ++k) {
    SCOPED_TRACE(formula + ": " + names[k]);
    st::expect_moments(r, names[k], 0, ls.beta[k], ls.se[k] * scale);
  }
}

}  // namespace

TEST(KnownAnswers, FlatPriorsGiveLeastSquaresOnKidiq) {
  // 434 children: kid_score ~ mom_iq (Gelman & Hill), the classic lm() example.
  const Table t = read_table(std::string(SB_TEST_DATA_DIR) + "/models/kidiq.csv");
  expect_least_squares("kid_score ~ 1 + mom_iq", t);
}

TEST(KnownAnswers, FlatPriorsGiveLeastSquaresWithContrastsAndInteractions) {
  std::mt19937_64 gen(3);
  std::normal_distribution<double> z(0, 1);
  std::ostringstream csv;
  csv << "y,x,sex,site\n";
  const char* sites[] = {"a", "b", "c"};
  for (int i = 0; i < 60; ++i) {
    const double x = 2 * z(gen) + 5;
    const bool male = i % 2;
    csv << 3 + 0.5 * x + (male ? 1.0 - 0.2 * x : 0.0) + 0.3 * (i % 3) + z(gen) << ',' << x << ','
        << (male ? "M" : "F") << ',' << sites[i % 3] << '\n';
  }
  expect_least_squares("y ~ x * sex + site", Table(parse_csv(csv.str(), "synthetic.csv")));
}

class EightSchools : public ::testing::TestWithParam<std::string> {};

TEST_P(EightSchools, MatchesPosteriordb) {
  const Table t = read_table(std::string(SB_TEST_DATA_DIR) + "/models/eight_schools.csv");
  const RegressionModel m = make_model("y | se(sigma) ~ 1 + (1 | school)", t,
                                       {"Intercept ~ normal(0, 5)", "sd ~ half_cauchy(0, 5)"});
  const st::Reference ref = st::load_reference("eight_schools-eight_schools_noncentered");
  stats::SamplerConfig c;
  c.draws = 1000;
  c.tune = 1000;
  c.chains = 4;
  const auto r = st::run(m, GetParam(), c);
  if (spectralbrain::core::rank(MPI_COMM_WORLD) != 0) return;
  const auto& d = r.draws;
  auto check = [&](const std::string& key, const std::vector<double>& x) {
    const st::Summary s = st::summarize(x, d.n_chains, d.n_draws);
    const double sd = ref.sd.at(key);
    const double tol = 4 * std::sqrt(sd * sd / s.ess + sd * sd / ref.ess.at(key));
    EXPECT_LT(std::abs(s.mean - ref.mean.at(key)), tol)
        << key << ": mean " << s.mean << " vs " << ref.mean.at(key) << " (ESS " << s.ess << ")";
    EXPECT_LT(std::abs(s.sd / sd - 1), 0.1) << key << ": sd " << s.sd << " vs " << sd;
    EXPECT_GE(s.ess, 400) << key;
  };
  const auto mu = st::entry(st::find(d.posterior, "b_Intercept"), d.n_chains, d.n_draws, 0);
  check("mu", mu);
  check("tau", st::entry(st::find(d.posterior, "sd_school__Intercept"), d.n_chains, d.n_draws, 0));
  for (std::size_t j = 0; j < 8; ++j) {
    auto theta = st::entry(st::find(d.posterior, "r_school"), d.n_chains, d.n_draws, j);
    for (std::size_t i = 0; i < theta.size(); ++i) theta[i] += mu[i];
    check("theta[" + std::to_string(j + 1) + "]", theta);
  }
  EXPECT_LT(st::mean(st::find(d.sample_stats, "diverging").values), 0.01);
}

INSTANTIATE_TEST_SUITE_P(KnownAnswers, EightSchools, ::testing::Values("nuts", "nutpie"));
