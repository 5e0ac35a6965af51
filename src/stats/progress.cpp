// Rank-0 progress display fed by messages from the other ranks.
#include "progress.hpp"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::stats::detail {

namespace {
constexpr int kTag = 7301;
}

Progress::Progress(MPI_Comm comm, bool enabled, std::ostream* out, bool redraw,
                   std::size_t n_chains, std::size_t n_tune, std::size_t n_draws)
    : comm_(comm),
      enabled_(enabled),
      root_(core::rank(comm) == 0),
      tty_(redraw),
      out_(out ? out : &std::cout),
      n_tune_(n_tune),
      n_total_(n_tune + n_draws),
      stride_(std::max<std::size_t>(1, (n_tune + n_draws) / 100)),
      chains_(n_chains),
      last_print_(std::chrono::steady_clock::now()) {}

void Progress::send(std::size_t chain, bool finished) {
  const ChainView& c = chains_[chain];
  buffers_.push_back({static_cast<double>(chain), static_cast<double>(c.done),
                      static_cast<double>(c.divergences), c.step_size, finished ? 1.0 : 0.0});
  requests_.emplace_back();
  SB_MPI(MPI_Isend(buffers_.back().data(), 5, MPI_DOUBLE, 0, kTag, comm_, &requests_.back()));
}

void Progress::receive_pending(bool wait) {
  while (true) {
    int flag = 0;
    MPI_Status status;
    if (wait) {
      SB_MPI(MPI_Probe(MPI_ANY_SOURCE, kTag, comm_, &status));
      flag = 1;
    } else {
      SB_MPI(MPI_Iprobe(MPI_ANY_SOURCE, kTag, comm_, &flag, &status));
    }
    if (!flag) return;
    std::array<double, 5> m{};
    SB_MPI(MPI_Recv(m.data(), 5, MPI_DOUBLE, status.MPI_SOURCE, kTag, comm_, MPI_STATUS_IGNORE));
    ChainView& c = chains_.at(static_cast<std::size_t>(m[0]));
    c.done = static_cast<std::size_t>(m[1]);
    c.divergences = static_cast<long>(m[2]);
    c.step_size = m[3];
    c.finished = c.finished || m[4] != 0;
    if (wait) return;
  }
}

void Progress::update(std::size_t chain, std::size_t done, long divergences, double step_size) {
  if (!enabled_) return;
  ChainView& c = chains_[chain];
  c.done = done;
  c.divergences = divergences;
  c.step_size = step_size;
  if (!root_) {
    if (done % stride_ == 0) send(chain, false);
    return;
  }
  receive_pending(false);
  print(false);
}

void Progress::finish(const std::vector<std::size_t>& local_chains) {
  if (!enabled_) return;
  for (std::size_t c : local_chains) chains_[c].finished = true;
  if (!root_) {
    for (std::size_t c : local_chains) send(c, true);
    SB_MPI(MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE));
    requests_.clear();
    buffers_.clear();
    return;
  }
  auto all_finished = [&] {
    for (const auto& c : chains_)
      if (!c.finished) return false;
    return true;
  };
  while (!all_finished()) {
    receive_pending(true);
    print(false);
  }
  // Reports sent before a chain's final one may still be queued: read them all.
  receive_pending(false);
  print(true);
}

void Progress::print(bool final) {
  std::size_t done = 0;
  for (const auto& c : chains_) done += c.done;
  const std::size_t total = n_total_ * chains_.size();
  const auto now = std::chrono::steady_clock::now();
  if (final && !tty_ && done == last_done_) return;  // that line is already out
  if (!final) {
    if (tty_) {
      if (now - last_print_ < std::chrono::milliseconds(250)) return;
    } else {
      // Plain lines at each tenth of the run.
      if (total == 0 || done * 10 < next_milestone_ * total) return;
      while (next_milestone_ * total <= done * 10) ++next_milestone_;
    }
  }
  last_print_ = now;
  last_done_ = done;
  std::ostringstream line;
  line << "sampling " << std::setw(3) << (total ? 100 * done / total : 100) << "%";
  for (std::size_t i = 0; i < chains_.size(); ++i) {
    const ChainView& c = chains_[i];
    line << " | chain " << i << ": " << c.done << "/" << n_total_
         << (c.done < n_tune_ ? " warm-up" : "") << ", " << c.divergences << " div, step "
         << std::setprecision(3) << c.step_size;
  }
  if (tty_) {
    *out_ << "\r\033[2K" << line.str();
    if (final) *out_ << '\n';
  } else {
    *out_ << line.str() << '\n';
  }
  out_->flush();
}

}  // namespace spectralbrain::stats::detail
