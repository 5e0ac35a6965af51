// The memory guard of a batch: what each rank may use now, shared among the ranks of a node.
//
// Every rank on a node (MPI_Comm_split_type shared) sees the same free memory (ram_status():
// MemAvailable or the cgroup's headroom, whichever is less). So that two ranks do not both
// count on the same free gigabytes, the ranks of a node keep a ledger in a shared-memory
// window: each rank that starts a subject reserves its estimated need there, and releases it
// when done. A rank's free memory is
//     available now − Σ (other ranks' reservations not yet visible as their resident memory)
//                   − --min-available-gb
// where "not yet visible" is a reservation minus the growth of that rank's RSS since it
// reserved (read from /proc/<pid>/status; the whole reservation if that cannot be read).
// Check-and-reserve is atomic across the node (an exclusive lock on the window).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spectralbrain/core/memory.hpp"
#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::batch {

/// What a group does when a subject does not fit (--on-low-memory).
enum class LowMemoryPolicy {
  wait,   ///< retry with back-off up to the wait limit, then defer the subject to the end of the
          ///< queue; skip it (recorded) if it still does not fit then, or can never fit
  skip,   ///< skip the subject now, with the reason recorded
  error,  ///< stop the batch cleanly: no new subjects, in-flight ones finish (exit status 4)
};
/// "wait" | "skip" | "error".
std::string_view name(LowMemoryPolicy p) noexcept;
/// Inverse of name(); throws core::InputError naming `option` otherwise.
LowMemoryPolicy parse_low_memory_policy(std::string_view word, std::string_view option);

/// The memory guard's settings.
struct MemoryPolicy {
  LowMemoryPolicy on_low = LowMemoryPolicy::wait;
  std::uint64_t min_available = 0;            ///< --min-available-gb, bytes kept free on the node
  std::optional<std::uint64_t> max_per_rank;  ///< --max-memory-per-rank, bytes
  double wait_seconds = 300;                  ///< --memory-wait: longest wait before deferring
  core::MemorySources sources = core::MemorySources::from_environment();
};

/// Whether a subject fits.
enum class Fit { never = 0, not_now = 1, fits = 2 };

/// The answer of NodeMemory::try_reserve.
struct FitCheck {
  Fit fit = Fit::fits;
  std::uint64_t need = 0;       ///< bytes this rank needs
  std::int64_t free = 0;        ///< bytes this rank may use now (may be negative)
  std::uint64_t available = 0;  ///< node's available memory (ram_status)
  std::string reason;           ///< for not_now/never: why, in words
};

/// The node's ledger (file comment). Construction and destruction are collective over the
/// communicator given; try_reserve/release are not.
class NodeMemory {
 public:
  /// @param world   all ranks of the batch (split here into nodes)
  /// @param policy  limits and sources
  NodeMemory(MPI_Comm world, MemoryPolicy policy);
  NodeMemory(const NodeMemory&) = delete;
  NodeMemory& operator=(const NodeMemory&) = delete;
  /// Frees the window (collective, like the constructor).
  ~NodeMemory();

  /// Ranks on this node.
  int ranks_on_node() const noexcept { return n_node_; }
  /// The settings.
  const MemoryPolicy& policy() const noexcept { return policy_; }

  /// Checks whether `need` bytes fit this rank now and, if so, reserves them (until
  /// release()). `never`: more than --max-memory-per-rank, or more than the node can ever
  /// give (total − min_available); `not_now`: more than is free now.
  /// @throws core::InputError if the meminfo source cannot be read
  FitCheck try_reserve(std::uint64_t need);
  /// Drops this rank's reservation (no-op if none). Never throws.
  void release() noexcept;

 private:
  struct Slot;
  Slot* slot(int node_rank) const noexcept;
  MemoryPolicy policy_;
  core::Comm node_;
  MPI_Win win_ = MPI_WIN_NULL;
  int node_rank_ = 0, n_node_ = 1;
  bool reserved_ = false;
};

}  // namespace spectralbrain::batch
