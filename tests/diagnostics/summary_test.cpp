// The summary table: row names, values against the diagnostics, filtering, warnings, CSV.
#include "spectralbrain/stats/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

namespace st = spectralbrain::stats;

namespace {

/// 4 chains × 500 draws: mu well mixed, theta[2] with chain 3 shifted, a constant `c`.
st::PosteriorDraws example(bool shifted) {
  st::PosteriorDraws d;
  d.n_chains = 4;
  d.n_draws = 500;
  const std::size_t n = d.n_chains * d.n_draws;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  st::Variable mu{"mu", {}, {}, {}, st::ValueType::float64, {}};
  st::Variable theta{"theta", {2}, {"school"}, {"Choate", "Deerfield"}, st::ValueType::float64, {}};
  st::Variable c{"c", {}, {}, {}, st::ValueType::float64, std::vector<double>(n, 2.5)};
  for (std::size_t i = 0; i < n; ++i) {
    mu.values.push_back(1.0 + normal(rng));
    theta.values.push_back(normal(rng));
    theta.values.push_back(normal(rng) + (shifted && i >= 3 * d.n_draws ? 3.0 : 0.0));
  }
  d.posterior = {mu, theta, c};
  d.sample_stats.push_back(
      {"diverging", {}, {}, {}, st::ValueType::boolean, std::vector<double>(n, 0.0)});
  d.sample_stats[0].values[5] = 1;
  std::vector<double> energy(n);
  for (auto& e : energy) e = normal(rng);
  d.sample_stats.push_back({"energy", {}, {}, {}, st::ValueType::float64, energy});
  return d;
}

}  // namespace

TEST(Summary, RowsMatchTheDiagnostics) {
  const auto draws = example(false);
  const auto s = st::summarize(draws);
  ASSERT_EQ(s.rows.size(), 4u);
  EXPECT_EQ(s.rows[0].name, "mu");
  EXPECT_EQ(s.rows[1].name, "theta[Choate]");
  EXPECT_EQ(s.rows[2].name, "theta[Deerfield]");
  EXPECT_EQ(s.rows[3].name, "c");
  const auto& mu = draws.posterior[0].values;
  EXPECT_DOUBLE_EQ(s.rows[0].r_hat, st::rhat(mu, 4));
  EXPECT_DOUBLE_EQ(s.rows[0].ess_bulk, st::ess_bulk(mu, 4));
  EXPECT_DOUBLE_EQ(s.rows[0].ess_tail, st::ess_tail(mu, 4));
  EXPECT_DOUBLE_EQ(s.rows[0].mcse_mean, st::mcse_mean(mu, 4));
  EXPECT_DOUBLE_EQ(s.rows[0].mcse_sd, st::mcse_sd(mu, 4));
  const auto interval = st::hdi(mu, 0.94);
  EXPECT_EQ(s.rows[0].hdi_low, interval.low);
  EXPECT_EQ(s.rows[0].hdi_high, interval.high);
  EXPECT_NEAR(s.rows[0].mean, 1.0, 0.1);
  EXPECT_NEAR(s.rows[0].sd, 1.0, 0.1);
  // A constant quantity: mean exact, sd 0, diagnostics undefined.
  EXPECT_EQ(s.rows[3].mean, 2.5);
  EXPECT_EQ(s.rows[3].sd, 0.0);
  EXPECT_TRUE(std::isnan(s.rows[3].r_hat));
  // Only the one divergence to report.
  ASSERT_EQ(s.warnings.size(), 1u) << s.warnings[0];
  EXPECT_NE(s.warnings[0].find("1 of 2000 transitions"), std::string::npos);
}

TEST(Summary, WarnsAboutUnmixedChains) {
  const auto s = st::summarize(example(true));
  std::string all;
  for (const auto& w : s.warnings) all += w + "\n";
  EXPECT_NE(all.find("R-hat above 1.01 for 1 of 4 quantities: theta[Deerfield]"), std::string::npos)
      << all;
  EXPECT_NE(all.find("bulk ESS below 400"), std::string::npos) << all;
}

