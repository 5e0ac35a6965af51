// MPI helpers: the checking macro, an owning communicator, rank and size.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <utility>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::core::detail {
[[noreturn]] void throw_mpi_error(int code, const char* call, const char* file, int line);
}

/// Check an MPI call (communicators return errors: Runtime sets MPI_ERRORS_RETURN).
#define SB_MPI(call)                                                                           \
  do {                                                                                         \
    int sb_mpi_code_ = (call);                                                                 \
    if (sb_mpi_code_ != MPI_SUCCESS)                                                           \
      ::spectralbrain::core::detail::throw_mpi_error(sb_mpi_code_, #call, __FILE__, __LINE__); \
  } while (0)

namespace spectralbrain::core {

/// Rank of the calling process in `comm`.
int rank(MPI_Comm comm);
/// Number of processes in `comm`.
int size(MPI_Comm comm);
/// The largest of every rank's `value` (collective).
double max_over_ranks(double value, MPI_Comm comm);

/// Rows [begin, begin + count) of `rank` when n rows are split into `size` contiguous blocks
/// as PetscSplitOwnership splits them: the first n mod size ranks hold one row more. The
/// layout of every row-distributed array that is not a PETSc object (input-order eigenvector
/// rows, faces to assemble, HDF5 hyperslabs).
struct RowBlock {
  std::int64_t begin = 0;
  std::int64_t count = 0;
};
RowBlock row_block(std::int64_t n, int rank, int size);

/// Move-only owner of a communicator made by MPI_Comm_split & co; frees it on destruction.
class Comm {
 public:
  Comm() = default;
  explicit Comm(MPI_Comm c) noexcept : c_(c) {}
  Comm(const Comm&) = delete;
  Comm& operator=(const Comm&) = delete;
  Comm(Comm&& o) noexcept : c_(std::exchange(o.c_, MPI_COMM_NULL)) {}
  Comm& operator=(Comm&& o) noexcept {
    if (this != &o) {
      reset();
      c_ = std::exchange(o.c_, MPI_COMM_NULL);
    }
    return *this;
  }
  ~Comm() { reset(); }
  MPI_Comm get() const noexcept { return c_; }
  void reset() noexcept;

  /// Duplicate `comm` (a private communicator for one piece of work).
  static Comm duplicate(MPI_Comm comm);
  /// MPI_Comm_split(comm, color, key).
  static Comm split(MPI_Comm comm, int color, int key);

 private:
  MPI_Comm c_ = MPI_COMM_NULL;
};

}  // namespace spectralbrain::core
