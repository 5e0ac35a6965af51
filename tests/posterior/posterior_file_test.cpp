// Posterior file: round trip, atomic write, input checks, the collective write, and clear
// errors for files that are missing, not HDF5, truncated, incomplete or not a posterior.
#include "spectralbrain/io/posterior_file.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>
#include <mpi.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "example_posterior.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/hdf5.hpp"

namespace fs = std::filesystem;
namespace sio = spectralbrain::io;
namespace st = spectralbrain::stats;
using spectralbrain::core::InputError;

namespace {

/// A folder of this process's own (the np1 and np2 runs may go at the same time).
class PosteriorFile : public ::testing::Test {
 protected:
  void SetUp() override {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    dir_ = fs::temp_directory_path() /
           ("sb_posterior_test_" + std::to_string(::getpid()) + "_" + std::to_string(rank));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

void expect_same(const std::vector<st::Variable>& expected, const std::vector<st::Variable>& got,
                 const std::string& group) {
  ASSERT_EQ(expected.size(), got.size()) << group;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& e = expected[i];
    const auto& g = got[i];
    SCOPED_TRACE(group + "/" + e.name);
    EXPECT_EQ(g.name, e.name);
    EXPECT_EQ(g.shape, e.shape);
    std::vector<std::string> dims = e.dim_names;
    if (dims.empty())
      for (std::size_t a = 0; a < e.shape.size(); ++a)
        dims.push_back(e.name + "_dim_" + std::to_string(a));
    EXPECT_EQ(g.dim_names, dims);
    EXPECT_EQ(g.coords, e.coords);
    EXPECT_EQ(g.type, e.type);
    EXPECT_EQ(g.values, e.values);  // exact: float64 is stored as float64
  }
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace

TEST_F(PosteriorFile, RoundTrip) {
  const auto draws = spectralbrain::test::example_posterior();
  const fs::path path = dir_ / "posterior.h5";
  sio::write_posterior(path, draws);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(dir_ / "posterior.tmp.h5"));
  const auto back = sio::read_posterior(path);
  EXPECT_EQ(back.n_chains, draws.n_chains);
  EXPECT_EQ(back.n_draws, draws.n_draws);
  expect_same(draws.posterior, back.posterior, "posterior");
  expect_same(draws.sample_stats, back.sample_stats, "sample_stats");
  expect_same(draws.observed_data, back.observed_data, "observed_data");
  // Writing again replaces the file.
  sio::write_posterior(path, spectralbrain::test::example_posterior(2, 7));
  EXPECT_EQ(sio::read_posterior(path).n_draws, 7u);
}

TEST_F(PosteriorFile, RejectsInconsistentDrawsBeforeWriting) {
  const fs::path path = dir_ / "bad.h5";
  auto draws = spectralbrain::test::example_posterior();
  draws.posterior[0].values.pop_back();
  std::string what = message_of([&] { sio::write_posterior(path, draws); });
  EXPECT_NE(what.find(path.string()), std::string::npos) << what;
  EXPECT_NE(what.find("posterior/mu"), std::string::npos) << what;
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(dir_ / "bad.tmp.h5"));

  draws = spectralbrain::test::example_posterior();
  draws.posterior[4].values[3] = 2.5;  // int64 `count`
  what = message_of([&] { sio::write_posterior(path, draws); });
  EXPECT_NE(what.find("not an integer"), std::string::npos) << what;

  draws = spectralbrain::test::example_posterior();
  draws.observed_data[1].shape = {4};  // `obs` would be 5 long for y and 4 for group_index
  draws.observed_data[1].values.pop_back();
  what = message_of([&] { sio::write_posterior(path, draws); });
  EXPECT_NE(what.find("dim 'obs'"), std::string::npos) << what;

  draws = spectralbrain::test::example_posterior();
  draws.posterior[0].name = "chain";
  what = message_of([&] { sio::write_posterior(path, draws); });
  EXPECT_NE(what.find("name of a dimension"), std::string::npos) << what;

