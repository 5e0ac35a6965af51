// Model plugins through the C ABI: a posteriordb model built as a shared library by the test
// suite samples to its reference posterior, and a misbehaving plugin is reported with a
// clear message on every rank instead of crashing the sampler.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "sampler_checks.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/models/plugin_model.hpp"
#include "test_models.hpp"

using namespace spectralbrain::models;
namespace stats = spectralbrain::stats;
namespace st = spectralbrain::stats::testing;
using spectralbrain::core::ComputationError;
using spectralbrain::core::InputError;

namespace {

const std::string ark_json = std::string(SB_TEST_DATA_DIR) + "/posteriordb/arK-arK.json";

// A data file {"mode": mode, "calls": calls} for the faulty plugin, per rank.
std::string faulty_data(const std::string& mode, long calls = 0) {
  const std::string path = ::testing::TempDir() + "faulty_" + mode + "_" +
                           std::to_string(spectralbrain::core::rank(MPI_COMM_WORLD)) + ".json";
  std::ofstream(path) << "{\"mode\": \"" << mode << "\", \"calls\": " << calls << "}\n";
  return path;
}

template <class E, class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

stats::SamplerConfig short_run() {
  stats::SamplerConfig c;
  c.draws = 200;
  c.tune = 200;
  c.chains = 2;
  return c;
}

}  // namespace

