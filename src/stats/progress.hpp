// Progress of a sampling run, shown on rank 0: per chain the iterations done, the
// divergences while drawing and the current step size. Other ranks send their chains'
// state to rank 0 with small non-blocking messages; rank 0 reads them between its own
// iterations and, once its chains are done, until every chain has reported its end.
// Internal to sb_stats.
#pragma once

#include <mpi.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <deque>
#include <iosfwd>
#include <vector>

namespace spectralbrain::stats::detail {

class Progress {
 public:
  /// @param comm      the sampler's private communicator (collective use: all ranks)
  /// @param enabled   false: no messages, no output (must be the same on every rank)
  /// @param out       rank 0's stream (nullptr: std::cout)
  /// @param redraw    one line redrawn in place (true) or a plain line per tenth of the run
  /// @param n_chains  number of chains; @param n_tune, n_draws iterations per chain
  Progress(MPI_Comm comm, bool enabled, std::ostream* out, bool redraw, std::size_t n_chains,
           std::size_t n_tune, std::size_t n_draws);

  /// Chain `chain` (run by this rank) finished `done` iterations with `divergences`
  /// divergent draws after warm-up and step size `step_size`.
  void update(std::size_t chain, std::size_t done, long divergences, double step_size);

  /// This rank has finished (or abandoned) `local_chains`. On rank 0: wait for every other
  /// chain's final report and print the final line. Always returns (no collective).
  void finish(const std::vector<std::size_t>& local_chains);

 private:
  struct ChainView {
    std::size_t done = 0;
    long divergences = 0;
    double step_size = 0;
    bool finished = false;
  };
  void send(std::size_t chain, bool finished);
  void receive_pending(bool wait);
  void print(bool final);

  MPI_Comm comm_;
  bool enabled_;
  bool root_;
  bool tty_ = false;
  std::ostream* out_;
  std::size_t n_tune_, n_total_, stride_;
  std::vector<ChainView> chains_;
  std::deque<std::array<double, 5>> buffers_;
  std::vector<MPI_Request> requests_;
  std::chrono::steady_clock::time_point last_print_;
  std::size_t next_milestone_ = 1;  // in tenths of all iterations
  std::size_t last_done_ = 0;       // iterations shown by the last line
};

}  // namespace spectralbrain::stats::detail
