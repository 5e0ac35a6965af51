// Resume: is a subject's existing output complete and made with this run's parameters?
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/io/subject_schema.hpp"

namespace spectralbrain::batch {

/// The parameters that make two runs' outputs interchangeable.
struct RunParameters {
  int k = 100;
  double sigma = -0.01;
  std::string mass = "consistent";
  io::Precision precision = io::Precision::float64;
  std::string petsc_options;  ///< core::petsc_options_string() of this run
};

/// The solver-relevant part of a PETSc options string, in a canonical order: "-name value"
/// pairs sorted by name, without options that only print or check things (-log_view,
/// -options_left, -*_view*, -*_monitor*, -info, -malloc*, -memory_view, -no_signal_handler,
/// -help, -history, -options_file, which has been expanded into the options it sets).
std::string canonical_petsc_options(std::string_view options);

/// State of an existing output.
enum class OutputState {
  absent,    ///< no complete file (none, or an unfinished one)
  complete,  ///< complete and made with the same parameters (and the same mesh, if checked)
  stale,     ///< complete but made differently: recompute
};

/// The verdict with its reason (for stale: which parameter differs).
struct OutputCheck {
  OutputState state = OutputState::absent;
  std::string reason;
};

/// Checks `output` against this run: complete (io::subject_file_complete), the same k, sigma,
/// mass, precision and canonical PETSc options, and, if `mesh` is not empty, made from a mesh
/// file with the same SHA-256 as `mesh` now. Never throws (an unreadable file is absent).
OutputCheck check_output(const std::filesystem::path& output, const RunParameters& run,
                         const std::filesystem::path& mesh = {}) noexcept;

}  // namespace spectralbrain::batch
