// One subject's spectral job: mesh file -> operators -> eigenpairs -> subject HDF5 file.
//
// The unit of work of both `spectralbrain eigen` (one job on MPI_COMM_WORLD) and
// `spectralbrain batch` (many jobs, each on its own group of ranks). Later stages
// (descriptors, exports) hang off run_subject() so that both commands get them.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "spectralbrain/descriptors/descriptor_set.hpp"
#include "spectralbrain/export/subject_export.hpp"
#include "spectralbrain/io/subject_schema.hpp"
#include "spectralbrain/spectral/solve.hpp"

namespace spectralbrain::pipeline {

/// What to compute for one subject. Defaults are the command line's.
struct SubjectJob {
  std::filesystem::path mesh;       ///< surface file (any format mesh::read_mesh reads)
  std::filesystem::path output;     ///< subject .h5; its folder must exist
  std::string subject;              ///< id stored in the file; empty: the mesh file name
  int k = 100;                      ///< eigenpairs, 1 <= k < N
  double sigma = -0.01;             ///< shift-and-invert target
  std::string mass = "consistent";  ///< "consistent" | "lumped"
  io::Precision precision = io::Precision::float64;  ///< storage of /eigen/vectors
  /// Solve on the connected component with the most vertices only (BrainPrint's policy);
  /// rows of the other components are NaN in the output.
  bool largest_component = false;
  /// Descriptors written under /descriptors before the file is published; default none.
  descriptors::DescriptorSettings descriptors;
  /// Viewer files written beside `output` after it is published; default none.
  exports::ExportSettings exports;
};

/// What a finished job reports (identical on every rank of the job's communicator).
struct SubjectResult {
  std::int64_t n_vertices = 0;
  std::int64_t n_faces = 0;
  double area = 0;                      ///< surface area, mesh units²
  std::int64_t n_degenerate = 0;        ///< triangles given LaPy's clamp (fem/operators.hpp)
  std::int64_t n_components = 0;        ///< connected components solved on (λ = 0 multiplicity)
  std::int64_t n_dropped_vertices = 0;  ///< input vertices not solved on (NaN rows)
  std::int64_t n_dropped_faces = 0;     ///< duplicate faces and faces of dropped components
  std::vector<double> eigenvalues;      ///< (k,) ascending
  spectral::SolveInfo solve;            ///< what the eigensolver did
  /// (stage, seconds): read, assemble, factor, solve, count, write; the slowest rank's time.
  std::vector<std::pair<std::string, double>> wall_seconds;
  double peak_rss_mib = 0;  ///< largest rank's peak resident memory (VmHWM, since start or the last
                            ///< core::reset_peak_rss), MiB
  std::vector<std::filesystem::path> exported;  ///< viewer files written (job.exports)
};

/// Checks a job's settings without touching any file: k >= 1, mass is a known word, the
/// descriptor parameters (descriptors::validate) and exported modes < k.
/// @throws core::InputError naming the option
void validate(const SubjectJob& job);

/// Runs one job collectively on `comm`: reads the mesh (every rank), opens the output under
/// a temporary name (so a bad output path fails before the solve), cleans the mesh, assembles,
/// solves, writes and atomically publishes job.output.
///
/// Cleaning policies (mesh/clean.hpp), applied in this order:
///   - duplicate faces are dropped (they would count their triangle twice);
///   - vertices no face uses are dropped (their rows of L and M would be empty);
///   - with job.largest_component, only the largest connected component is kept.
/// The solve runs on what remains; /mesh keeps the input mesh and /eigen/vectors has one row
/// per input vertex, NaN for dropped ones. Zero-area triangles are clamped by the assembly.
/// A surface of C components has λ = 0 with multiplicity C: a warning says so, and C ≥ k is
/// an input error (the pairs would be nothing but the components' indicator functions).
/// Root attributes n_components, n_dropped_vertices and n_dropped_faces record what was done. On
/// any error nothing is published and the error propagates (the same on every rank for input
/// errors).
/// a temporary name (so a bad output path fails before the solve), assembles, solves, writes
/// and atomically publishes job.output. Requested descriptors are computed from the
/// eigenpairs in memory and written into the file before it is published (stage
/// "descriptors"); requested viewer files are made from the published file afterwards
/// (stage "export"). On any error before publishing nothing is published and the error
/// propagates (the same on every rank for input errors); an export error leaves the
/// complete subject file in place and propagates.
/// @param comm  the ranks that share this subject (MPI_COMM_WORLD for `eigen`)
/// @throws core::InputError (bad mesh, options, output path), core::ComputationError (no
///         convergence), core::LibraryError (PETSc/MPI/HDF5 failure)
SubjectResult run_subject(MPI_Comm comm, const SubjectJob& job);

}  // namespace spectralbrain::pipeline
