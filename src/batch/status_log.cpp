// Append-only JSON-lines status log and its reader.
#include "spectralbrain/batch/status_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::batch {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return core::cat(text, ".", ms < 100 ? (ms < 10 ? "00" : "0") : "", ms, "Z");
}

StatusLog::StatusLog(std::filesystem::path file, std::string run)
    : file_(std::move(file)), run_(std::move(run)), start_(std::chrono::steady_clock::now()) {
  fd_ = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw core::InputError(file_.string(), "",
                           core::cat("cannot open the status log: ", std::strerror(errno)));
}

StatusLog::~StatusLog() {
  if (fd_ >= 0) ::close(fd_);
}

void StatusLog::write(nlohmann::json event) noexcept {
  try {
    nlohmann::json line = {
        {"event", event.value("event", "?")},
        {"time", utc_now()},
        {"run", run_},
        {"elapsed",
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count()}};
    for (auto& [key, value] : event.items())
      if (key != "event") line[key] = value;
    // One write() of the whole line: O_APPEND makes it land after everything before it.
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw core::Error(core::cat("write failed: ", std::strerror(errno)));
      done += static_cast<std::size_t>(n);
    }
  } catch (const std::exception& e) {
    if (!warned_) std::fprintf(stderr, "warning: status log %s: %s\n", file_.c_str(), e.what());
    warned_ = true;
  }
}

void StatusLog::sync() noexcept {
  if (fd_ >= 0) ::fdatasync(fd_);
}

std::map<std::string, SubjectHistory> read_history(const std::filesystem::path& file,
                                                   int* n_bad_lines) {
  std::map<std::string, SubjectHistory> history;
  if (n_bad_lines) *n_bad_lines = 0;
  std::ifstream in(file);
  if (!in) return history;
  // Per run: keys started and not ended. A run that ended cleanly has none left.
  std::map<std::string, std::set<std::string>> in_flight;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object() || !e.contains("event")) {
      if (n_bad_lines) ++*n_bad_lines;
      continue;
    }
    const std::string event = e.value("event", "");
    const std::string run = e.value("run", "");
    if (!e.contains("key")) continue;
    const std::string key = e.value("key", "");
    SubjectHistory& h = history[key];
    h.last_event = event;
    if (event == "failed" || event == "skipped") h.last_reason = e.value("reason", "");
    if (event == "started")
      in_flight[run].insert(key);
    else
      in_flight[run].erase(key);
  }
  for (const auto& [run, keys] : in_flight)
    for (const auto& key : keys) ++history[key].died_in_flight;
  return history;
}

}  // namespace spectralbrain::batch
