// Descriptors from stored eigenpairs: a subject file in, a new subject file out, no solve.
//
// The output is a complete subject file of its own: mesh, eigenpairs and root attributes are
// copied from the input (n_ranks becomes this run's; wall_seconds_descriptors this run's
// time), /descriptors is computed afresh (whatever the input held there is not copied).
// It is written under a temporary name and renamed when complete (io::SubjectWriter), so
// `output` may be `input` itself: the input is replaced only once the new file is complete.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "spectralbrain/descriptors/descriptor_set.hpp"

namespace spectralbrain::descriptors {

/// What recompute_descriptors did (identical on every rank).
struct RecomputeResult {
  std::int64_t n_vertices = 0;  ///< N
  std::int64_t k = 0;           ///< eigenpairs in the input
  /// (stage, seconds), the slowest rank's: read, descriptors, write.
  std::vector<std::pair<std::string, double>> wall_seconds;
  double peak_rss_mib = 0;  ///< peak resident memory of the largest rank, MiB
};

/// Reads `input`'s eigenpairs (each rank a contiguous block of rows, split like
/// PetscSplitOwnership) and mesh, computes `settings`' descriptors and writes `output`.
/// Collective on `comm`.
/// @param settings  at least one descriptor (validate() is called first)
/// @throws core::InputError naming the file if `input` is missing, incomplete, has no
///         eigenpairs or mesh, or the descriptors cannot be computed from its spectrum (the
///         same error on every rank); nothing is written then
RecomputeResult recompute_descriptors(MPI_Comm comm, const std::filesystem::path& input,
                                      const std::filesystem::path& output,
                                      const DescriptorSettings& settings);

}  // namespace spectralbrain::descriptors
