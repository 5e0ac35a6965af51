// Runtime guard: init order, error handlers, and the top-level catch.
#include "spectralbrain/core/runtime.hpp"

#include <hdf5.h>
#include <slepcsys.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/petsc.hpp"

namespace spectralbrain::core {

Runtime::Runtime(int& argc, char**& argv, const std::string& options_file, const char* help) {
  if (!options_file.empty() && !std::filesystem::is_regular_file(options_file))
    throw InputError(options_file, "", "PETSc options file not found");
  PetscErrorCode code =
      SlepcInitialize(&argc, &argv, options_file.empty() ? nullptr : options_file.c_str(), help);
  if (code != 0) throw Error(cat("SLEPc/PETSc initialisation failed (error ", code, ")"));
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  PetscPushErrorHandler(detail::record_petsc_error, nullptr);
  // HDF5 prints its error stack by default; we read it into the exception instead.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Runtime::~Runtime() {
  PetscPopErrorHandler();
  SlepcFinalize();
}

namespace {
// True if every rank of MPI_COMM_WORLD reaches this point within `seconds`.
bool all_ranks_agree(double seconds) {
  MPI_Request request;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &request) != MPI_SUCCESS) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int done = 0;
  while (!done) {
    if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) return false;
    if (done) break;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}
}  // namespace

int run_guarded(int& argc, char**& argv, const std::string& options_file,
                const std::function<int(Runtime&)>& body, double agree_seconds) {
  int world_rank = 0;
  try {
    Runtime runtime(argc, argv, options_file);
    world_rank = runtime.rank();
    std::string message;
    try {
      return body(runtime);
    } catch (const std::exception& e) {
      message = e.what();
    }
    if (!all_ranks_agree(agree_seconds)) {
      // Some ranks are still working or waiting in a collective: they would never finish.
      log_error(world_rank, message);
      log_error(world_rank, "other ranks did not stop; aborting the job");
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    // Every rank failed. Usually with the same message (bad input seen by all): say it once.
    const std::size_t hash = std::hash<std::string>{}(message);
    unsigned long long lo = hash, hi = hash;
    MPI_Allreduce(MPI_IN_PLACE, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    if (lo != hi || world_rank == 0) log_error(world_rank, message);
    return 1;
  } catch (const std::exception& e) {
    // Failure before or during initialisation: MPI may not be usable.
    log_error(world_rank, e.what());
    return 1;
  }
}

}  // namespace spectralbrain::core
