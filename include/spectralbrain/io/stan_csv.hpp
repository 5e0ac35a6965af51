// Stan CSV output: one file per chain in CmdStan's layout, for tools that read CmdStan
// output (cmdstanr/cmdstanpy's readers, stansummary, ArviZ's from_cmdstan).
#pragma once

#include <filesystem>
#include <vector>

#include "spectralbrain/stats/draws.hpp"

namespace spectralbrain::io {

/// Write each chain of `draws` to `<prefix>_<chain>.csv` (chain counted from 1, as CmdStan).
/// Columns: the sampler statistics first under Stan's names (lp → lp__, acceptance_rate →
/// accept_stat__, step_size → stepsize__, tree_depth → treedepth__, n_steps → n_leapfrog__,
/// diverging → divergent__, energy → energy__; any other scalar statistic s → s__), then the
/// posterior variables with Stan's 1-based, column-major element names ("theta.1",
/// "L.2.1"). Lines starting with '#' say what wrote the file. Numbers are written with the
/// shortest representation that reads back exactly. Each file is written to a temporary
/// name and renamed when complete. observed_data is not part of Stan CSV and is skipped.
/// @return the paths written, one per chain
/// @throws core::InputError naming the file for inconsistent draws, non-scalar sampler
///         statistics, or a file that cannot be written
std::vector<std::filesystem::path> write_stan_csv(const std::filesystem::path& prefix,
                                                  const stats::PosteriorDraws& draws);

}  // namespace spectralbrain::io
