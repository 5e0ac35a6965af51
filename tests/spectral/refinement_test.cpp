// SolveRefinement: a bad solve is corrected once, a good one is left alone, 0 turns it off.
#include <gtest/gtest.h>

#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/spectral/refinement.hpp"

namespace {

using spectralbrain::spectral::SolveRefinement;

// tridiag(−1, 4, −1), n = 50, on one rank: diagonally dominant, so a Jacobi "solve" is a poor
// but contracting approximation (‖I − AD⁻¹‖∞ = 1/2) and one refinement step must at least
// halve its residual; an LU solve is exact to rounding and must not be touched.
struct System {
  Mat A = nullptr;
  Vec b = nullptr, x = nullptr, r = nullptr;
  KSP ksp = nullptr;
  explicit System(PCType pc_type) {
    const PetscInt n = 50;
    SB_PETSC(MatCreateSeqAIJ(PETSC_COMM_SELF, n, n, 3, nullptr, &A));
    for (PetscInt i = 0; i < n; ++i) {
      SB_PETSC(MatSetValue(A, i, i, 4.0, INSERT_VALUES));
      if (i > 0) SB_PETSC(MatSetValue(A, i, i - 1, -1.0, INSERT_VALUES));
      if (i + 1 < n) SB_PETSC(MatSetValue(A, i, i + 1, -1.0, INSERT_VALUES));
    }
    SB_PETSC(MatAssemblyBegin(A, MAT_FINAL_ASSEMBLY));
    SB_PETSC(MatAssemblyEnd(A, MAT_FINAL_ASSEMBLY));
    SB_PETSC(MatCreateVecs(A, &x, &b));
    SB_PETSC(VecDuplicate(b, &r));
    for (PetscInt i = 0; i < n; ++i) SB_PETSC(VecSetValue(b, i, 1.0 + 0.1 * i, INSERT_VALUES));
    SB_PETSC(VecAssemblyBegin(b));
    SB_PETSC(VecAssemblyEnd(b));
    SB_PETSC(KSPCreate(PETSC_COMM_SELF, &ksp));
    SB_PETSC(KSPSetOperators(ksp, A, A));
    SB_PETSC(KSPSetType(ksp, KSPPREONLY));
    PC pc = nullptr;
    SB_PETSC(KSPGetPC(ksp, &pc));
    SB_PETSC(PCSetType(pc, pc_type));
  }
  ~System() {
    KSPDestroy(&ksp);
    VecDestroy(&r);
    VecDestroy(&x);
    VecDestroy(&b);
    MatDestroy(&A);
  }
  double solve_and_residual() {
    SB_PETSC(KSPSolve(ksp, b, x));
    SB_PETSC(MatMult(A, x, r));
    SB_PETSC(VecAYPX(r, -1.0, b));
    PetscReal norm = 0;
    SB_PETSC(VecNorm(r, NORM_INFINITY, &norm));
    return norm;
  }
};

TEST(SolveRefinement, CorrectsAnInaccurateSolveOnce) {
  System plain(PCJACOBI);
  const double unrefined = plain.solve_and_residual();
  System checked(PCJACOBI);
  SolveRefinement refinement;
  refinement.attach(checked.ksp);
  const double refined = checked.solve_and_residual();
  EXPECT_EQ(refinement.checked(), 1);
  EXPECT_EQ(refinement.refined(), 1);
  EXPECT_GT(unrefined, 1e-2);
  EXPECT_LE(refined, 0.5 * unrefined * (1 + 1e-12));
}

TEST(SolveRefinement, LeavesAnExactSolveAlone) {
  System exact(PCLU);
  SolveRefinement refinement;
  refinement.attach(exact.ksp);
  EXPECT_LT(exact.solve_and_residual(), 1e-12);
  EXPECT_LT(exact.solve_and_residual(), 1e-12);
  EXPECT_EQ(refinement.checked(), 2);
  EXPECT_EQ(refinement.refined(), 0);
}

TEST(SolveRefinement, ZeroThresholdAttachesNothing) {
  System plain(PCJACOBI);
  SolveRefinement off(0);
  off.attach(plain.ksp);
  plain.solve_and_residual();
  EXPECT_EQ(off.checked(), 0);
}

}  // namespace
