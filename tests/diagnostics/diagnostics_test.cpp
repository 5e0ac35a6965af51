// Diagnostics against R's posterior package (fixtures made by make_fixtures.R), the HDI
// against hand-checked cases, E-BFMI and the autocovariance against their direct formulas.
#include "spectralbrain/stats/diagnostics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace st = spectralbrain::stats;

namespace {

const std::string data_dir = std::string(SB_TEST_DATA_DIR) + "/diagnostics/";

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) out.push_back(field);
  return out;
}

double parse_number(const std::string& s) {
  if (s == "NA") return std::numeric_limits<double>::quiet_NaN();
  return std::stod(s);
}

/// A fixture's draws, chain-major (n_chains × n_draws), from a file with one column per
/// chain and one row per draw.
struct Fixture {
  std::size_t n_chains = 0;
  std::size_t n_draws = 0;
  std::vector<double> draws;
};

Fixture read_draws(const std::string& name) {
  std::ifstream in(data_dir + "draws_" + name + ".csv");
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::string line;
  std::getline(in, line);
  Fixture f;
  f.n_chains = split_csv_line(line).size();
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> row;
    for (const auto& field : split_csv_line(line)) row.push_back(parse_number(field));
    EXPECT_EQ(row.size(), f.n_chains);
    rows.push_back(row);
  }
  f.n_draws = rows.size();
  f.draws.resize(f.n_chains * f.n_draws);
  for (std::size_t d = 0; d < f.n_draws; ++d)
    for (std::size_t c = 0; c < f.n_chains; ++c) f.draws[c * f.n_draws + d] = rows[d][c];
  return f;
}

using Reference = std::map<std::string, std::map<std::string, double>>;

Reference read_reference() {
  std::ifstream in(data_dir + "reference.csv");
  EXPECT_TRUE(in) << "missing reference.csv";
  std::string line;
  std::getline(in, line);
  const auto columns = split_csv_line(line);
  Reference out;
  while (std::getline(in, line)) {
    const auto fields = split_csv_line(line);
    for (std::size_t i = 1; i < fields.size(); ++i)
      out[fields[0]][columns[i]] = parse_number(fields[i]);
  }
  return out;
}

void expect_relative(double expected, double actual, double tolerance, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": R gives NA, we give " << actual;
    return;
  }
  EXPECT_NEAR(actual, expected, tolerance * std::abs(expected)) << what;
}

}  // namespace

TEST(Diagnostics, MatchRPosteriorPackage) {
  const Reference reference = read_reference();
  ASSERT_GE(reference.size(), 10u);
  using Fn = std::function<double(std::span<const double>, std::size_t)>;
  const std::map<std::string, Fn> functions = {
      {"rhat", st::rhat},
      {"rhat_basic", st::rhat_basic},
      {"ess_bulk", st::ess_bulk},
      {"ess_tail", st::ess_tail},
      {"ess_basic", st::ess_basic},
      {"ess_mean", st::ess_mean},
      {"ess_sd", st::ess_sd},
      {"ess_q05", [](auto x, auto m) { return st::ess_quantile(x, m, 0.05); }},
      {"ess_q95", [](auto x, auto m) { return st::ess_quantile(x, m, 0.95); }},
      {"mcse_mean", st::mcse_mean},
      {"mcse_sd", st::mcse_sd},
  };
  for (const auto& [name, expected] : reference) {
    const Fixture f = read_draws(name);
    ASSERT_EQ(f.n_chains, static_cast<std::size_t>(expected.at("n_chains"))) << name;
    ASSERT_EQ(f.n_draws, static_cast<std::size_t>(expected.at("n_draws"))) << name;
    for (const auto& [column, fn] : functions)
      expect_relative(expected.at(column), fn(f.draws, f.n_chains), 1e-6, name + " " + column);
  }
}

TEST(Diagnostics, AutocovarianceEqualsDirectSum) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  for (std::size_t n : {1u, 2u, 3u, 17u, 64u, 65u, 1000u}) {
    std::vector<double> x(n);
    double y = 0;
    for (auto& v : x) v = y = 0.8 * y + normal(rng);
    double mean = 0;
    for (double v : x) mean += v;
    mean /= n;
    const auto acov = st::autocovariance(x);
    ASSERT_EQ(acov.size(), n);
    for (std::size_t k = 0; k < n; ++k) {
      double direct = 0;
      for (std::size_t t = 0; t + k < n; ++t) direct += (x[t] - mean) * (x[t + k] - mean);
      direct /= n;
      EXPECT_NEAR(acov[k], direct, 1e-12 * (1 + std::abs(acov[0]))) << "n=" << n << " k=" << k;
    }
  }
  const std::vector<double> constant(10, 3.0);
  for (double a : st::autocovariance(constant)) EXPECT_EQ(a, 0.0);
}

TEST(Diagnostics, IidChainsLookConverged) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal;
  std::vector<double> x(4 * 2000);
  for (auto& v : x) v = normal(rng);
  EXPECT_LT(st::rhat(x, 4), 1.01);
  EXPECT_GT(st::ess_bulk(x, 4), 6000);
  EXPECT_GT(st::ess_tail(x, 4), 6000);
  EXPECT_NEAR(st::mcse_mean(x, 4), 1 / std::sqrt(8000.0), 0.003);
  EXPECT_NEAR(st::mcse_sd(x, 4), 1 / std::sqrt(2 * 8000.0), 0.002);
}

