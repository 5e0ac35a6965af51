// HKS, heat trace, WKS, GPS and SI-HKS against their definitions on synthetic eigenpairs whose
// vectors are orthonormal (M = I), where the normalisations hold exactly: Σ_x stands in for
// ∫ dA, so heat-trace-scaled HKS and paper-normalised WKS columns sum to 1.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "descriptor_test_support.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/descriptor_set.hpp"
#include "spectralbrain/descriptors/gps.hpp"
#include "spectralbrain/descriptors/hks.hpp"
#include "spectralbrain/descriptors/si_hks.hpp"
#include "spectralbrain/descriptors/wks.hpp"

using namespace spectralbrain;
using namespace descriptor_test;
namespace d = spectralbrain::descriptors;

namespace {

// A connected surface's spectrum: one computed zero, then irregular positive values.
std::vector<double> spectrum(std::size_t k, double scale = 1.0) {
  std::vector<double> v(k);
  v[0] = -4e-16;
  for (std::size_t i = 1; i < k; ++i)
    v[i] = scale * (0.5 * static_cast<double>(i) + 0.2 * std::cos(3.0 * i));
  return v;
}

std::vector<double> column_sums(const std::vector<double>& m, std::size_t n_cols) {
  std::vector<double> s(n_cols, 0.0);
  for (std::size_t i = 0; i < m.size(); ++i) s[i % n_cols] += m[i];
  return s;
}

}  // namespace

TEST(Hks, DefaultTimesFollowThePaper) {
  const auto lambda = spectrum(30);
  const auto t = d::hks_times(lambda, {});
  ASSERT_EQ(t.size(), 100u);
  EXPECT_DOUBLE_EQ(t.front(), 4 * std::numbers::ln10 / lambda.back());
  EXPECT_DOUBLE_EQ(t.back(), 4 * std::numbers::ln10 / lambda[1]);
  for (std::size_t j = 1; j + 1 < t.size(); ++j)  // log-spaced: constant ratio
    EXPECT_NEAR(std::log(t[j + 1] / t[j]), std::log(t[1] / t[0]), 1e-12);
  d::HksOptions o;
  o.n_times = 1;
  o.t_min = 0.5;
  EXPECT_EQ(d::hks_times(lambda, o), std::vector<double>{0.5});
}

TEST(Hks, EqualsTheDefinitionAndTheHeatTraceScalingIntegratesToOne) {
  const std::int64_t n = 300;
  const Eigenpairs e = synthetic(spectrum(25), n, 3);
  const auto t = d::hks_times(e.values, {});
  const auto w = d::hks_weights(e.values, t, d::HksScaling::none);
  const auto reference = naive_signature(e.vectors, n, e.k(), w, 100);
  const auto h = d::hks(e, t, d::HksScaling::none, 64);
  EXPECT_LT(relative_error(h, reference), 1e-14);
  for (std::size_t j = 0; j < t.size(); ++j) {  // reference weights are the definition
    double expected = 0;
    for (double l : e.values) expected += std::exp(-l * t[j]);
    EXPECT_NEAR(w[5 * t.size() + j], std::exp(-e.values[5] * t[j]), 1e-16);
    EXPECT_NEAR(d::heat_trace(e.values, t)[j], expected, 1e-13 * expected);
  }
  // Σ_x h(x, t) = Σ_i e^(−λ_i t) Σ_x φ_i(x)² = Z(t); scaled by Z: 1.
  const auto z = d::heat_trace(e.values, t);
  const auto sums = column_sums(h, t.size());
  for (std::size_t j = 0; j < t.size(); ++j) EXPECT_NEAR(sums[j], z[j], 1e-12 * z[j]);
  const auto scaled = column_sums(d::hks(e, t, d::HksScaling::heat_trace), t.size());
  for (double s : scaled) EXPECT_NEAR(s, 1.0, 1e-12);
}

