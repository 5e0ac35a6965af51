// Assertions shared by the sampler tests: a run's draws agree with a known mean and sd
// within tolerances derived from the Monte Carlo standard error of that run.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "spectralbrain/stats/sampler.hpp"
#include "test_helpers.hpp"

namespace spectralbrain::stats::testing {

/// Run `scheme` on `model` over MPI_COMM_WORLD with `config` (progress off).
SampleResult run(const Model& model, const std::string& scheme, SamplerConfig config);

/// Entry `index` of posterior variable `name`: |mean − true_mean| < 4·sd/√ESS and
/// |sd/true_sd − 1| < 4·½·√((kurtosis − 1)/ESS of the squared deviations) (the MCSE of a
/// standard deviation). Call on rank 0.
void expect_moments(const SampleResult& r, const std::string& name, std::size_t index,
                    double true_mean, double true_sd);

/// Per-draw statistics are well formed: types, ranges, constant step size per chain.
void expect_well_formed_stats(const SampleResult& r, const SamplerConfig& config);

}  // namespace spectralbrain::stats::testing
