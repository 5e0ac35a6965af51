// Progress of a batch on world rank 0: a redrawn bar on a terminal, or plain lines (one per
// finished subject and a periodic summary) for SLURM logs. Internal to sb_batch.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "spectralbrain/batch/engine.hpp"

namespace spectralbrain::batch::detail {

class Progress {
 public:
  /// @param mode      bar | lines | none (automatic resolved by the caller)
  /// @param n_todo    subjects this run will attempt
  /// @param interval  seconds between summaries (lines mode)
  Progress(ProgressMode mode, std::int64_t n_todo, double interval, std::FILE* out = stdout);

  /// A subject ended: outcome "done" | "failed" | "skipped" | "deferred".
  void finished(const std::string& key, const std::string& outcome, double seconds, double peak_mib,
                int rank, const std::string& reason);
  /// Called often: redraws the bar or prints a due summary. `running`: subjects in flight.
  void tick(std::int64_t running);
  /// Clears the bar line before the final summary.
  void close();

 private:
  std::string counts(std::int64_t running) const;
  ProgressMode mode_;
  std::int64_t n_todo_, done_ = 0, failed_ = 0, skipped_ = 0;
  double interval_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_;
  bool bar_drawn_ = false;
};

}  // namespace spectralbrain::batch::detail
