// Eigenvector rows of a cleaned mesh redistributed to the input mesh's row blocks.
#include "spectralbrain/pipeline/row_map.hpp"

#include <limits>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::pipeline {

namespace {
int owner_of(std::int64_t row, std::int64_t n, int size) {
  const std::int64_t base = n / size, extra = n % size;
  if (row < extra * (base + 1)) return static_cast<int>(row / (base + 1));
  return static_cast<int>(extra + (row - extra * (base + 1)) / base);
}
}  // namespace

spectral::Eigenpairs to_input_rows(MPI_Comm comm, const spectral::Eigenpairs& derived,
                                   std::span<const std::int32_t> input_vertex,
                                   std::int64_t n_input) {
  const int size = core::size(comm), rank = core::rank(comm);
  const std::int64_t k = derived.k();
  SB_ASSERT(static_cast<std::int64_t>(input_vertex.size()) == derived.n_rows_global);
  spectral::Eigenpairs out;
  out.values = derived.values;
  out.residuals = derived.residuals;
  out.n_rows_global = n_input;
  const auto block = core::row_block(n_input, rank, size);
  out.row_begin = block.begin;
  out.n_rows_local = block.count;
  out.vectors.assign(static_cast<std::size_t>(out.n_rows_local * k),
                     std::numeric_limits<double>::quiet_NaN());

  // Each message: the target input row (exact as a double below 2^53), then its k values.
  std::vector<std::vector<double>> outgoing(size);
  for (std::int64_t r = 0; r < derived.n_rows_local; ++r) {
    const std::int64_t target = input_vertex[derived.row_begin + r];
    auto& buffer = outgoing[owner_of(target, n_input, size)];
    buffer.push_back(static_cast<double>(target));
    const double* row = derived.vectors.data() + r * k;
    buffer.insert(buffer.end(), row, row + k);
  }
  std::vector<int> send_counts(size), recv_counts(size), send_displs(size), recv_displs(size);
  std::vector<double> send;
  for (int p = 0; p < size; ++p) {
    send_displs[p] = static_cast<int>(send.size());
    send_counts[p] = static_cast<int>(outgoing[p].size());
    send.insert(send.end(), outgoing[p].begin(), outgoing[p].end());
  }
  SB_MPI(MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, comm));
  int total = 0;
  for (int p = 0; p < size; ++p) {
    recv_displs[p] = total;
    total += recv_counts[p];
  }
  std::vector<double> recv(total);
  SB_MPI(MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_DOUBLE, recv.data(),
                       recv_counts.data(), recv_displs.data(), MPI_DOUBLE, comm));
  for (std::size_t pos = 0; pos < recv.size(); pos += static_cast<std::size_t>(k) + 1) {
    const std::int64_t local = static_cast<std::int64_t>(recv[pos]) - out.row_begin;
    std::copy(recv.begin() + pos + 1, recv.begin() + pos + 1 + k, out.vectors.begin() + local * k);
  }
  return out;
}

}  // namespace spectralbrain::pipeline
