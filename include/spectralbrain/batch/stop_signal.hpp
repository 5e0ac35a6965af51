// Graceful stop on SIGTERM (what SLURM sends at the time limit), SIGINT and SIGUSR1.
//
// The first signal only sets a flag: the batch takes no new subjects, lets the ones being
// solved finish, flushes the status log and exits with status 75 (kExitInterrupted). A second
// SIGTERM or SIGINT abandons everything at once (_exit(128 + signal)); output files stay
// consistent because they are published atomically, and the rerun resumes.
//
// PETSc installs its own handler for SIGTERM (and others) in PetscInitialize, which prints a
// message and aborts the job; StopSignals is created after PetscInitialize and replaces the
// handlers of these three signals for its lifetime (restoring them after). SIGUSR1 is
// included because Open MPI's mpirun forwards it to every rank, whereas a SIGTERM to mpirun
// is followed by SIGKILL after a second.
#pragma once

namespace spectralbrain::batch {

/// RAII installation of the handlers (file comment). One at a time per process.
class StopSignals {
 public:
  /// Installs the handlers of SIGTERM, SIGINT and SIGUSR1 (keeping the flag's state).
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  /// Restores the handlers that were installed before.
  ~StopSignals();

  /// True once a stop signal has arrived (async-signal-safe flag).
  static bool requested() noexcept;
  /// The first signal's number (0: none).
  static int signal_number() noexcept;
  /// Sets the flag as if `signo` had arrived (tests, and a stop decided by the batch itself).
  static void request(int signo) noexcept;
  /// Clears the flag (tests).
  static void reset() noexcept;
};

}  // namespace spectralbrain::batch
