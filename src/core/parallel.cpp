// Gathering variable-size results and agreeing on errors for parallel_map/parallel_batch.
#include "spectralbrain/core/parallel.hpp"

#include <limits>
#include <numeric>

#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::core {

namespace detail {

namespace {
int checked_int(std::uint64_t n, const char* what) {
  if (n > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
    throw Error(cat(what, ": ", n, " is too large for one MPI message"));
  return static_cast<int>(n);
}
}  // namespace

std::vector<std::string> gather_pieces(MPI_Comm comm, const std::vector<std::string>& local,
                                       const GatherOptions& options) {
  const int rank = core::rank(comm), size = core::size(comm);
  const bool receives = options.to_all || rank == options.root;
  // Two messages per rank: the piece lengths, then the bytes.
  std::vector<std::uint64_t> lengths;
  lengths.reserve(local.size());
  std::string bytes;
  for (const auto& piece : local) {
    lengths.push_back(piece.size());
    bytes += piece;
  }
  const int n_local = checked_int(lengths.size(), "parallel_map items");
  const int n_bytes = checked_int(bytes.size(), "parallel_map bytes");
  std::vector<int> counts(static_cast<std::size_t>(size)),
      byte_counts(static_cast<std::size_t>(size));
  if (options.to_all) {
    SB_MPI(MPI_Allgather(&n_local, 1, MPI_INT, counts.data(), 1, MPI_INT, comm));
    SB_MPI(MPI_Allgather(&n_bytes, 1, MPI_INT, byte_counts.data(), 1, MPI_INT, comm));
  } else {
    SB_MPI(MPI_Gather(&n_local, 1, MPI_INT, counts.data(), 1, MPI_INT, options.root, comm));
    SB_MPI(MPI_Gather(&n_bytes, 1, MPI_INT, byte_counts.data(), 1, MPI_INT, options.root, comm));
  }
  std::vector<int> displs(static_cast<std::size_t>(size), 0),
      byte_displs(static_cast<std::size_t>(size), 0);
  std::uint64_t total = 0, total_bytes = 0;
  if (receives) {
    for (int r = 0; r < size; ++r) {
      displs[r] = checked_int(total, "parallel_map items");
      byte_displs[r] = checked_int(total_bytes, "parallel_map bytes");
      total += static_cast<std::uint64_t>(counts[r]);
      total_bytes += static_cast<std::uint64_t>(byte_counts[r]);
    }
  }
  std::vector<std::uint64_t> all_lengths(receives ? total : 0);
  std::string all_bytes(receives ? total_bytes : 0, '\0');
  if (options.to_all) {
    SB_MPI(MPI_Allgatherv(lengths.data(), n_local, MPI_UINT64_T, all_lengths.data(), counts.data(),
                          displs.data(), MPI_UINT64_T, comm));
    SB_MPI(MPI_Allgatherv(bytes.data(), n_bytes, MPI_CHAR, all_bytes.data(), byte_counts.data(),
                          byte_displs.data(), MPI_CHAR, comm));
  } else {
    SB_MPI(MPI_Gatherv(lengths.data(), n_local, MPI_UINT64_T, all_lengths.data(), counts.data(),
                       displs.data(), MPI_UINT64_T, options.root, comm));
    SB_MPI(MPI_Gatherv(bytes.data(), n_bytes, MPI_CHAR, all_bytes.data(), byte_counts.data(),
                       byte_displs.data(), MPI_CHAR, options.root, comm));
  }
  std::vector<std::string> pieces;
  if (!receives) return pieces;
  pieces.reserve(all_lengths.size());
  std::size_t at = 0;
  for (std::uint64_t n : all_lengths) {
    pieces.emplace_back(all_bytes, at, n);
    at += n;
  }
  return pieces;
}

void agree_on_error(MPI_Comm comm, const std::string& error, std::string_view what) {
  const int rank = core::rank(comm), size = core::size(comm);
  int first = error.empty() ? size : rank;
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) return;
  int length = rank == first ? static_cast<int>(error.size()) : 0;
  SB_MPI(MPI_Bcast(&length, 1, MPI_INT, first, comm));
  std::string message = rank == first ? error : std::string(static_cast<std::size_t>(length), '\0');
  SB_MPI(MPI_Bcast(message.data(), length, MPI_CHAR, first, comm));
  throw Error(cat(what, " (rank ", first, "): ", message));
}

}  // namespace detail

Block owned_rows(std::int64_t n_rows, int rank, int size) noexcept {
  const std::int64_t base = n_rows / size, extra = n_rows % size;
  const std::int64_t begin = rank * base + std::min<std::int64_t>(rank, extra);
  return {begin, base + (rank < extra ? 1 : 0)};
}

std::vector<double> parallel_batch(MPI_Comm comm, std::int64_t n_rows, std::int64_t n_cols,
                                   std::int64_t block_rows,
                                   const std::function<void(Block, std::span<double>)>& f,
                                   const GatherOptions& options) {
  if (n_rows < 0 || n_cols < 0)
    throw InputError("parallel_batch", "", cat("negative shape ", n_rows, " x ", n_cols));
  if (block_rows < 1)
    throw InputError("parallel_batch", "", cat("block_rows = ", block_rows, ": must be >= 1"));
  const int rank = core::rank(comm), size = core::size(comm);
  const Block mine = owned_rows(n_rows, rank, size);
  std::vector<double> local(static_cast<std::size_t>(mine.count * n_cols));
  std::string error;
  try {
    for (Block b : BlockRange(mine.begin, mine.begin + mine.count, block_rows)) {
      const auto offset = static_cast<std::size_t>((b.begin - mine.begin) * n_cols);
      f(b, std::span<double>(local.data() + offset, static_cast<std::size_t>(b.count * n_cols)));
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  detail::agree_on_error(comm, error, "parallel_batch");

  // One MPI element per row keeps the counts within int for any realistic table.
  MPI_Datatype row = MPI_DATATYPE_NULL;
  SB_MPI(
      MPI_Type_contiguous(static_cast<int>(std::max<std::int64_t>(n_cols, 1)), MPI_DOUBLE, &row));
  SB_MPI(MPI_Type_commit(&row));
  const bool receives = options.to_all || rank == options.root;
  std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r) {
    const Block b = owned_rows(n_rows, r, size);
    counts[r] = static_cast<int>(b.count);
    displs[r] = static_cast<int>(b.begin);
  }
  std::vector<double> all(receives ? static_cast<std::size_t>(n_rows * n_cols) : 0);
  int code = MPI_SUCCESS;
  if (n_cols > 0) {
    if (options.to_all)
      code = MPI_Allgatherv(local.data(), counts[rank], row, all.data(), counts.data(),
                            displs.data(), row, comm);
    else
      code = MPI_Gatherv(local.data(), counts[rank], row, all.data(), counts.data(), displs.data(),
                         row, options.root, comm);
  }
  MPI_Type_free(&row);
  SB_MPI(code);
  return all;
}

}  // namespace spectralbrain::core
