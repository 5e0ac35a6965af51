// Memory on a cluster node: what is free (RAM and the job's cgroup), what an array needs,
// scoped guards, peak resident memory, and giving freed memory back to the system.
//
// "Available" is the smaller of /proc/meminfo MemAvailable and the headroom of the cgroup the
// process runs in (SLURM, containers): v2 memory.max − memory.current, v1
// memory.limit_in_bytes − memory.usage_in_bytes, each less the reclaimable page cache
// (inactive_file in memory.stat), and the tightest over the cgroup's ancestors. Every source
// file can be replaced (MemorySources) so that tests can fake a small machine.
//
//   auto info = core::ram_status();                 // MemAvailable vs cgroup, whichever is less
//   core::MemoryGuard guard("assemble", 2_GiB);     // warns (or throws) if less is available
//   auto bytes = core::estimate_array_bytes({n, k}, core::ScalarType::float64);
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::core {

/// Where ram_status() reads from. The defaults are the running process's; tests point them at
/// fake files in a temporary folder.
struct MemorySources {
  std::filesystem::path meminfo = "/proc/meminfo";  ///< MemTotal, MemAvailable (kB)
  std::filesystem::path proc_cgroup = "/proc/self/cgroup";
  std::filesystem::path mountinfo = "/proc/self/mountinfo";
  /// If set, the one cgroup folder to read (v2 memory.max/memory.current or v1
  /// memory.limit_in_bytes/memory.usage_in_bytes, with memory.stat if present), instead of
  /// discovering the process's cgroup and walking its ancestors.
  std::filesystem::path cgroup_dir;
  bool use_cgroup = true;  ///< false: MemAvailable only

  /// The defaults, overridden by the environment: SPECTRALBRAIN_MEMINFO (a meminfo file),
  /// SPECTRALBRAIN_CGROUP_DIR (a cgroup folder, or "none" to ignore cgroups). Used by the
  /// command line so that end-to-end tests can fake memory; not meant for production.
  static MemorySources from_environment();
};

/// Memory of the node (or of the job's cgroup, if that is tighter), in bytes.
struct MemoryInfo {
  std::uint64_t total = 0;                    ///< min(MemTotal, cgroup limit)
  std::uint64_t available = 0;                ///< min(MemAvailable, cgroup limit − cgroup usage)
  std::uint64_t used = 0;                     ///< total − available
  double percent = 0;                         ///< used / total · 100
  std::uint64_t meminfo_total = 0;            ///< MemTotal
  std::uint64_t meminfo_available = 0;        ///< MemAvailable
  std::optional<std::uint64_t> cgroup_limit;  ///< the tightest limit found (none: unlimited)
  std::optional<std::uint64_t> cgroup_usage;  ///< usage of that cgroup, less inactive_file
  std::string cgroup;  ///< "v2 <folder>", "v1 <folder>" or "" when no limit applies
};

/// Reads the memory status now (a few small files; ~50 µs).
/// @throws core::InputError naming the file if `sources.meminfo` cannot be read or lacks
///         MemTotal. A missing or unreadable cgroup is not an error (no limit is assumed).
MemoryInfo ram_status(const MemorySources& sources = MemorySources::from_environment());

/// Resident memory of this process now (VmRSS), bytes; 0 if /proc is unavailable.
std::uint64_t current_rss_bytes() noexcept;
/// Peak resident memory of this process (VmHWM), bytes, since start or reset_peak_rss().
std::uint64_t peak_rss_bytes() noexcept;
/// Resets the peak (VmHWM) to the current RSS (Linux ≥ 4.0, /proc/self/clear_refs), so that
/// the next peak_rss_bytes() is the peak of what ran in between. @return false if unsupported.
bool reset_peak_rss() noexcept;
/// Resident memory of another process on this node (VmRSS of /proc/<pid>/status), bytes.
/// @return nullopt if it cannot be read (gone, or /proc hides it).
std::optional<std::uint64_t> process_rss_bytes(long pid) noexcept;

/// Returns freed heap memory to the system (glibc malloc_trim) so that the next subject, or
/// another rank on the node, can use it. @return RSS before minus RSS after, bytes (≥ 0).
std::uint64_t release_memory() noexcept;

/// Element types of arrays whose size is estimated.
enum class ScalarType { float64, float32, int64, int32, uint8 };
/// Bytes of one element of `type`.
std::size_t scalar_bytes(ScalarType type) noexcept;

/// Bytes of a dense array of `shape` (e.g. {N, k}) and element type `type`.
/// @throws core::InputError if a dimension is negative or the product overflows 64 bits.
std::uint64_t estimate_array_bytes(std::span<const std::int64_t> shape, ScalarType type);
/// As above, for a braced list: estimate_array_bytes({n, k}, ScalarType::float64).
std::uint64_t estimate_array_bytes(std::initializer_list<std::int64_t> shape, ScalarType type);

/// Single-precision copy of `values` (the storage of `--precision single`), rounded to
/// nearest. Halves the memory and disk of eigenvectors and descriptors.
/// @throws core::InputError if a finite value is outside float's range (it would become
///         infinite); NaN and ±inf are kept.
std::vector<float> shrink_array(std::span<const double> values);

/// One block [begin, begin + count) of rows.
struct Block {
  std::int64_t begin = 0;
  std::int64_t count = 0;
};

/// The blocks of rows [begin, end) in steps of `block_rows`; the last may be shorter.
/// Iterate with range-for: `for (Block b : BlockRange(0, n, 1000)) ...`.
class BlockRange {
 public:
  /// @param begin, end   the rows, begin ≤ end
  /// @param block_rows   rows per block, ≥ 1
  /// @throws core::InputError if end < begin or block_rows < 1
  BlockRange(std::int64_t begin, std::int64_t end, std::int64_t block_rows);

  class iterator {
   public:
    using value_type = Block;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    /// The block starting at row `at` of rows [.., end) in steps of `step`.
    iterator(std::int64_t at, std::int64_t end, std::int64_t step)
        : at_(at), end_(end), step_(step) {}
    /// The current block: {begin, min(step, end − begin)}.
    Block operator*() const { return {at_, std::min(step_, end_ - at_)}; }
    /// The next block.
    iterator& operator++() {
      at_ = std::min(at_ + step_, end_);
      return *this;
    }
    /// The next block (postfix).
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    /// Same position.
    bool operator==(const iterator& o) const { return at_ == o.at_; }

   private:
    std::int64_t at_ = 0, end_ = 0, step_ = 1;
  };
  /// The first block.
  iterator begin() const { return {begin_, end_, step_}; }
  /// Past the last block.
  iterator end() const { return {end_, end_, step_}; }
  /// Number of blocks.
  std::int64_t size() const noexcept { return (end_ - begin_ + step_ - 1) / step_; }

 private:
  std::int64_t begin_, end_, step_;
};

/// Rows per block so that one block of `bytes_per_row`-byte rows fits in `budget_bytes`
/// (at least 1 row).
std::int64_t rows_per_block(std::uint64_t bytes_per_row, std::uint64_t budget_bytes) noexcept;

/// "12.3 GiB", "512 MiB", "4 KiB", "17 B".
std::string format_bytes(std::uint64_t bytes);
/// Parses a memory size: a number with an optional unit K, M, G, T (powers of 1024; "KB",
/// "KiB", "GB", "GiB" all mean the same), e.g. "4G", "3500M", "1.5GiB", "1048576".
/// @throws core::InputError naming `what` if it is not such a size.
std::uint64_t parse_bytes(std::string_view text, std::string_view what);

/// Thrown by MemoryGuard (throw mode) when less memory is available than required.
class InsufficientMemory : public Error {
 public:
  /// @param message    what is missing, in words
  /// @param required   bytes that were needed
  /// @param available  bytes that were available
  InsufficientMemory(const std::string& message, std::uint64_t required, std::uint64_t available)
      : Error(message), required_(required), available_(available) {}
  /// Bytes that were needed.
  std::uint64_t required() const noexcept { return required_; }
  /// Bytes that were available.
  std::uint64_t available() const noexcept { return available_; }

 private:
  std::uint64_t required_, available_;
};

/// A scope that checks on entry that at least `minimum_available` bytes are available
/// (ram_status()), and on exit logs how much memory the scope took: the change of this
/// process's RSS and of the node's available memory, and the peak RSS.
///
///   {
///     core::MemoryGuard guard("solve sub-01", core::estimate_array_bytes({n, k}, ...));
///     ...  // work
///   }      // logs "memory: solve sub-01: rss +812 MiB (peak 1.1 GiB), available -790 MiB"
class MemoryGuard {
 public:
  /// What to do when less than the minimum is available on entry.
  enum class Mode { warn, raise };
  /// Receives the guard's messages (one line each, no newline).
  using Sink = std::function<void(std::string_view)>;

  /// @param label              names the scope in messages
  /// @param minimum_available  bytes that must be available on entry
  /// @param mode               warn: log a warning and go on; raise: throw
  /// @param sink               where messages go (default: stderr, "memory: ...")
  /// @param sources            where memory is read from
  /// @throws InsufficientMemory in raise mode if less than minimum_available is available
  explicit MemoryGuard(std::string label, std::uint64_t minimum_available = 0,
                       Mode mode = Mode::warn, Sink sink = {},
                       MemorySources sources = MemorySources::from_environment());
  MemoryGuard(const MemoryGuard&) = delete;
  MemoryGuard& operator=(const MemoryGuard&) = delete;
  /// Logs the delta; never throws.
  ~MemoryGuard();

  /// ram_status() on entry.
  const MemoryInfo& on_entry() const noexcept { return entry_; }
  /// True if the minimum was available on entry.
  bool satisfied() const noexcept { return satisfied_; }

 private:
  std::string label_;
  Sink sink_;
  MemorySources sources_;
  MemoryInfo entry_;
  std::uint64_t rss_entry_ = 0;
  bool satisfied_ = true;
};

}  // namespace spectralbrain::core