TEST(Diagnostics, RejectsDrawsThatDoNotFillTheChains) {
  const std::vector<double> x(10, 1.0);
  EXPECT_THROW(st::rhat(x, 3), std::invalid_argument);
  EXPECT_THROW(st::ess_bulk(x, 0), std::invalid_argument);
  EXPECT_THROW(st::ess_bulk(std::span<const double>(), 1), std::invalid_argument);
  EXPECT_THROW(st::ess_quantile(x, 2, 1.5), std::invalid_argument);
}

TEST(Diagnostics, NonFiniteDraws) {
  std::vector<double> x(4 * 100);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(0.37 * i);
  x[17] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(st::rhat(x, 4)));
  EXPECT_TRUE(std::isnan(st::ess_bulk(x, 4)));
  EXPECT_TRUE(std::isnan(st::ess_tail(x, 4)));
  EXPECT_TRUE(std::isnan(st::mcse_mean(x, 4)));
  // posterior ranks infinite draws (rank-normalised diagnostics stay finite) but returns NA
  // for the diagnostics of the raw values.
  x[17] = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(std::isfinite(st::rhat(x, 4)));
  EXPECT_TRUE(std::isfinite(st::ess_bulk(x, 4)));
  EXPECT_TRUE(std::isnan(st::ess_tail(x, 4)));
  EXPECT_TRUE(std::isnan(st::ess_mean(x, 4)));
}

TEST(Hdi, HandCheckedIntervals) {
  // S = 7, prob 0.5: k = floor(3.5) = 3; widths x[i+3] − x[i] = 2, 1.2, 0.9, 8.
  const std::vector<double> x = {10, 2.2, 0, 1.5, 2.4, 1, 2};
  auto interval = st::hdi(x, 0.5);
  EXPECT_EQ(interval.low, 1.5);
  EXPECT_EQ(interval.high, 2.4);
  // Uniform spacing: every width is equal and the first (lowest) interval wins, as np.argmin.
  std::vector<double> grid(100);
  for (std::size_t i = 0; i < grid.size(); ++i) grid[i] = static_cast<double>(99 - i);
  interval = st::hdi(grid, 0.94);
  EXPECT_EQ(interval.low, 0.0);
  EXPECT_EQ(interval.high, 94.0);
  // Skewed: the interval hugs the dense end.
  std::vector<double> skewed;
  for (int i = 0; i < 100; ++i) skewed.push_back(i * i);
  interval = st::hdi(skewed, 0.9);
  EXPECT_EQ(interval.low, 0.0);
  EXPECT_EQ(interval.high, 90.0 * 90.0);
  // NaN draws are skipped.
  std::vector<double> with_nan = x;
  with_nan.push_back(std::numeric_limits<double>::quiet_NaN());
  interval = st::hdi(with_nan, 0.5);
  EXPECT_EQ(interval.low, 1.5);
  EXPECT_THROW(st::hdi(x, 1.0), std::invalid_argument);  // no interval of S+1 draws
  EXPECT_THROW(st::hdi(x, 0.0), std::invalid_argument);
  EXPECT_THROW(st::hdi(std::vector<double>{1.0}, 0.5), std::invalid_argument);
}

TEST(Ebfmi, DirectFormula) {
  // Chain 0: E = 1, 3, 2, 5. Jumps 2, −1, 3: mean square 14/3. Mean 2.75, population
  // variance 8.75/4. E-BFMI = (14/3) / (8.75/4).
  std::vector<double> energy = {1, 3, 2, 5, 0, 0.1, 0.2, 0.3};
  const auto e = st::ebfmi(energy, 2);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_NEAR(e[0], (14.0 / 3.0) / (8.75 / 4.0), 1e-14);
  // Chain 1: E = 0, 0.1, 0.2, 0.3. Jumps 0.1: mean square 0.01; population variance 0.0125.
  EXPECT_NEAR(e[1], 0.01 / 0.0125, 1e-12);
  const auto flat = st::ebfmi(std::vector<double>(6, 2.0), 2);
  EXPECT_TRUE(std::isnan(flat[0]) && std::isnan(flat[1]));
}

TEST(SamplerChecks, CountsDivergencesTreeDepthAndEbfmi) {
  st::PosteriorDraws d;
  d.n_chains = 2;
  d.n_draws = 4;
  d.sample_stats.push_back(
      {"diverging", {}, {}, {}, st::ValueType::boolean, {0, 1, 0, 0, 1, 1, 0, 0}});
  d.sample_stats.push_back(
      {"tree_depth", {}, {}, {}, st::ValueType::int64, {3, 10, 4, 10, 2, 2, 3, 11}});
  d.sample_stats.push_back(
      {"energy", {}, {}, {}, st::ValueType::float64, {1, 3, 2, 5, 0, 0.1, 0.2, 0.3}});
  auto checks = st::sampler_checks(d, 10);
  EXPECT_EQ(checks.n_transitions, 8u);
  EXPECT_EQ(checks.n_divergent, 3u);
  EXPECT_EQ(checks.n_max_tree_depth, 3u);
  ASSERT_EQ(checks.ebfmi.size(), 2u);
  EXPECT_NEAR(checks.ebfmi[1], 0.8, 1e-12);
  // An explicit flag wins over comparing depths.
  d.sample_stats.push_back(
      {"reached_max_treedepth", {}, {}, {}, st::ValueType::boolean, {0, 0, 0, 0, 0, 0, 0, 1}});
  EXPECT_EQ(st::sampler_checks(d, 10).n_max_tree_depth, 1u);
  // A statistic with the wrong number of values is an error, not silently skipped.
  d.sample_stats[0].values.pop_back();
  EXPECT_THROW(st::sampler_checks(d, 10), std::invalid_argument);
}
