// Logging: one voice per communicator (rank 0 prints), errors from any rank.
#pragma once

#include <mpi.h>

#include <string_view>

namespace spectralbrain::core {

/// Print `message` (plus newline) to stdout on rank 0 of `comm` only.
void log_info(MPI_Comm comm, std::string_view message);
/// Print "warning: message" to stderr on rank 0 of `comm` only.
void log_warning(MPI_Comm comm, std::string_view message);
/// Print "spectralbrain: error [rank r]: message" to stderr from the calling rank.
void log_error(int rank, std::string_view message);

}  // namespace spectralbrain::core