  what = message_of([&] {
    sio::write_posterior(dir_ / "no_such_folder" / "p.h5",
                         spectralbrain::test::example_posterior());
  });
  EXPECT_NE(what.find("does not exist"), std::string::npos) << what;
}

TEST_F(PosteriorFile, ClearErrorsForBadFiles) {
  const fs::path missing = dir_ / "missing.h5";
  std::string what = message_of([&] { sio::read_posterior(missing); });
  EXPECT_NE(what.find(missing.string() + ": no such file"), std::string::npos) << what;

  const fs::path text = dir_ / "text.h5";
  std::ofstream(text) << "this is not HDF5\n";
  what = message_of([&] { sio::read_posterior(text); });
  EXPECT_NE(what.find(text.string() + ": not an HDF5 file"), std::string::npos) << what;

  // A file cut short, as a copy interrupted half way would leave it.
  const fs::path good = dir_ / "good.h5";
  sio::write_posterior(good, spectralbrain::test::example_posterior());
  const fs::path truncated = dir_ / "truncated.h5";
  {
    std::ifstream in(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(truncated, std::ios::binary).write(bytes.data(), bytes.size() / 2);
  }
  what = message_of([&] { sio::read_posterior(truncated); });
  EXPECT_NE(what.find(truncated.string()), std::string::npos) << what;

  // A SpectralBrain file whose complete flag was never set.
  const fs::path incomplete = dir_ / "incomplete.h5";
  fs::copy_file(good, incomplete);
  {
    using namespace spectralbrain::core;
    H5File f(SB_HDF5(H5Fopen(incomplete.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)));
    SB_HDF5(H5Adelete(f.get(), "complete"));
  }
  what = message_of([&] { sio::read_posterior(incomplete); });
  EXPECT_NE(what.find(incomplete.string() + ": incomplete posterior file"), std::string::npos)
      << what;

  // An HDF5 file that is not a posterior file.
  const fs::path other = dir_ / "other.h5";
  {
    using namespace spectralbrain::core;
    H5File f(SB_HDF5(H5Fcreate(other.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)));
    H5Group g(SB_HDF5(H5Gcreate2(f.get(), "eigen", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
  }
  what = message_of([&] { sio::read_posterior(other); });
  EXPECT_NE(what.find("no 'posterior' group"), std::string::npos) << what;

  // A posterior variable without dimension scales (plain HDF5, not netCDF4).
  const fs::path plain = dir_ / "plain.h5";
  {
    using namespace spectralbrain::core;
    H5File f(SB_HDF5(H5Fcreate(plain.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT)));
    H5Group g(SB_HDF5(H5Gcreate2(f.get(), "posterior", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)));
    const hsize_t dims[2] = {2, 3};
    H5Dataspace space(SB_HDF5(H5Screate_simple(2, dims, nullptr)));
    H5Dataset d(SB_HDF5(H5Dcreate2(g.get(), "mu", H5T_IEEE_F64LE, space.get(), H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT)));
  }
  what = message_of([&] { sio::read_posterior(plain); });
  EXPECT_NE(what.find("posterior/mu: axis 0 has no dimension scale"), std::string::npos) << what;
}

TEST_F(PosteriorFile, CollectiveWriteOnRoot) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  // Every rank names the same file in rank 0's folder; only rank 0 has draws.
  std::string folder = dir_.string();
  int length = static_cast<int>(folder.size());
  MPI_Bcast(&length, 1, MPI_INT, 0, MPI_COMM_WORLD);
  folder.resize(static_cast<std::size_t>(length));
  MPI_Bcast(folder.data(), length, MPI_CHAR, 0, MPI_COMM_WORLD);
  const fs::path path = fs::path(folder) / "collective.h5";

  st::PosteriorDraws draws;
  if (rank == 0) draws = spectralbrain::test::example_posterior();
  EXPECT_NO_THROW(sio::write_posterior(MPI_COMM_WORLD, 0, path, draws));

  // A failure on the root reaches every rank.
  st::PosteriorDraws bad = draws;
  if (rank == 0) bad.posterior[0].values.clear();
  EXPECT_ANY_THROW(sio::write_posterior(MPI_COMM_WORLD, 0, fs::path(folder) / "bad.h5", bad));
  MPI_Barrier(MPI_COMM_WORLD);  // rank 0 removes its folder only after everyone is done

  // Only rank 0 looks at the file, after the last collective, so a failure cannot hang.
  if (rank == 0) {
    EXPECT_NO_THROW(EXPECT_EQ(sio::read_posterior(path).posterior.size(), 6u));
    EXPECT_FALSE(fs::exists(fs::path(folder) / "bad.h5"));
  }
}
