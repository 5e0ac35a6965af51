// Signal handlers that only set a flag (first signal) or leave at once (second).
#include "spectralbrain/batch/stop_signal.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace spectralbrain::batch {

namespace {
// Lock-free atomics are async-signal-safe; this is the only state the handler touches.
std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

struct sigaction g_old[3];
constexpr int kSignals[3] = {SIGTERM, SIGINT, SIGUSR1};

extern "C" void on_stop_signal(int signo) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, signo) && signo != SIGUSR1) _exit(128 + signo);
}
}  // namespace

StopSignals::StopSignals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &action, &g_old[i]);
}

StopSignals::~StopSignals() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_old[i], nullptr);
}

bool StopSignals::requested() noexcept { return g_signal.load() != 0; }
int StopSignals::signal_number() noexcept { return g_signal.load(); }
void StopSignals::request(int signo) noexcept {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signo);
}
void StopSignals::reset() noexcept { g_signal.store(0); }

}  // namespace spectralbrain::batch
