// MPI data parallelism for small independent pieces of work: parallel_map over items and
// parallel_batch over the rows of an array, each rank taking its share, results gathered.
//
// Both are collective over `comm` and never leave ranks waiting in a collective when one of
// them fails: an exception in the user's function on any rank is caught, the ranks agree,
// and every rank throws the same core::Error (the lowest failing rank's message).
//
//   // sizes of 10 000 mesh files, read by all ranks, gathered on rank 0:
//   auto sizes = core::parallel_map(comm, paths.size(),
//                                   [&](std::int64_t i) { return file_size(paths[i]); });
//   // a 10 000 × k table, rows filled in blocks of 256 by their owners:
//   auto table = core::parallel_batch(comm, n, k, 256, [&](core::Block rows, std::span<double> out)
//   {...});
#pragma once

#include <mpi.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "spectralbrain/core/memory.hpp"

namespace spectralbrain::core {

/// Where results end up.
struct GatherOptions {
  int root = 0;         ///< the rank that receives the results
  bool to_all = false;  ///< true: every rank receives them (root is then ignored)
};

/// How a result type travels between ranks: encode appends bytes, decode reads them back.
/// Provided for trivially copyable types, std::string and std::vector of trivially copyable
/// types; specialise it for others (e.g. by encoding to JSON text).
template <class T, class Enable = void>
struct ParallelCodec;

template <class T>
struct ParallelCodec<T, std::enable_if_t<std::is_trivially_copyable_v<T>>> {
  /// Appends the object's bytes.
  static void encode(const T& value, std::string& out) {
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  /// The object from its bytes (sizeof(T) of them).
  static T decode(std::string_view bytes) {
    T value;
    std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
  }
};

template <>
struct ParallelCodec<std::string> {
  /// Appends the text.
  static void encode(const std::string& value, std::string& out) { out += value; }
  /// The text back.
  static std::string decode(std::string_view bytes) { return std::string(bytes); }
};

template <class T>
struct ParallelCodec<std::vector<T>, std::enable_if_t<std::is_trivially_copyable_v<T>>> {
  /// Appends the elements' bytes.
  static void encode(const std::vector<T>& value, std::string& out) {
    out.append(reinterpret_cast<const char*>(value.data()), value.size() * sizeof(T));
  }
  /// The elements back (bytes.size() / sizeof(T) of them).
  static std::vector<T> decode(std::string_view bytes) {
    std::vector<T> value(bytes.size() / sizeof(T));
    std::memcpy(value.data(), bytes.data(), value.size() * sizeof(T));
    return value;
  }
};

namespace detail {
/// Gathers every rank's `local` pieces (in order) to the root or to all, rank by rank.
/// Collective. Returns the pieces of all ranks (rank 0's first) where they are gathered,
/// an empty vector elsewhere.
std::vector<std::string> gather_pieces(MPI_Comm comm, const std::vector<std::string>& local,
                                       const GatherOptions& options);
/// Collective: if `error` is non-empty on any rank, every rank throws core::Error with the
/// lowest such rank's message (prefixed by `what` and the rank).
void agree_on_error(MPI_Comm comm, const std::string& error, std::string_view what);
}  // namespace detail

/// Applies `f` to the items 0..n_items−1, item i on rank i mod size (cyclic, so that items
/// of growing cost are spread evenly), and gathers the results in item order.
///
/// @param comm     the ranks that share the work (collective over it)
/// @param n_items  number of items, the same on every rank
/// @param f        R f(std::int64_t item); R must have a ParallelCodec
/// @param options  root (or all) that receives the results
/// @return (n_items,) results where gathered; empty on the other ranks
/// @throws core::Error on every rank if `f` threw on any rank (see the file comment)
template <class F>
auto parallel_map(MPI_Comm comm, std::int64_t n_items, F&& f, const GatherOptions& options = {})
    -> std::vector<std::decay_t<std::invoke_result_t<F&, std::int64_t>>> {
  using R = std::decay_t<std::invoke_result_t<F&, std::int64_t>>;
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  std::vector<std::string> local;
  std::string error;
  for (std::int64_t i = rank; i < n_items; i += size) {
    try {
      std::string bytes;
      ParallelCodec<R>::encode(f(i), bytes);
      local.push_back(std::move(bytes));
    } catch (const std::exception& e) {
      error = e.what();
      break;
    }
  }
  detail::agree_on_error(comm, error, "parallel_map");
  const std::vector<std::string> pieces = detail::gather_pieces(comm, local, options);
  std::vector<R> results;
  if (pieces.empty() && n_items > 0) return results;
  // pieces are rank-major: rank r's items r, r+size, ... in order.
  results.reserve(static_cast<std::size_t>(n_items));
  std::vector<std::size_t> first(static_cast<std::size_t>(size), 0);
  for (int r = 1; r < size; ++r) {
    const std::int64_t n_prev = r - 1 < n_items ? (n_items - (r - 1) + size - 1) / size : 0;
    first[r] = first[r - 1] + static_cast<std::size_t>(n_prev);
  }
  for (std::int64_t i = 0; i < n_items; ++i) {
    const auto r = static_cast<std::size_t>(i % size);
    results.push_back(
        ParallelCodec<R>::decode(pieces[first[r] + static_cast<std::size_t>(i / size)]));
  }
  return results;
}

/// parallel_map over the elements of `items` (the same on every rank): f(const T&).
template <class T, class F>
auto parallel_map(MPI_Comm comm, const std::vector<T>& items, F&& f,
                  const GatherOptions& options = {}) {
  return parallel_map(
      comm, static_cast<std::int64_t>(items.size()),
      [&](std::int64_t i) { return f(items[static_cast<std::size_t>(i)]); }, options);
}

/// Fills an n_rows × n_cols float64 array (row-major) in parallel: the rows are split in
/// contiguous ranges, one per rank (rank r after rank r−1, sizes differing by at most one,
/// as PetscSplitOwnership), and each rank calls `f` on its range in blocks of at most
/// `block_rows` rows (BlockRange), so that a rank's working memory is bounded by one block.
///
/// @param f  void f(Block rows, std::span<double> out): out has rows.count × n_cols values,
///           row j of out is global row rows.begin + j
/// @return the whole array (n_rows·n_cols values) where gathered; empty elsewhere
/// @throws core::InputError for negative sizes or block_rows < 1; core::Error on every rank
///         if `f` threw on any rank
std::vector<double> parallel_batch(MPI_Comm comm, std::int64_t n_rows, std::int64_t n_cols,
                                   std::int64_t block_rows,
                                   const std::function<void(Block, std::span<double>)>& f,
                                   const GatherOptions& options = {});

/// The contiguous row range [begin, end) of `rank` out of `size` for n_rows rows (the split
/// used by parallel_batch).
Block owned_rows(std::int64_t n_rows, int rank, int size) noexcept;

}  // namespace spectralbrain::core
