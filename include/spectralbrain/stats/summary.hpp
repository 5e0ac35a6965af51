// The ArviZ-style posterior summary table: one row per scalar quantity with mean, sd, HDI,
// Monte Carlo standard errors, bulk/tail ESS and R-hat, plus the warnings a user should
// read before trusting it (divergences, tree depth, R-hat, ESS, E-BFMI).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "spectralbrain/stats/diagnostics.hpp"
#include "spectralbrain/stats/draws.hpp"

namespace spectralbrain::stats {

/// One scalar quantity of the posterior: a scalar variable, or one entry of a vector or
/// array variable, named as ArviZ names it: "mu", "theta[0]", "r_site[Oxford]", "x[0, 1]".
struct SummaryRow {
  std::string name;
  double mean = 0;     ///< over all chains and draws
  double sd = 0;       ///< sample standard deviation (denominator S − 1), as ArviZ
  double hdi_low = 0;  ///< highest density interval of probability hdi_prob
  double hdi_high = 0;
  double mcse_mean = 0;  ///< Monte Carlo standard error of the mean
  double mcse_sd = 0;    ///< Monte Carlo standard error of sd (posterior 1.4.0 definition)
  double ess_bulk = 0;
  double ess_tail = 0;
  double r_hat = 0;  ///< rank-normalised split R-hat; NaN for constant draws
};

/// What to summarise and which thresholds raise a warning.
struct SummaryOptions {
  double hdi_prob = 0.94;              ///< ArviZ's default: columns hdi_3% and hdi_97%
  std::vector<std::string> var_names;  ///< posterior variables to show; empty = all
  int max_tree_depth = 10;             ///< used when sample_stats has only `tree_depth`
  double max_rhat = 1.01;              ///< warn above (Vehtari et al. 2021)
  double min_ess = 400;                ///< warn below, bulk or tail
  double min_ebfmi = 0.3;              ///< warn below, per chain
};

/// The table and what the sampler checks found.
struct Summary {
  double hdi_prob = 0.94;
  std::size_t n_chains = 0;
  std::size_t n_draws = 0;
  std::vector<SummaryRow> rows;
  SamplerChecks checks;
  std::vector<std::string> warnings;  ///< sentences for the user, empty when all is well
};

/// Summarise the posterior group of `draws` (sample_stats feeds the sampler checks).
/// @throws std::invalid_argument if a name in options.var_names is not a posterior
///         variable, or a variable's values do not match its shape
Summary summarize(const PosteriorDraws& draws, const SummaryOptions& options = {});

/// ArviZ's column names of the interval: {"hdi_3%", "hdi_97%"} for prob 0.94.
std::vector<std::string> hdi_column_names(double prob);

/// The table as aligned text (ArviZ's layout and rounding), then the warnings.
void print_table(std::ostream& out, const Summary& summary);

/// The table as CSV: a header `variable,mean,sd,hdi_3%,...,r_hat`, one row per quantity,
/// numbers with 17 significant digits, NaN for undefined values. Warnings are not written.
void write_csv(std::ostream& out, const Summary& summary);

}  // namespace spectralbrain::stats