TEST(Hks, ErrorsNameTheProblem) {
  EXPECT_THROW(d::hks_times(std::vector<double>{0.0, 0.0}, {}), core::InputError);
  d::HksOptions o;
  o.t_min = 2;
  o.t_max = 1;
  EXPECT_THROW(d::hks_times(spectrum(5), o), core::InputError);
  o = {};
  o.n_times = 0;
  EXPECT_THROW(d::hks_times(spectrum(5), o), core::InputError);
  EXPECT_EQ(d::parse_hks_scaling("heat-trace", "--hks-scaling"), d::HksScaling::heat_trace);
  EXPECT_THROW(d::parse_hks_scaling("trace", "--hks-scaling"), core::InputError);
}

TEST(Wks, DefaultGridIsThePapersAndColumnsIntegrateToOne) {
  const std::int64_t n = 250;
  const Eigenpairs e = synthetic(spectrum(40), n, 5);
  const d::WksGrid grid = d::wks_grid(e.values, {});
  const double lo = std::log(e.values[1]), hi = std::log(e.values.back());
  const double sigma = 7 * (hi - lo) / 100;
  EXPECT_NEAR(grid.sigma, sigma, 1e-14);
  ASSERT_EQ(grid.energies.size(), 100u);
  EXPECT_NEAR(grid.energies.front(), lo + 2 * sigma, 1e-14);
  EXPECT_NEAR(grid.energies.back(), hi - 2 * sigma, 1e-14);

  const auto wks = d::wks(e, grid, d::WksNormalization::paper, 37);
  // The definition, zero mode excluded.
  std::vector<double> w(static_cast<std::size_t>(e.k()) * 100, 0.0);
  for (std::size_t j = 0; j < 100; ++j) {
    double c = 0;
    for (std::size_t i = 1; i < e.values.size(); ++i)
      c += std::exp(-std::pow(grid.energies[j] - std::log(e.values[i]), 2) / (2 * sigma * sigma));
    for (std::size_t i = 1; i < e.values.size(); ++i)
      w[i * 100 + j] =
          std::exp(-std::pow(grid.energies[j] - std::log(e.values[i]), 2) / (2 * sigma * sigma)) /
          c;
  }
  EXPECT_LT(relative_error(wks, naive_signature(e.vectors, n, e.k(), w, 100)), 1e-13);
  for (double s : column_sums(wks, 100)) EXPECT_NEAR(s, 1.0, 1e-12);  // C_e's promise

  // Without C_e the columns sum to Σ_i exp(...), the inverse of C_e.
  const auto raw = column_sums(d::wks(e, grid, d::WksNormalization::none), 100);
  const auto weights = d::wks_weights(e.values, grid, d::WksNormalization::none);
  for (std::size_t j = 0; j < 100; ++j) {
    double expected = 0;
    for (std::size_t i = 0; i < e.values.size(); ++i) expected += weights[i * 100 + j];
    EXPECT_NEAR(raw[j], expected, 1e-12 * expected);
  }
}

TEST(Wks, OptionsAndErrors) {
  const auto lambda = spectrum(20);
  d::WksOptions o;
  o.n_energies = 27;  // 4σ = 4·7/27 of the range > range: empty default window
  EXPECT_THROW(d::wks_grid(lambda, o), core::InputError);
  o.n_energies = 28;  // exactly 4σ = range: a window of one point
  EXPECT_NO_THROW(d::wks_grid(lambda, o));
  o = {};
  o.sigma = 0.1;
  o.e_min = 0.0;
  o.e_max = 1.0;
  o.n_energies = 3;
  const auto g = d::wks_grid(std::vector<double>{0.0}, o);  // nothing from the spectrum
  EXPECT_EQ(g.energies, (std::vector<double>{0.0, 0.5, 1.0}));
  o.e_max = 60.0;  // far above every log λ: every weight underflows
  EXPECT_THROW(d::wks_weights(lambda, d::wks_grid(lambda, o), d::WksNormalization::paper),
               core::InputError);
  EXPECT_THROW(d::wks_grid(std::vector<double>{0.0, 1.0}, {}), core::InputError);  // 1 nonzero
  o = {};
  o.variance_factor = -1;
  EXPECT_THROW(d::wks_grid(lambda, o), core::InputError);
}

