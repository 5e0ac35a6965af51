// Stages of a run: one PetscLogStage per phase (for -log_view) and wall-clock seconds.
#pragma once

#include <mpi.h>

#include <string>
#include <utility>
#include <vector>

namespace spectralbrain::core {

/// Records named phases (read, assemble, solve, write, ...). Each phase is also a PETSc log
/// stage of the same name, so `-log_view` breaks the run down the same way.
class StageTimer {
 public:
  /// While alive, the named stage is pushed on PETSc's log and its wall time is counted.
  class Scope {
   public:
    Scope(StageTimer& timer, std::string name);
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope();

   private:
    StageTimer& timer_;
    std::string name_;
    double start_;
  };

  /// Enter stage `name` until the returned scope ends.
  [[nodiscard]] Scope enter(std::string name) { return Scope(*this, std::move(name)); }
  /// (name, seconds) in first-entered order; repeated entries add up.
  const std::vector<std::pair<std::string, double>>& seconds() const noexcept { return seconds_; }
  /// Seconds spent in `name` (0 if never entered).
  double seconds(const std::string& name) const;
  /// seconds() with each stage's time on the slowest rank of `comm` (collective; every rank
  /// must have entered the same stages in the same order).
  std::vector<std::pair<std::string, double>> slowest_rank_seconds(MPI_Comm comm) const;

 private:
  void add(const std::string& name, double s);
  std::vector<std::pair<std::string, double>> seconds_;
};

}  // namespace spectralbrain::core
