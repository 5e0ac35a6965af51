// The posteriordb reference posteriors, sampled by both schemes: every reported mean within
// 4·sqrt(sd²/ESS + sd²/ESS_ref) of the reference, every sd within 10 % (posteriordb's own
// suggested acceptance).
#include <gtest/gtest.h>

#include <cmath>

#include "sampler_checks.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "test_models.hpp"

namespace sb = spectralbrain;
using namespace sb::stats;
using namespace sb::stats::testing;

namespace {

// "beta[2]" → ("beta", 1); "sigma" → ("sigma", 0).
std::pair<std::string, std::size_t> split(const std::string& key) {
  const auto open = key.find('[');
  if (open == std::string::npos) return {key, 0};
  return {key.substr(0, open), std::stoul(key.substr(open + 1)) - 1};
}

struct Case {
  std::string posterior, scheme;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.posterior << " with " << c.scheme; }

class PosteriorDb : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(PosteriorDb, MatchesReference) {
  const Case& k = GetParam();
  const Reference ref = load_reference(k.posterior);
  SamplerConfig c;
  c.draws = 1000;
  c.tune = 1000;
  c.chains = 4;
  const SampleResult r = run(*ref.model, k.scheme, c);
  if (sb::core::rank(MPI_COMM_WORLD) != 0) return;
  expect_well_formed_stats(r, c);
  const auto& d = r.draws;
  for (const auto& [key, ref_mean] : ref.mean) {
    const auto [name, index] = split(key);
    const Summary s = summarize(entry(find(d.posterior, name), d.n_chains, d.n_draws, index),
                                d.n_chains, d.n_draws);
    const double ref_sd = ref.sd.at(key);
    const double tol = 4 * std::sqrt(ref_sd * ref_sd / s.ess + ref_sd * ref_sd / ref.ess.at(key));
    EXPECT_LT(std::abs(s.mean - ref_mean), tol)
        << key << ": mean " << s.mean << " vs " << ref_mean << " (ESS " << s.ess << ")";
    EXPECT_GE(s.ess, 400) << key;
    EXPECT_LT(std::abs(s.sd / ref_sd - 1), 0.1) << key << ": sd " << s.sd << " vs " << ref_sd;
  }
  const double divergent = mean(find(d.sample_stats, "diverging").values);
  EXPECT_LT(divergent, 0.01) << "share of divergent draws";
}

INSTANTIATE_TEST_SUITE_P(Stats, PosteriorDb, ::testing::ValuesIn([] {
                           std::vector<Case> cases;
                           for (const auto& p : reference_names())
                             for (const char* s : {"nuts", "nutpie"}) cases.push_back({p, s});
                           return cases;
                         }()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name =
                               info.param.posterior.substr(0, info.param.posterior.find('-')) +
                               "_" + info.param.scheme;
                           return name;
                         });
