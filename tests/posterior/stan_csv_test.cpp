// Stan CSV: one file per chain, Stan's column names and order, exact numbers.
#include "spectralbrain/io/stan_csv.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "example_posterior.hpp"
#include "spectralbrain/core/error.hpp"

namespace fs = std::filesystem;

namespace {
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) out.push_back(field);
  return out;
}
}  // namespace

TEST(StanCsv, OneFilePerChainInStanLayout) {
  const fs::path dir = fs::temp_directory_path() / ("sb_stan_csv_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto draws = spectralbrain::test::example_posterior(2, 5);
  const auto files = spectralbrain::io::write_stan_csv(dir / "fit", draws);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[1], dir / "fit_2.csv");

  std::ifstream in(files[1]);
  std::string line;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header.empty())
      header = split(line);
    else
      rows.push_back(split(line));
  }
  ASSERT_EQ(rows.size(), 5u);
  const std::vector<std::string> first = {
      "lp__",        "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__",
      "divergent__", "energy__",      "mu",         "theta.1"};
  ASSERT_GE(header.size(), first.size());
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 9), first);
  // L is 2×3: Stan lists it column-major, L.1.1, L.2.1, L.1.2, ...
  auto at = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  ASSERT_LT(at("L.2.3"), header.size());
  EXPECT_EQ(at("L.2.1"), at("L.1.1") + 1);
  EXPECT_EQ(at("L.1.2"), at("L.1.1") + 2);
  EXPECT_EQ(at("r_site.2"), at("r_site.1") + 1);
  // Values of chain 2 (c = 1), draw 3: L[1][2] = 1e4 + 30 + 3 + 2; mu exactly as written.
  EXPECT_EQ(std::stod(rows[3][at("L.2.3")]), 1e4 + 30 + 5);
  const double mu = draws.posterior[0].values[1 * 5 + 3];
  EXPECT_EQ(std::stod(rows[3][at("mu")]), mu);
  EXPECT_EQ(rows[3][at("divergent__")], "0");
  fs::remove_all(dir);
}

TEST(StanCsv, RejectsNonScalarSamplerStatistics) {
  auto draws = spectralbrain::test::example_posterior(2, 5);
  draws.sample_stats[0].shape = {2};
  EXPECT_THROW(spectralbrain::io::write_stan_csv(fs::temp_directory_path() / "never", draws),
               spectralbrain::core::InputError);
}
