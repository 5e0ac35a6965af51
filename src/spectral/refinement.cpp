// Iterative refinement of direct solves, only where a solve needs it.
#include "spectralbrain/spectral/refinement.hpp"

#include "spectralbrain/core/petsc.hpp"

namespace spectralbrain::spectral {

SolveRefinement::~SolveRefinement() {
  VecDestroy(&r_);
  VecDestroy(&z_);
}

void SolveRefinement::attach(KSP ksp) {
  if (threshold_ > 0) SB_PETSC(KSPSetPostSolve(ksp, post_solve, this));
}

PetscErrorCode SolveRefinement::post_solve(KSP ksp, Vec b, Vec x, void* self) {
  PetscFunctionBeginUser;
  auto* c = static_cast<SolveRefinement*>(self);
  Mat A = nullptr;
  PC pc = nullptr;
  PetscCall(KSPGetOperators(ksp, &A, nullptr));
  PetscCall(KSPGetPC(ksp, &pc));
  if (A != c->normed_) {
    PetscCall(MatNorm(A, NORM_INFINITY, &c->anorm_));
    c->normed_ = A;
  }
  if (!c->r_) {
    PetscCall(VecDuplicate(b, &c->r_));
    PetscCall(VecDuplicate(b, &c->z_));
  }
  PetscCall(MatMult(A, x, c->r_));
  PetscCall(VecAYPX(c->r_, -1.0, b));  // r = b − Ax
  PetscReal rn = 0, xn = 0, bn = 0;
  PetscCall(VecNorm(c->r_, NORM_INFINITY, &rn));
  PetscCall(VecNorm(x, NORM_INFINITY, &xn));
  PetscCall(VecNorm(b, NORM_INFINITY, &bn));
  ++c->checked_;
  if (rn > c->threshold_ * (c->anorm_ * xn + bn)) {
    PetscCall(PCApply(pc, c->r_, c->z_));
    PetscCall(VecAXPY(x, 1.0, c->z_));
    ++c->refined_;
  }
  PetscFunctionReturn(0);
}

}  // namespace spectralbrain::spectral
