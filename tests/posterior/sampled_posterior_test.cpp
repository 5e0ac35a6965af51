// Issue 6 end to end: the MPI sampler's draws go through the posterior file and come back
// through the reader, the summary and xarray unchanged, with the known posterior recovered.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "spectralbrain/core/error.hpp"

#include "spectralbrain/io/posterior_file.hpp"
#include "spectralbrain/stats/model.hpp"
#include "spectralbrain/stats/sampler.hpp"
#include "spectralbrain/stats/summary.hpp"

namespace fs = std::filesystem;
using namespace spectralbrain;

namespace {
// Independent normals: mu ~ N(1, 1), theta ~ N((-2, 0.5), (2, 0.5)²). Known mean and sd.
constexpr double kMean[3] = {1.0, -2.0, 0.5};
constexpr double kSd[3] = {1.0, 2.0, 0.5};

class IndependentNormals : public stats::Model {
 public:
  std::size_t dimension() const override { return 3; }
  double log_density(std::span<const double> x, std::span<double> g) const override {
    double lp = 0;
    for (int i = 0; i < 3; ++i) {
      const double z = (x[i] - kMean[i]) / kSd[i];
      lp -= 0.5 * z * z;
      g[i] = -z / kSd[i];
    }
    return lp;
  }
  std::vector<std::string> parameter_names() const override {
    return {"mu", "theta[0]", "theta[1]"};
  }
  std::vector<stats::VariableInfo> output_variables() const override {
    return {{"mu", {}, {}}, {"theta", {2}, {"theta_dim_0"}}};
  }
  void constrain(std::span<const double> x, std::span<double> out) const override {
    std::copy(x.begin(), x.end(), out.begin());
  }
};

// A child process must not inherit this MPI job's environment (it would try to join it).
std::string clean_env() {
  return "env -i PATH=/usr/bin:/bin OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ";
}

fs::path shared_path(const std::string& stem) {
  // One name for all ranks of this run, unique across concurrent test processes.
  long long id = 0;
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) id = static_cast<long long>(getpid());
  MPI_Bcast(&id, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  return fs::temp_directory_path() / (stem + "_" + std::to_string(id) + ".h5");
}
}  // namespace

class SampledPosterior : public ::testing::TestWithParam<const char*> {};

TEST_P(SampledPosterior, FileSummaryAndXarrayAgree) {
  stats::SamplerConfig config;
  config.draws = 1000;
  config.tune = 500;
  config.chains = 4;
  config.seed = 2026;
  config.progress = false;
  const IndependentNormals model;
  const auto result = stats::make_sampler(GetParam(), config)->sample(model, MPI_COMM_WORLD);
  const fs::path path = shared_path(std::string("sb_sampled_") + GetParam());
  io::write_posterior(MPI_COMM_WORLD, 0, path, result.draws);

  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    const stats::PosteriorDraws back = io::read_posterior(path);
    ASSERT_EQ(back.n_chains, 4u);
    ASSERT_EQ(back.n_draws, 1000u);
    ASSERT_EQ(back.posterior.size(), 2u);
    EXPECT_EQ(back.posterior[1].values, result.draws.posterior[1].values);

    const stats::Summary summary = stats::summarize(back);
    ASSERT_EQ(summary.rows.size(), 3u);
    for (int i = 0; i < 3; ++i) {
      const auto& row = summary.rows[i];
      EXPECT_NEAR(row.mean, kMean[i], 4 * row.mcse_mean) << row.name;
      EXPECT_NEAR(row.sd, kSd[i], 4 * row.mcse_sd) << row.name;
      EXPECT_LT(row.r_hat, 1.01) << row.name;
      EXPECT_GT(row.ess_bulk, 400) << row.name;
    }
    EXPECT_EQ(summary.checks.n_divergent, 0u);

    // The command-line summary prints the same variables and exits 0.
    const std::string cmd = clean_env() + std::string(SB_BUILD_DIR) + "/spectralbrain summary " +
                            path.string() + " > " + path.string() + ".txt 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream text(path.string() + ".txt");
    std::stringstream printed;
    printed << text.rdbuf();
    EXPECT_NE(printed.str().find("theta[1]"), std::string::npos) << printed.str();

    // xarray sees the same draws, with chain/draw dims and sample_stats types.
    const std::string py = clean_env() + "/usr/bin/python3 " + SB_SOURCE_DIR +
                           "/tests/posterior/check_sampled.py " + path.string() + " " +
                           core::cat(std::setprecision(17), summary.rows[1].mean);
    EXPECT_EQ(std::system(py.c_str()), 0);
    fs::remove(path);
    fs::remove(path.string() + ".txt");
  }
}

INSTANTIATE_TEST_SUITE_P(Schemes, SampledPosterior, ::testing::Values("nuts", "nutpie"));
