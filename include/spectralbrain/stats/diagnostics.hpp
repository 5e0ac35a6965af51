// MCMC convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
// "Rank-normalization, folding, and localization: an improved R-hat for assessing
// convergence of MCMC", Bayesian Analysis 16(2), with the numerical details of R's
// posterior package (version 1.4.0): split chains, rank normalisation with offset 3/8,
// Geyer's initial monotone sequence on pairs of autocorrelations, ESS capped at
// S·log10(S). Also the sampler checks (divergences, tree depth, E-BFMI) and the HDI.
//
// Every function takes the draws of ONE scalar quantity as a (n_chains × n_draws) row-major
// array (chain-major, as PosteriorDraws stores them) and returns NaN where posterior returns
// NA: a non-finite draw, constant draws, or (for ESS) fewer than 3 draws per split chain.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "spectralbrain/stats/draws.hpp"

namespace spectralbrain::stats {

/// Rank-normalised split R-hat: the larger of the bulk R-hat (on rank-normalised split
/// chains) and the tail R-hat (on rank-normalised split chains of |x − median(x)|).
/// @param draws     n_chains × n_draws values, row-major
/// @param n_chains  number of chains (≥ 1; draws.size() must be a multiple)
/// @throws std::invalid_argument if draws.size() is not n_chains × n_draws with n_draws ≥ 1
double rhat(std::span<const double> draws, std::size_t n_chains);

/// Classic split R-hat (Gelman et al. 2013) without rank normalisation.
double rhat_basic(std::span<const double> draws, std::size_t n_chains);

/// Bulk effective sample size: ESS of the rank-normalised split chains.
double ess_bulk(std::span<const double> draws, std::size_t n_chains);

/// Tail effective sample size: the smaller of the ESS of the 5% and 95% quantiles.
double ess_tail(std::span<const double> draws, std::size_t n_chains);

/// ESS of the quantile `prob` ∈ [0, 1]: the ESS of the indicator x ≤ q(prob) on split
/// chains, q computed as R's quantile type 7 over all draws.
/// @throws std::invalid_argument if prob is outside [0, 1]
double ess_quantile(std::span<const double> draws, std::size_t n_chains, double prob);

/// ESS of the split chains without rank normalisation (posterior's ess_basic == ess_mean).
double ess_basic(std::span<const double> draws, std::size_t n_chains);

/// ESS for the posterior mean (same as ess_basic).
double ess_mean(std::span<const double> draws, std::size_t n_chains);

/// ESS for the posterior standard deviation: ESS of |x − mean(x)| on split chains.
double ess_sd(std::span<const double> draws, std::size_t n_chains);

/// Monte Carlo standard error of the mean: sd(x) / sqrt(ess_mean(x)).
double mcse_mean(std::span<const double> draws, std::size_t n_chains);

/// Monte Carlo standard error of the standard deviation, as posterior 1.4.0 defines it:
/// sqrt(Var[(x−x̄)²] / ess_mean((x−x̄)²) / (4 E[(x−x̄)²])) with population moments.
double mcse_sd(std::span<const double> draws, std::size_t n_chains);

/// Autocovariance of one chain at lags 0..n−1, normalised by n (biased estimator),
/// computed by FFT of the zero-padded centred series. All zeros for a constant chain.
/// @param chain  n values (n ≥ 1)
std::vector<double> autocovariance(std::span<const double> chain);

/// Effective sample size of the columns of a (n_chains × n_draws) array taken as they
/// are (no splitting, no normalisation): Geyer's initial monotone sequence on the
/// multi-chain autocorrelation of Vehtari et al. eq. (10), capped at S·log10(S).
double ess_of_chains(std::span<const double> draws, std::size_t n_chains);

/// R-hat of a (n_chains × n_draws) array taken as it is (no splitting, no normalisation).
double rhat_of_chains(std::span<const double> draws, std::size_t n_chains);

/// Closed interval [low, high].
struct Interval {
  double low;
  double high;
};

/// Highest density interval of the pooled draws as ArviZ computes it: the narrowest
/// interval [x_(i), x_(i+k)] of the sorted draws with k = floor(prob · S); the first one
/// in sorted order wins ties. NaN draws are ignored (as ArviZ's skipna).
/// @param draws  S values (any order; chains pooled)
/// @param prob   probability mass in (0, 1], e.g. 0.94
/// @throws std::invalid_argument if prob is outside (0, 1] or fewer than 2 finite draws
Interval hdi(std::span<const double> draws, double prob = 0.94);

/// Estimated Bayesian fraction of missing information of each chain (Betancourt 2016), as
/// ArviZ's bfmi: mean((E_t − E_{t−1})²) / var(E) with the population variance.
/// @param energy    n_chains × n_draws Hamiltonian energies, row-major
/// @param n_chains  number of chains
/// @return n_chains values; NaN for a chain with fewer than 2 draws or constant energy
std::vector<double> ebfmi(std::span<const double> energy, std::size_t n_chains);

/// What the sampler's own statistics say about a run.
struct SamplerChecks {
  std::size_t n_transitions = 0;     ///< n_chains × n_draws
  std::size_t n_divergent = 0;       ///< draws with `diverging` true
  std::size_t n_max_tree_depth = 0;  ///< draws that hit the maximum tree depth
  std::vector<double> ebfmi;         ///< per chain; empty without `energy`
  bool has_diverging = false;        ///< sample_stats holds `diverging`
  bool has_tree_depth = false;       ///< sample_stats holds `reached_max_treedepth`/`tree_depth`
};

/// Reads `diverging`, `reached_max_treedepth` (else `tree_depth` ≥ max_tree_depth) and
/// `energy` from draws.sample_stats. Missing statistics are skipped, not an error.
/// @param max_tree_depth  the sampler's maximum tree depth (Stan's default is 10)
SamplerChecks sampler_checks(const PosteriorDraws& draws, int max_tree_depth = 10);

}  // namespace spectralbrain::stats