TEST(PluginNames, GroupedIntoVariables) {
  std::vector<std::size_t> pos;
  auto vars = group_names(split_names("alpha,beta.1,beta.2,m.1.1,m.2.1,m.1.2,m.2.2,s[1,2],s[1,1]"),
                          pos, "lib");
  ASSERT_EQ(vars.size(), 4u);
  EXPECT_EQ(vars[0].name, "alpha");
  EXPECT_TRUE(vars[0].shape.empty());
  EXPECT_EQ(vars[1].name, "beta");
  EXPECT_EQ(vars[1].shape, (std::vector<std::size_t>{2}));
  EXPECT_EQ(vars[2].name, "m");
  EXPECT_EQ(vars[2].shape, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(vars[3].shape, (std::vector<std::size_t>{1, 2}));
  // Stan lists m column-major; the output is row-major.
  EXPECT_EQ(pos, (std::vector<std::size_t>{0, 1, 2, 3, 5, 4, 6, 8, 7}));
  EXPECT_NE(error_of<InputError>([&] {
              group_names({"a.1", "b", "a.2"}, pos, "lib");
            }).find("the names of 'a' are not consecutive"),
            std::string::npos);
  EXPECT_NE(error_of<InputError>([&] {
              group_names({"a.1", "a.3"}, pos, "lib");
            }).find("2 names do not fill its shape (3 entries)"),
            std::string::npos);
  EXPECT_NE(error_of<InputError>([&] {
              group_names({"a[0]"}, pos, "lib");
            }).find("indices must be positive integers"),
            std::string::npos);
}

TEST(Plugin, ArKSamplesToItsReference) {
  const PluginModel m(SB_PLUGIN_ARK, ark_json, 42);
  EXPECT_EQ(m.name(), "arK");
  ASSERT_EQ(m.dimension(), 7u);
  EXPECT_EQ(m.parameter_names().back(), "log_sigma");
  const auto vars = m.output_variables();
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_EQ(vars[1].name, "beta");
  EXPECT_EQ(vars[1].shape, (std::vector<std::size_t>{5}));
  const std::vector<double> x{0.01, 0.6, 0.4, 0.1, 0, -0.3, -1.8};
  EXPECT_LT(stats::gradient_error(m, x), 1e-6);

  const st::Reference ref = st::load_reference("arK-arK");
  stats::SamplerConfig c;
  c.draws = 1000;
  c.tune = 1000;
  c.chains = 4;
  const auto r = st::run(m, "nuts", c);
  EXPECT_EQ(m.issues().rejections + m.issues().non_finite, 0);
  if (spectralbrain::core::rank(MPI_COMM_WORLD) != 0) return;
  const auto& d = r.draws;
  for (const auto& [key, ref_mean] : ref.mean) {
    const auto open = key.find('[');
    const std::string name = key.substr(0, open);
    const std::size_t index = open == std::string::npos ? 0 : std::stoul(key.substr(open + 1)) - 1;
    const st::Summary s =
        st::summarize(st::entry(st::find(d.posterior, name), d.n_chains, d.n_draws, index),
                      d.n_chains, d.n_draws);
    const double sd = ref.sd.at(key);
    EXPECT_LT(std::abs(s.mean - ref_mean),
              4 * std::sqrt(sd * sd / s.ess + sd * sd / ref.ess.at(key)))
        << key << ": mean " << s.mean << " vs " << ref_mean;
    EXPECT_LT(std::abs(s.sd / sd - 1), 0.1) << key << ": sd " << s.sd << " vs " << sd;
  }
}

TEST(Plugin, LoadErrorsNameTheLibrary) {
  EXPECT_EQ(error_of<InputError>([] { PluginModel("/nonexistent/model.so", "", 1); }),
            "/nonexistent/model.so: no such file");
  const std::string text = ::testing::TempDir() + "not_a_library.so";
  std::ofstream(text) << "hello\n";
  EXPECT_NE(error_of<InputError>([&] { PluginModel(text, "", 1); }).find(": cannot be loaded: "),
            std::string::npos);
  EXPECT_NE(error_of<InputError>([] {
              PluginModel(SB_PLUGIN_NONE, "", 1);
            }).find("is not a SpectralBrain model plugin: it does not export sb_model_abi_version"),
            std::string::npos);
  EXPECT_NE(error_of<InputError>([] {
              PluginModel(SB_PLUGIN_ARK, "/nonexistent.json", 1);
            }).find("the model could not be constructed: arK: cannot open the data file"),
            std::string::npos);
  EXPECT_NE(error_of<InputError>([] {
              PluginModel(SB_PLUGIN_FAULTY, faulty_data("construct_fails"), 1);
            }).find("faulty: construction failed on purpose"),
            std::string::npos);
  EXPECT_NE(error_of<InputError>([] {
              PluginModel(SB_PLUGIN_FAULTY, faulty_data("bad_names"), 1);
            }).find("3 names for 2 unconstrained parameters"),
            std::string::npos);
}

TEST(Plugin, NanEverywhereFailsInitialisationOnEveryRank) {
  const PluginModel m(SB_PLUGIN_FAULTY, faulty_data("nan_everywhere"), 1);
  const std::string e = error_of<ComputationError>([&] { st::run(m, "nuts", short_run()); });
  EXPECT_NE(e.find("could not be initialised"), std::string::npos) << e;
  EXPECT_GT(m.issues().non_finite, 0);
}

TEST(Plugin, NanAndRejectionsAreOutsideTheSupport) {
  for (const char* mode : {"nan_region", "nan_gradient_region", "reject_region"}) {
    SCOPED_TRACE(mode);
    const PluginModel m(SB_PLUGIN_FAULTY, faulty_data(mode), 1);
    const auto r = st::run(m, "nuts", short_run());
    const long seen = m.issues().non_finite + m.issues().rejections;
    long total = 0;
    MPI_Allreduce(&seen, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    EXPECT_GT(total, 0);
    if (std::string(mode) == "reject_region" && m.issues().rejections > 0) {
      EXPECT_EQ(m.issues().first_rejection, "x0 > 1 is outside the support");
    }
    if (spectralbrain::core::rank(MPI_COMM_WORLD) != 0) continue;
    // The draws respect the truncation x0 <= 1.
    const auto& x = st::find(r.draws.posterior, "x");
    for (std::size_t i = 0; i < x.values.size(); i += 2) ASSERT_LE(x.values[i], 1.0);
  }
}

TEST(Plugin, AnErrorStopsEveryRankWithThePluginsMessage) {
  const PluginModel m(SB_PLUGIN_FAULTY, faulty_data("error_after", 300), 1);
  const std::string e = error_of<ComputationError>([&] { st::run(m, "nuts", short_run()); });
  EXPECT_NE(e.find("sb_model_log_density_gradient returned error status -1: simulated failure in "
                   "the model"),
            std::string::npos)
      << e;
  const PluginModel c(SB_PLUGIN_FAULTY, faulty_data("constrain_error"), 1);
  const std::string f = error_of<ComputationError>([&] { st::run(c, "nuts", short_run()); });
  EXPECT_NE(f.find("sb_model_param_constrain returned error status 7: cannot constrain on purpose"),
            std::string::npos)
      << f;
}
