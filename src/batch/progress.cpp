// Rank-0 progress display of a batch.
#include "progress.hpp"

#include <cmath>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::batch::detail {

namespace {
std::string clock_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--:--";
  const auto s = static_cast<long long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}
}  // namespace

Progress::Progress(ProgressMode mode, std::int64_t n_todo, double interval, std::FILE* out)
    : mode_(mode),
      n_todo_(n_todo),
      interval_(interval),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

std::string Progress::counts(std::int64_t running) const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::int64_t ended = done_ + failed_ + skipped_;
  const double rate = elapsed > 0 ? ended / elapsed : 0;  // subjects per second
  const double eta = rate > 0 ? (n_todo_ - ended) / rate : NAN;
  char text[256];
  std::snprintf(text, sizeof text,
                "%lld/%lld ended (done %lld, failed %lld, skipped %lld), %lld running | "
                "%.2f subjects/min | elapsed %s | ETA %s",
                static_cast<long long>(ended), static_cast<long long>(n_todo_),
                static_cast<long long>(done_), static_cast<long long>(failed_),
                static_cast<long long>(skipped_), static_cast<long long>(running), rate * 60,
                clock_time(elapsed).c_str(), clock_time(eta).c_str());
  return text;
}

void Progress::finished(const std::string& key, const std::string& outcome, double seconds,
                        double peak_mib, int rank, const std::string& reason) {
  if (outcome == "done") ++done_;
  if (outcome == "failed") ++failed_;
  if (outcome == "skipped") ++skipped_;
  if (mode_ == ProgressMode::none) return;
  const std::int64_t ended = done_ + failed_ + skipped_;
  std::string line;
  if (outcome == "done")
    line = core::cat("[", ended, "/", n_todo_, "] done    ", key, "  ", clock_time(seconds),
                     "  peak ", static_cast<long long>(peak_mib), " MiB  (rank ", rank, ")");
  else
    line = core::cat("[", ended, "/", n_todo_, "] ", outcome,
                     std::string(8 - std::min<std::size_t>(outcome.size(), 7), ' '), key, ": ",
                     reason);
  if (mode_ == ProgressMode::bar) {
    if (outcome == "done") return;  // the bar shows it; failures get their own line
    std::fprintf(out_, "\r\033[K%s\n", line.c_str());
    bar_drawn_ = false;
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

void Progress::tick(std::int64_t running) {
  if (mode_ == ProgressMode::none) return;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (mode_ == ProgressMode::bar) {
    if (since < 0.25 && bar_drawn_) return;
    const std::int64_t ended = done_ + failed_ + skipped_;
    const int width = 24;
    const int filled = n_todo_ > 0 ? static_cast<int>(width * ended / n_todo_) : width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    // Short enough for an 80-column terminal, where a wrapped line would not redraw.
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? ended / elapsed : 0;
    std::fprintf(out_, "\r\033[K[%s] %lld/%lld (%lld failed, %lld skipped) %.1f/min ETA %s",
                 bar.c_str(), static_cast<long long>(ended), static_cast<long long>(n_todo_),
                 static_cast<long long>(failed_), static_cast<long long>(skipped_), rate * 60,
                 clock_time(rate > 0 ? (n_todo_ - ended) / rate : NAN).c_str());
    std::fflush(out_);
    bar_drawn_ = true;
    last_ = now;
    return;
  }
  if (since < interval_) return;
  std::fprintf(out_, "progress: %s\n", counts(running).c_str());
  std::fflush(out_);
  last_ = now;
}

void Progress::close() {
  if (mode_ == ProgressMode::bar && bar_drawn_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
  }
}

}  // namespace spectralbrain::batch::detail
