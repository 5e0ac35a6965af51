// The runtime guard: MPI/PETSc/SLEPc initialised first, finalised last, errors reported.
#pragma once

#include <mpi.h>

#include <functional>
#include <string>

namespace spectralbrain::core {

/// Initialises SLEPc (and with it PETSc and MPI) on construction, finalises on destruction.
/// Installs the error handlers that turn PETSc, MPI and HDF5 failures into exceptions
/// instead of printed tracebacks. Exactly one Runtime exists per process.
class Runtime {
 public:
  /// @param options_file  PETSc options file read before the command line (so that the
  ///                      command line and -options_file win); empty for none. Must exist.
  /// @param help          text PETSc prints for -help; may be null.
  Runtime(int& argc, char**& argv, const std::string& options_file = {},
          const char* help = nullptr);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  ~Runtime();

  MPI_Comm world() const noexcept { return MPI_COMM_WORLD; }
  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// Runs `body` inside a Runtime and catches at the top. An exception is printed as
/// "spectralbrain: error [rank r]: message" and gives exit status 1. If every rank failed
/// (a collective error, e.g. bad input seen by all), MPI is finalised normally; if the
/// ranks diverged (some still busy after `agree_seconds`), the job is aborted so that no
/// rank waits forever in a collective.
/// @return the exit status for main.
int run_guarded(int& argc, char**& argv, const std::string& options_file,
                const std::function<int(Runtime&)>& body, double agree_seconds = 10.0);

}  // namespace spectralbrain::core
