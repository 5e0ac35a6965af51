// The PETSc/SLEPc layer: the checking macro and move-only RAII handles.
//
// Only code that talks to PETSc includes this header; the mesh and I/O headers stay free
// of petsc.h. Every PETSc/SLEPc call goes through SB_PETSC, which throws LibraryError
// carrying PETSc's own message (captured by the error handler that Runtime installs).
#pragma once

#include <petscksp.h>
#include <petscmat.h>
#include <petscvec.h>
#include <slepceps.h>

#include <utility>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::core::detail {
/// Throws LibraryError for PETSc error `code`, with the message recorded by the handler.
[[noreturn]] void throw_petsc_error(PetscErrorCode code, const char* call, const char* file,
                                    int line);
/// PETSc error handler that records the message and traceback instead of printing them.
PetscErrorCode record_petsc_error(MPI_Comm comm, int line, const char* func, const char* file,
                                  PetscErrorCode code, PetscErrorType type, const char* message,
                                  void* ctx);
}  // namespace spectralbrain::core::detail

/// Check a PETSc or SLEPc call; on failure throw LibraryError with PETSc's message.
#define SB_PETSC(call)                                                                             \
  do {                                                                                             \
    PetscErrorCode sb_petsc_code_ = (call);                                                        \
    if (sb_petsc_code_ != 0)                                                                       \
      ::spectralbrain::core::detail::throw_petsc_error(sb_petsc_code_, #call, __FILE__, __LINE__); \
  } while (0)

namespace spectralbrain::core {

/// Move-only owner of a PETSc object handle (Vec, Mat, KSP, EPS, IS, ...).
/// get() lends the handle; out() gives the address for a Create call; the destructor
/// destroys it and never throws.
template <class Handle, PetscErrorCode (*Destroy)(Handle*)>
class PetscObject {
 public:
  PetscObject() = default;
  explicit PetscObject(Handle h) noexcept : h_(h) {}
  PetscObject(const PetscObject&) = delete;
  PetscObject& operator=(const PetscObject&) = delete;
  PetscObject(PetscObject&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  PetscObject& operator=(PetscObject&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ~PetscObject() { reset(); }

  Handle get() const noexcept { return h_; }
  /// Address for a PETSc Create call; any handle held before is destroyed first.
  Handle* out() noexcept {
    reset();
    return &h_;
  }
  explicit operator bool() const noexcept { return h_ != nullptr; }
  void reset() noexcept {
    if (h_) (void)Destroy(&h_);
    h_ = nullptr;
  }

 private:
  Handle h_ = nullptr;
};

using PVec = PetscObject<Vec, VecDestroy>;
using PMat = PetscObject<Mat, MatDestroy>;
using PKsp = PetscObject<KSP, KSPDestroy>;
using PIs = PetscObject<IS, ISDestroy>;
using PEps = PetscObject<EPS, EPSDestroy>;
using PVecScatter = PetscObject<VecScatter, VecScatterDestroy>;
using PMatPartitioning = PetscObject<MatPartitioning, MatPartitioningDestroy>;
using PViewer = PetscObject<PetscViewer, PetscViewerDestroy>;

/// All PETSc options currently set, as one "-name value" string (stored in outputs).
std::string petsc_options_string();

}  // namespace spectralbrain::core
