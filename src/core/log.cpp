// Rank-0 logging.
#include "spectralbrain/core/log.hpp"

#include <cstdio>

namespace spectralbrain::core {

namespace {
bool is_root(MPI_Comm comm) {
  int r = 0;
  MPI_Comm_rank(comm, &r);
  return r == 0;
}
}  // namespace

void log_info(MPI_Comm comm, std::string_view message) {
  if (!is_root(comm)) return;
  std::fwrite(message.data(), 1, message.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void log_warning(MPI_Comm comm, std::string_view message) {
  if (!is_root(comm)) return;
  std::fprintf(stderr, "warning: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

void log_error(int rank, std::string_view message) {
  std::fprintf(stderr, "spectralbrain: error [rank %d]: %.*s\n", rank,
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace spectralbrain::core
