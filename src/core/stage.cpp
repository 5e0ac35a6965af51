// Stage timing tied to PETSc log stages.
#include "spectralbrain/core/stage.hpp"

#include <mpi.h>
#include <petsclog.h>

#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"

namespace spectralbrain::core {

namespace {
PetscLogStage stage_id(const std::string& name) {
  PetscLogStage id = -1;
  // PetscLogStageGetId errors when the name is unknown; then register it.
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  PetscErrorCode found = PetscLogStageGetId(name.c_str(), &id);
  PetscPopErrorHandler();
  if (found != 0 || id < 0) SB_PETSC(PetscLogStageRegister(name.c_str(), &id));
  return id;
}
}  // namespace

StageTimer::Scope::Scope(StageTimer& timer, std::string name)
    : timer_(timer), name_(std::move(name)), start_(MPI_Wtime()) {
  SB_PETSC(PetscLogStagePush(stage_id(name_)));
}

StageTimer::Scope::~Scope() {
  PetscLogStagePop();
  timer_.add(name_, MPI_Wtime() - start_);
}

void StageTimer::add(const std::string& name, double s) {
  for (auto& [n, total] : seconds_)
    if (n == name) {
      total += s;
      return;
    }
  seconds_.emplace_back(name, s);
}

double StageTimer::seconds(const std::string& name) const {
  for (const auto& [n, total] : seconds_)
    if (n == name) return total;
  return 0.0;
}

std::vector<std::pair<std::string, double>> StageTimer::slowest_rank_seconds(MPI_Comm comm) const {
  std::vector<double> values;
  for (const auto& [name, s] : seconds_) values.push_back(s);
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE,
                       MPI_MAX, comm));
  auto slowest = seconds_;
  for (std::size_t i = 0; i < values.size(); ++i) slowest[i].second = values[i];
  return slowest;
}

}  // namespace spectralbrain::core
