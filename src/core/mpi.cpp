// MPI error messages and communicator ownership.
#include "spectralbrain/core/mpi.hpp"

#include <algorithm>

namespace spectralbrain::core::detail {

void throw_mpi_error(int code, const char* call, const char* file, int line) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  std::string message;
  if (MPI_Error_string(code, text, &length) == MPI_SUCCESS) message.assign(text, length);
  throw LibraryError("MPI", code, call, file, line, message);
}

}  // namespace spectralbrain::core::detail

namespace spectralbrain::core {

int rank(MPI_Comm comm) {
  int r = 0;
  SB_MPI(MPI_Comm_rank(comm, &r));
  return r;
}

int size(MPI_Comm comm) {
  int s = 1;
  SB_MPI(MPI_Comm_size(comm, &s));
  return s;
}

RowBlock row_block(std::int64_t n, int rank, int size) {
  const std::int64_t base = n / size, extra = n % size;
  return {rank * base + std::min<std::int64_t>(rank, extra), base + (rank < extra ? 1 : 0)};
}

double max_over_ranks(double value, MPI_Comm comm) {
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_DOUBLE, MPI_MAX, comm));
  return value;
}

void Comm::reset() noexcept {
  if (c_ != MPI_COMM_NULL) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&c_);
  }
  c_ = MPI_COMM_NULL;
}

Comm Comm::duplicate(MPI_Comm comm) {
  MPI_Comm c = MPI_COMM_NULL;
  SB_MPI(MPI_Comm_dup(comm, &c));
  return Comm(c);
}

Comm Comm::split(MPI_Comm comm, int color, int key) {
  MPI_Comm c = MPI_COMM_NULL;
  SB_MPI(MPI_Comm_split(comm, color, key, &c));
  return Comm(c);
}

}  // namespace spectralbrain::core
