// Node-shared memory ledger in an MPI shared-memory window.
#include "spectralbrain/batch/node_memory.hpp"

#include <unistd.h>

#include <algorithm>

namespace spectralbrain::batch {

struct NodeMemory::Slot {
  std::int64_t pid;
  std::uint64_t reserved;        // bytes reserved (0: idle)
  std::uint64_t rss_at_reserve;  // the rank's RSS when it reserved
};

std::string_view name(LowMemoryPolicy p) noexcept {
  switch (p) {
    case LowMemoryPolicy::wait:
      return "wait";
    case LowMemoryPolicy::skip:
      return "skip";
    case LowMemoryPolicy::error:
      return "error";
  }
  return "?";
}

LowMemoryPolicy parse_low_memory_policy(std::string_view word, std::string_view option) {
  for (auto p : {LowMemoryPolicy::wait, LowMemoryPolicy::skip, LowMemoryPolicy::error})
    if (word == name(p)) return p;
  throw core::InputError("command line", std::string(option),
                         core::cat("'", word, "' is not one of wait, skip, error"));
}

NodeMemory::NodeMemory(MPI_Comm world, MemoryPolicy policy) : policy_(std::move(policy)) {
  int world_rank = core::rank(world);
  MPI_Comm node = MPI_COMM_NULL;
  SB_MPI(MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, world_rank, MPI_INFO_NULL, &node));
  node_ = core::Comm(node);
  node_rank_ = core::rank(node);
  n_node_ = core::size(node);
  void* base = nullptr;
  SB_MPI(MPI_Win_allocate_shared(static_cast<MPI_Aint>(sizeof(Slot)),
                                 static_cast<int>(sizeof(Slot)), MPI_INFO_NULL, node, &base,
                                 &win_));
  Slot* mine = static_cast<Slot*>(base);
  *mine = Slot{static_cast<std::int64_t>(getpid()), 0, 0};
  SB_MPI(MPI_Win_fence(0, win_));
}

NodeMemory::~NodeMemory() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && win_ != MPI_WIN_NULL) MPI_Win_free(&win_);
}

NodeMemory::Slot* NodeMemory::slot(int node_rank) const noexcept {
  MPI_Aint size = 0;
  int disp = 0;
  void* base = nullptr;
  MPI_Win_shared_query(win_, node_rank, &size, &disp, &base);
  return static_cast<Slot*>(base);
}

FitCheck NodeMemory::try_reserve(std::uint64_t need) {
  FitCheck check;
  check.need = need;
  const core::MemoryInfo info = core::ram_status(policy_.sources);
  check.available = info.available;
  if (policy_.max_per_rank && need > *policy_.max_per_rank) {
    check.fit = Fit::never;
    check.reason = core::cat("needs ~", core::format_bytes(need), " per rank, more than ",
                             "--max-memory-per-rank ", core::format_bytes(*policy_.max_per_rank));
    return check;
  }
  const std::uint64_t ceiling =
      info.total > policy_.min_available ? info.total - policy_.min_available : 0;
  if (need > ceiling) {
    check.fit = Fit::never;
    check.reason = core::cat("needs ~", core::format_bytes(need), " per rank, more than the ",
                             info.cgroup_limit ? "cgroup limit " : "node's memory ",
                             core::format_bytes(info.total), " less --min-available-gb");
    return check;
  }
  // Atomic check-and-reserve among the node's ranks.
  SB_MPI(MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win_));
  SB_MPI(MPI_Win_sync(win_));
  std::int64_t pending = 0;
  for (int r = 0; r < n_node_; ++r) {
    if (r == node_rank_) continue;
    const Slot* s = slot(r);
    if (s->reserved == 0) continue;
    std::uint64_t outstanding = s->reserved;
    if (auto rss = core::process_rss_bytes(static_cast<long>(s->pid))) {
      const std::uint64_t grown = *rss > s->rss_at_reserve ? *rss - s->rss_at_reserve : 0;
      outstanding = s->reserved > grown ? s->reserved - grown : 0;
    }
    pending += static_cast<std::int64_t>(outstanding);
  }
  check.free = static_cast<std::int64_t>(info.available) - pending -
               static_cast<std::int64_t>(policy_.min_available);
  if (policy_.max_per_rank)
    check.free =
        std::min<std::int64_t>(check.free, static_cast<std::int64_t>(*policy_.max_per_rank));
  if (check.free >= static_cast<std::int64_t>(need)) {
    Slot* mine = slot(node_rank_);
    mine->reserved = std::max<std::uint64_t>(need, 1);
    mine->rss_at_reserve = core::current_rss_bytes();
    reserved_ = true;
    check.fit = Fit::fits;
  } else {
    check.fit = Fit::not_now;
    check.reason = core::cat(
        "needs ~", core::format_bytes(need), " per rank, ",
        check.free > 0 ? core::format_bytes(static_cast<std::uint64_t>(check.free)) : "nothing",
        " free (available ", core::format_bytes(info.available),
        pending ? core::cat(", ", core::format_bytes(static_cast<std::uint64_t>(pending)),
                            " reserved by other ranks on the node")
                : std::string(),
        policy_.min_available ? core::cat(", keeping ", core::format_bytes(policy_.min_available))
                              : std::string(),
        ")");
  }
  SB_MPI(MPI_Win_sync(win_));
  SB_MPI(MPI_Win_unlock(0, win_));
  return check;
}

void NodeMemory::release() noexcept {
  if (!reserved_) return;
  reserved_ = false;
  if (MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win_) != MPI_SUCCESS) return;
  MPI_Win_sync(win_);
  slot(node_rank_)->reserved = 0;
  MPI_Win_sync(win_);
  MPI_Win_unlock(0, win_);
}

}  // namespace spectralbrain::batch
