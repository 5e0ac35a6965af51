// The cohort table: one CSV row per complete subject/structure, the input of the statistics.
//
// Columns: subject, structure, n_vertices, area (mesh units²), volume (mesh units³; empty
// unless the surface is closed and consistently oriented), then the ShapeDNA values
// ev_0..ev_{k-1} (ev_1..ev_{k-1} with reweighting "index") in the chosen convention
// (descriptors::shapedna). Rows in manifest order; only subjects whose output is complete
// and made with this run's parameters (subjects that failed are listed in the batch report
// instead). Values are printed with 17 significant digits. The file is written under a
// temporary name and renamed, so it is always whole.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "spectralbrain/batch/manifest.hpp"
#include "spectralbrain/batch/resume.hpp"
#include "spectralbrain/descriptors/shapedna.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::batch {

/// What write_cohort_table did.
struct CohortTableResult {
  std::int64_t n_rows = 0;            ///< subjects in the table
  std::int64_t n_missing = 0;         ///< manifest rows without a usable output
  std::vector<std::string> warnings;  ///< e.g. volume normalisation of an open surface
};

/// True if every edge of `mesh` is shared by exactly two faces with opposite orientations
/// (a closed, consistently oriented surface, which encloses a volume).
bool closed_and_oriented(const mesh::TriMesh& mesh);

/// Builds the table from the subject files in `output_dir` (rows read in parallel over
/// `comm` with core::parallel_batch) and writes it on rank 0 of `comm` to `table`.
/// Collective.
/// @throws core::InputError if the table cannot be written (on every rank)
CohortTableResult write_cohort_table(MPI_Comm comm, const Manifest& manifest,
                                     const std::filesystem::path& output_dir,
                                     const RunParameters& run,
                                     const descriptors::ShapeDnaConvention& convention,
                                     const std::filesystem::path& table);

}  // namespace spectralbrain::batch
