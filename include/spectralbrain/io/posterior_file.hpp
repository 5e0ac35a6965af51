// The posterior file: PosteriorDraws as an HDF5 file that netCDF4 readers take for an
// ArviZ InferenceData (xarray.open_dataset(f, group="posterior"), arviz.from_netcdf(f)).
//
// Layout (every group a netCDF4 group, every dimension an HDF5 dimension scale with a
// coordinate variable in the group that uses it):
//   /                 attrs created_at, inference_library="spectralbrain",
//                     inference_library_version, creation_library*, spectralbrain_version,
//                     posterior_format_version=1, complete=1 (written last)
//   /posterior/       chain (C,) int64 0..C−1, draw (D,) int64 0..D−1,
//                     <var> (C, D, ...) with extra dims <var>_dim_<i> or the variable's own
//                     dim names; int64 coordinates 0..n−1, or strings when it has labels
//   /sample_stats/    same, lp, acceptance_rate, step_size, tree_depth, n_steps, diverging,
//                     energy, ...
//   /observed_data/   variables with their own dims only (no chain/draw)
// Types: float64 → IEEE f64, int64 → i64, boolean → int8 with attribute dtype="bool" (how
// xarray stores booleans in netCDF). Group attributes repeat created_at and the
// inference_library* attributes, as ArviZ writes them.
#pragma once

#include <mpi.h>

#include <filesystem>

#include "spectralbrain/stats/draws.hpp"

namespace spectralbrain::io {

/// Version of the layout above, stored as the root attribute posterior_format_version.
inline constexpr int posterior_format_version = 1;

/// Write `draws` to `path` (serial HDF5, this process only). The file is written as
/// `<stem>.tmp<ext>` beside `path` and renamed to `path` only when complete, so a crash never
/// leaves a file that looks finished. An existing file at `path` is replaced.
/// @param draws  n_chains ≥ 1, n_draws ≥ 1, at least one posterior variable; each variable's
///               values are (n_chains, n_draws, prod(shape)) row-major (observed_data:
///               prod(shape)); dim_names empty (→ "<name>_dim_<i>") or one per shape entry;
///               coords empty or one label per entry of a 1-D variable; int64 and boolean
///               values must be integral (boolean: 0 or 1)
/// @throws core::InputError naming `path` and the variable when `draws` is inconsistent
/// @throws core::LibraryError when HDF5 fails; the temporary file is removed
void write_posterior(const std::filesystem::path& path, const stats::PosteriorDraws& draws);

/// Collective over `comm`: rank `root` writes `draws` (the other ranks' `draws` are ignored)
/// and every rank returns, or every rank throws if writing failed (core::Error with the
/// root's message on the other ranks), so that no rank goes on alone.
void write_posterior(MPI_Comm comm, int root, const std::filesystem::path& path,
                     const stats::PosteriorDraws& draws);

/// Read a posterior file written by write_posterior, or by ArviZ/xarray (netCDF4 with
/// dimension scales), into PosteriorDraws. Integer variables come back as int64, int8 with
/// dtype="bool" as boolean, floating point as float64; string coordinates of a 1-D variable
/// become its coords. Groups sample_stats and observed_data are optional.
/// @throws core::InputError naming `path` (and the group/variable) when the file is missing,
///         not HDF5, incomplete (a SpectralBrain file without complete=1), has no posterior
///         group or variables, or a variable lacks the (chain, draw, ...) dimension scales
stats::PosteriorDraws read_posterior(const std::filesystem::path& path);

}  // namespace spectralbrain::io