TEST(Gps, ScalesNonzeroModesAndSkipsZeroOnes) {
  std::vector<double> lambda = spectrum(12);
  lambda[1] = 1e-17;  // two components: two zero modes
  const Eigenpairs e = synthetic(lambda, 40, 9);
  const auto g = d::gps(e);
  ASSERT_EQ(g.size(), 40u * 10);
  for (std::size_t r = 0; r < 40; ++r)
    for (std::size_t j = 0; j < 10; ++j)
      EXPECT_DOUBLE_EQ(g[r * 10 + j], e.vectors[r * 12 + 2 + j] / std::sqrt(lambda[2 + j]));
  EXPECT_THROW(d::gps(synthetic({0.0, 0.0}, 5, 1)), core::InputError);
}

// Scaling the surface by s: λ → λ/s², φ → φ/s. With α = 2 and s = 2 the log-time grid shifts
// by exactly 2 in τ, which SI-HKS removes (up to what falls off the window's ends).
TEST(SiHks, InvariantToScalingTheSurface) {
  const std::int64_t n = 120;
  const Eigenpairs e = synthetic(spectrum(30), n, 11);
  Eigenpairs scaled = e;
  for (auto& l : scaled.values) l /= 4;
  for (auto& v : scaled.vectors) v /= 2;
  d::SiHksOptions o;
  o.tau_min = -24;  // the derivative vanishes at both ends for this spectrum
  o.tau_max = 16;
  const auto a = d::si_hks(e, o), b = d::si_hks(scaled, o);
  EXPECT_LT(relative_error(b, a), 1e-4);
  // The HKS itself is not invariant: the same columns differ by far more.
  const auto t = d::hks_times(e.values, {});
  EXPECT_GT(relative_error(d::hks(scaled, t), d::hks(e, t)), 0.1);
}

TEST(SiHks, FrequencyZeroIsTheSumOfTheLogDerivative) {
  const std::int64_t n = 30;
  const Eigenpairs e = synthetic(spectrum(15), n, 13);
  d::SiHksOptions o;
  o.tau_min = -3;
  o.tau_max = 5;
  o.tau_step = 1.0 / 64;
  o.n_frequencies = 3;
  const auto taus = d::si_hks_taus(o);
  std::vector<double> times;
  for (double tau : taus) times.push_back(std::pow(2.0, tau));
  const auto h = d::hks(e, times);
  const auto si = d::si_hks(e, o);
  const std::size_t m = taus.size();
  for (std::int64_t r = 0; r < n; ++r) {
    // Central differences of log h against the exact derivative, summed over τ.
    double sum = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t a = j == 0 ? 0 : j - 1, b = j + 1 == m ? j : j + 1;
      sum += (std::log(h[r * m + b]) - std::log(h[r * m + a])) / (taus[b] - taus[a]);
    }
    EXPECT_NEAR(si[r * 3], std::abs(sum), 2e-3 * std::abs(sum) + 1e-9) << "row " << r;
  }
  o.n_frequencies = static_cast<int>(m) + 1;
  EXPECT_THROW(d::si_hks_taus(o), core::InputError);
  o = {};
  o.alpha = 1;
  EXPECT_THROW(d::si_hks_taus(o), core::InputError);
}

TEST(DescriptorSet, ParsingAndValidation) {
  using d::Descriptor;
  EXPECT_EQ(d::parse_descriptor_list("gps, hks,shapedna,hks", "--descriptors"),
            (std::vector<Descriptor>{Descriptor::shapedna, Descriptor::hks, Descriptor::gps}));
  EXPECT_EQ(d::parse_descriptor_list("all", "--descriptors").size(), 5u);
  EXPECT_TRUE(d::parse_descriptor_list("", "--descriptors").empty());
  try {
    d::parse_descriptor_list("hks,bogus", "--descriptors");
    FAIL() << "no exception";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bogus"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("--descriptors"), std::string::npos);
  }
  EXPECT_EQ(d::descriptor_list({Descriptor::hks, Descriptor::si_hks}), "hks,si-hks");
  d::DescriptorSettings s;
  s.which = {Descriptor::wks};
  s.wks.n_energies = 10;  // empty default window whatever the spectrum
  EXPECT_THROW(d::validate(s), core::InputError);
  s.wks.n_energies = 100;
  EXPECT_NO_THROW(d::validate(s));
  s.block_rows = 0;
  EXPECT_THROW(d::validate(s), core::InputError);
}
