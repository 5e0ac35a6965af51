// PETSc error capture: the handler records PETSc's message; SB_PETSC turns it into an exception.
#include "spectralbrain/core/petsc.hpp"

#include <string>

namespace spectralbrain::core::detail {

namespace {
// The message of the error being unwound on this thread. PETSc reports an error once at its
// origin (PETSC_ERROR_INITIAL) and then once per function it passes through on the way up.
thread_local std::string petsc_message;
}  // namespace

PetscErrorCode record_petsc_error(MPI_Comm, int line, const char* func, const char* file,
                                  PetscErrorCode code, PetscErrorType type, const char* message,
                                  void*) {
  if (type == PETSC_ERROR_INITIAL) {
    const char* generic = nullptr;
    PetscErrorMessage(code, &generic, nullptr);
    petsc_message.clear();
    if (generic) petsc_message += generic;
    if (message && *message)
      petsc_message += std::string(petsc_message.empty() ? "" : ": ") + message;
    petsc_message += cat(" [", func ? func : "?", "() at ", file ? file : "?", ":", line, "]");
  }
  return code;
}

void throw_petsc_error(PetscErrorCode code, const char* call, const char* file, int line) {
  std::string message = std::move(petsc_message);
  petsc_message.clear();
  if (message.empty()) {
    const char* generic = nullptr;
    PetscErrorMessage(code, &generic, nullptr);
    if (generic) message = generic;
  }
  throw LibraryError("PETSc", static_cast<int>(code), call, file, line, message);
}

}  // namespace spectralbrain::core::detail

namespace spectralbrain::core {

std::string petsc_options_string() {
  char* all = nullptr;
  SB_PETSC(PetscOptionsGetAll(nullptr, &all));
  std::string s = all ? all : "";
  SB_PETSC(PetscFree(all));
  return s;
}

}  // namespace spectralbrain::core
