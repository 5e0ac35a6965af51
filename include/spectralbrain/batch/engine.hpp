// The cohort batch: a manifest of subjects solved over groups of ranks, each subject on its
// own communicator, with memory guards, a status log, resume and a graceful stop.
//
// Scheduling. MPI_COMM_WORLD is split into groups of --ranks-per-subject P ranks (the last
// group may be smaller). World rank 0 keeps the queue: the subjects still to do, largest
// meshes first (vertex count from the file header, else file size), and hands out one
// subject at a time to whichever group asks; a group solves it with
// pipeline::run_subject on its communicator and asks again, reporting the outcome. Rank 0
// holds one small record per subject.
//
// Rank 0 both schedules and solves: the scheduler is a thread on rank 0 that serves requests
// on a private duplicate of MPI_COMM_WORLD (MPI_THREAD_MULTIPLE), polling with MPI_Iprobe and
// sleeping 2 ms between polls so that it takes no measurable CPU from the solve on the same
// core; every other MPI call stays on the main threads. If the MPI library does not provide
// MPI_THREAD_MULTIPLE, rank 0 becomes a dedicated scheduler (it solves nothing) when there
// is more than one rank, and a single rank runs the queue in turn.
//
// Why not one-sided MPI (MPI_Fetch_and_op on a counter in a window on rank 0)? It would hand
// out indices without a scheduler loop, but (1) Open MPI's one-sided progress for passive
// target over TCP (osc/pt2pt) needs the target to enter MPI, which rank 0 does not do for
// seconds inside a factorisation, so every group would stall behind it; (2) outcomes still
// have to reach one writer of the status log and progress display, i.e. a second channel;
// (3) deferring a subject (low memory) needs a queue, not a counter.
//
// Failure isolation. Each subject runs inside try/catch on every rank of its group; the
// group agrees on the outcome (the lowest failing rank's message) with a non-blocking
// reduction and a deadline (--group-timeout), so a subject that fails on some ranks only
// cannot leave the others waiting forever: if they do not agree in time (a rank is stuck in
// a collective inside a library), the job is aborted; the rerun resumes and skips a subject
// that took down --max-attempts runs.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "spectralbrain/batch/node_memory.hpp"
#include "spectralbrain/descriptors/descriptor_set.hpp"
#include "spectralbrain/descriptors/shapedna.hpp"
#include "spectralbrain/export/subject_export.hpp"
#include "spectralbrain/io/subject_schema.hpp"

namespace spectralbrain::batch {

/// Exit statuses of `spectralbrain batch` (the same on every rank).
inline constexpr int kExitOk = 0;              ///< every subject is done (now or before)
inline constexpr int kExitError = 1;           ///< error before any work (input, options)
inline constexpr int kExitSubjectsFailed = 3;  ///< ran to the end; some failed or were skipped
inline constexpr int kExitLowMemoryStop = 4;   ///< stopped early by --on-low-memory error
inline constexpr int kExitInterrupted = 75;    ///< stopped by SIGTERM/SIGINT/SIGUSR1 (EX_TEMPFAIL):
                                               ///< rerun to resume

/// How progress is shown on rank 0.
enum class ProgressMode {
  automatic,  ///< bar on a terminal (not under mpirun/srun), lines otherwise
  bar,        ///< one line redrawn in place: counts, throughput, ETA
  lines,      ///< a line per finished subject and a summary every progress_interval
  none,       ///< only the final summary
};

/// How the queue is served (engine.hpp file comment).
enum class SchedulerMode {
  automatic,  ///< thread on rank 0 if MPI_THREAD_MULTIPLE is provided, else dedicated
  thread,     ///< thread on rank 0 (falls back to dedicated without MPI_THREAD_MULTIPLE)
  dedicated,  ///< rank 0 only schedules (with one rank: the rank runs the queue in turn)
};

/// Everything `spectralbrain batch` is asked to do.
struct BatchOptions {
  std::filesystem::path manifest;    ///< the manifest (manifest.hpp)
  std::filesystem::path output_dir;  ///< subject files, status log, cohort table, report
  int k = 100;
  double sigma = -0.01;
  std::string mass = "consistent";
  io::Precision precision = io::Precision::float64;
  descriptors::DescriptorSettings descriptors;  ///< written into each subject file; default none
  exports::ExportSettings exports;              ///< viewer files beside each subject file
  bool largest_component = false;               ///< solve on each mesh's largest component
  int ranks_per_subject = 1;                    ///< P
  MemoryPolicy memory;                          ///< the memory guard
  bool resume = true;                           ///< false: --no-resume, recompute everything
  /// A subject that was being solved when `max_attempts` earlier runs died (killed, out of
  /// memory) is skipped instead of taking the job down again (0: never skip).
  int max_attempts = 2;
  descriptors::ShapeDnaConvention shapedna;  ///< of the cohort table
  ProgressMode progress = ProgressMode::automatic;
  double progress_interval = 60;  ///< seconds between summaries in line mode
  double group_timeout = 600;     ///< seconds a group waits for its ranks to agree
  SchedulerMode scheduler = SchedulerMode::automatic;
  std::string command_line;  ///< stored in the log's run_started event
};

/// One subject that did not end done.
struct SubjectFailure {
  std::string key;     ///< "sub-01" or "sub-01/lh_white"
  std::string event;   ///< "failed" | "skipped"
  std::string reason;  ///< the message
};

/// What a batch did (complete on world rank 0; the exit status on every rank).
struct BatchSummary {
  std::int64_t n_subjects = 0;   ///< manifest rows
  std::int64_t n_done = 0;       ///< solved by this run
  std::int64_t n_already = 0;    ///< complete before this run (resume)
  std::int64_t n_failed = 0;     ///< failed in this run
  std::int64_t n_skipped = 0;    ///< skipped in this run (memory, crashed runs)
  std::int64_t n_remaining = 0;  ///< not attempted (stopped early)
  double wall_seconds = 0;       ///< this run
  double subject_seconds = 0;    ///< sum of the solved subjects' wall times
  std::vector<SubjectFailure> failures;
  int exit_status = kExitOk;
  std::string scheduler;  ///< "thread", "dedicated" or "serial"
};

/// Runs the batch (collective over `world`). Input errors (manifest, options, output folder)
/// are thrown before any subject starts, the same on every rank; everything that goes wrong
/// with a subject is recorded and the batch goes on.
/// @return the summary; exit_status is one of the kExit* constants
/// @throws core::InputError for bad input (before any work)
BatchSummary run_batch(MPI_Comm world, const BatchOptions& options);

}  // namespace spectralbrain::batch
