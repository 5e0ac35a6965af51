// The batch's status log: append-only JSON lines, one per event, written by world rank 0.
//
// File <output-dir>/batch_status.jsonl, kept across runs. Every line is one JSON object with
// at least "event", "time" (UTC, ISO 8601), "run" (this run's id) and "elapsed" (seconds
// since the run started). Events:
//   run_started   ranks, groups, ranks_per_subject, k, sigma, mass, precision, hosts, options
//   resume        complete (skipped: already done with the same parameters), stale, todo,
//                 temporaries_removed (leftovers of a killed run)
//   stale         subject, key, reason: a complete output made with other parameters
//   recovered     subject, key: complete output whose run died before logging "done"
//   started       subject, structure, key, index, group, rank (the group's world leader),
//                 ranks, attempt, need_bytes (memory estimate per rank)
//   done          ... wall_seconds, stages {read, assemble, ...}, peak_rss_mib, n_vertices,
//                 area, output, memory_wait_seconds
//   failed        ... reason, error (input | computation | library | other)
//   skipped       ... reason (low memory, crashed earlier runs)
//   deferred      ... reason (did not fit after waiting; retried at the end)
//   interrupted   ... reason (stopped by a signal before it started)
//   stopping      reason (signal name, or low memory with --on-low-memory error)
//   run_finished  status (exit code), done, failed, skipped, remaining, wall_seconds
// Lines are written whole with one write() each and flushed, so that a kill at any moment
// leaves at most an incomplete last line, which readers skip.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace spectralbrain::batch {

/// The writer (rank 0 only). Thread-compatible: one writer at a time (the scheduler's lock).
class StatusLog {
 public:
  /// Opens `file` for appending (creates it).
  /// @param run  this run's id, stored in every line
  /// @throws core::InputError naming the file if it cannot be opened
  StatusLog(std::filesystem::path file, std::string run);
  StatusLog(const StatusLog&) = delete;
  StatusLog& operator=(const StatusLog&) = delete;
  /// Closes the file (every line is already written).
  ~StatusLog();

  /// Appends `event` (an object; "event" must be set) with time, run and elapsed added, as
  /// one line, and flushes it to the kernel. Never throws (a failed write is reported on
  /// stderr once).
  void write(nlohmann::json event) noexcept;
  /// fsync()s the file (at the end of a run).
  void sync() noexcept;

  /// The log file.
  const std::filesystem::path& file() const noexcept { return file_; }
  /// This run's id.
  const std::string& run() const noexcept { return run_; }

 private:
  std::filesystem::path file_;
  std::string run_;
  int fd_ = -1;
  bool warned_ = false;
  std::chrono::steady_clock::time_point start_;
};

/// What earlier runs say about one subject.
struct SubjectHistory {
  int died_in_flight = 0;   ///< earlier runs that ended (killed) while it was being solved
  std::string last_event;   ///< its last event ("done", "failed", ...)
  std::string last_reason;  ///< the reason of its last failed/skipped event
};

/// Reads an existing log (missing: empty result). Lines that do not parse (a cut last line)
/// are skipped and counted in `n_bad_lines` if given.
/// @return per subject key, its history
std::map<std::string, SubjectHistory> read_history(const std::filesystem::path& file,
                                                   int* n_bad_lines = nullptr);

/// The current UTC time as "2025-01-31T12:34:56.789Z".
std::string utc_now();

}  // namespace spectralbrain::batch