TEST(Summary, SelectsVariablesAndRejectsUnknownOnes) {
  const auto draws = example(false);
  st::SummaryOptions options;
  options.var_names = {"theta"};
  const auto s = st::summarize(draws, options);
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0].name, "theta[Choate]");
  options.var_names = {"sigma"};
  try {
    st::summarize(draws, options);
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'sigma'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("mu, theta, c"), std::string::npos);
  }
}

TEST(Summary, MultiDimensionalNamesAndColumns) {
  st::PosteriorDraws d;
  d.n_chains = 2;
  d.n_draws = 10;
  st::Variable x{"x", {2, 3}, {"x_dim_0", "x_dim_1"}, {}, st::ValueType::float64, {}};
  for (int i = 0; i < 2 * 10 * 6; ++i) x.values.push_back(std::sin(i * 0.7));
  d.posterior = {x};
  const auto s = st::summarize(d);
  ASSERT_EQ(s.rows.size(), 6u);
  EXPECT_EQ(s.rows[0].name, "x[0, 0]");
  EXPECT_EQ(s.rows[5].name, "x[1, 2]");
  EXPECT_EQ(st::hdi_column_names(0.94), (std::vector<std::string>{"hdi_3%", "hdi_97%"}));
  EXPECT_EQ(st::hdi_column_names(0.9), (std::vector<std::string>{"hdi_5%", "hdi_95%"}));
}

TEST(Summary, TableAndCsv) {
  const auto s = st::summarize(example(false));
  std::ostringstream table;
  st::print_table(table, s);
  const std::string text = table.str();
  EXPECT_NE(text.find("mean"), std::string::npos);
  EXPECT_NE(text.find("hdi_3%"), std::string::npos);
  EXPECT_NE(text.find("theta[Deerfield]"), std::string::npos);
  EXPECT_NE(text.find("warning: 1 of 2000"), std::string::npos);
  // Every table line has the same width up to the first blank line (aligned columns).
  std::istringstream lines(text);
  std::string line, first, last;
  std::getline(lines, first);
  while (std::getline(lines, line) && !line.empty()) EXPECT_EQ(line.size(), first.size()) << line;

  std::ostringstream csv;
  st::write_csv(csv, s);
  std::istringstream rows(csv.str());
  std::getline(rows, line);
  EXPECT_EQ(line, "variable,mean,sd,hdi_3%,hdi_97%,mcse_mean,mcse_sd,ess_bulk,ess_tail,r_hat");
  std::getline(rows, line);
  EXPECT_EQ(line.rfind("mu,", 0), 0u);
  EXPECT_EQ(std::stod(line.substr(3)), s.rows[0].mean);  // full precision
  while (std::getline(rows, line)) last = line;
  EXPECT_NE(last.find("NaN"), std::string::npos);  // the constant's R-hat
}

TEST(Summary, TooFewDrawsGiveNaNNotErrors) {
  for (std::size_t n_draws : {1u, 2u, 3u}) {
    st::PosteriorDraws d;
    d.n_chains = 1;
    d.n_draws = n_draws;
    st::Variable mu{"mu", {}, {}, {}, st::ValueType::float64, {}};
    for (std::size_t i = 0; i < n_draws; ++i) mu.values.push_back(0.5 * i * i);
    d.posterior = {mu};
    st::Summary s;
    ASSERT_NO_THROW(s = st::summarize(d)) << n_draws;
    ASSERT_EQ(s.rows.size(), 1u);
    EXPECT_TRUE(std::isnan(s.rows[0].ess_bulk)) << n_draws;
    EXPECT_TRUE(std::isnan(s.rows[0].r_hat) || n_draws > 1) << n_draws;
    std::ostringstream table;
    st::print_table(table, s);
    EXPECT_NE(table.str().find("NaN"), std::string::npos);
  }
}
