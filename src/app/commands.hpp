// The subcommands of the spectralbrain executable, one file each.
#pragma once

#include <string>
#include <vector>

#include "spectralbrain/core/runtime.hpp"

namespace spectralbrain::app {

/// A subcommand: runs inside the Runtime with its own arguments (argv after the name).
/// Returns the exit status.
using CommandFn = int (*)(core::Runtime& runtime, int argc, char** argv);

struct Command {
  const char* name;
  const char* summary;
  /// PETSc options file in petsc_options/ loaded before the command line; may be null.
  const char* options_file;
  CommandFn run;
  /// True if the command needs MPI_THREAD_MULTIPLE (batch: its scheduler thread on rank 0).
  bool thread_multiple = false;
  /// True if the command fills large arrays and so runs with huge pages (core/huge_pages.hpp;
  /// the re-execution costs 0.1-0.2 s of start-up, worth it only there). `info` has it too, so
  /// that it reports what those commands get.
  bool large_memory = false;
};

/// The table of subcommands, in the order `spectralbrain --help` lists them.
const std::vector<Command>& commands();

/// spectralbrain eigen --mesh FILE --output FILE.h5 [--k K] ...: one surface's spectrum.
int eigen_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain sample --data TABLE.csv --formula F --output POSTERIOR.h5 [...], or
/// --model-lib LIB.so: a regression (or plugin model) sampled with NUTS, summarised on rank 0.
int sample_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain check --mesh FILE [--json] [--output CLEAN]: a mesh report; exit 0/3/4/1.
int check_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain batch --manifest FILE --output-dir DIR ...: a cohort over groups of ranks.
int batch_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain info [--mesh FILE --k K]: memory/cgroup status, estimate for a mesh, build.
int info_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain descriptors --input SUBJECT.h5 --output OUT.h5 ...: descriptors from stored
/// eigenpairs, no solve.
int descriptors_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain compare A.h5 B.h5 [--normalization N] [--reweighting R] [--k K]: ShapeDNA
/// distance and per-mode differences.
int compare_command(core::Runtime& runtime, int argc, char** argv);

/// spectralbrain summary POSTERIOR.h5 [--csv FILE] [--var NAME...]: ArviZ-style table.
int summary_command(core::Runtime& runtime, int argc, char** argv);

}  // namespace spectralbrain::app
