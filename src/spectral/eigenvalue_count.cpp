// Eigenvalue counting by the inertia of an LDLᵀ factorisation (MUMPS).
#include "spectralbrain/spectral/eigenvalue_count.hpp"

#include <cmath>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"

namespace spectralbrain::spectral {

std::int64_t count_eigenvalues_below(const fem::Operators& ops, double tau) {
  if (!std::isfinite(tau))
    throw core::InputError("eigenvalue count", "", core::cat("the shift ", tau, " is not finite"));
  Mat L = ops.stiffness.get(), M = ops.mass.get();
  MPI_Comm comm = MPI_COMM_NULL;
  SB_PETSC(PetscObjectGetComm(reinterpret_cast<PetscObject>(L), &comm));

  core::PMat shifted;
  SB_PETSC(MatDuplicate(L, MAT_COPY_VALUES, shifted.out()));
  SB_PETSC(MatAXPY(shifted.get(), -tau, M, SUBSET_NONZERO_PATTERN));
  // Indefinite in general: MUMPS must use LDLᵀ with pivoting (SYM = 2), not LLᵀ.
  SB_PETSC(MatSetOption(shifted.get(), MAT_SYMMETRIC, PETSC_TRUE));
  SB_PETSC(MatSetOption(shifted.get(), MAT_SPD, PETSC_FALSE));

  core::PMat factor;
  SB_PETSC(MatGetFactor(shifted.get(), MATSOLVERMUMPS, MAT_FACTOR_CHOLESKY, factor.out()));
  // With ScaLAPACK on the root front (ICNTL(13) = 0, the parallel default) MUMPS does not
  // count that front's negative pivots, and PETSc refuses to report the inertia.
  if (core::size(comm) > 1) SB_PETSC(MatMumpsSetIcntl(factor.get(), 13, 1));
  MatFactorInfo info;
  SB_PETSC(MatFactorInfoInitialize(&info));
  SB_PETSC(MatCholeskyFactorSymbolic(factor.get(), shifted.get(), nullptr, &info));
  SB_PETSC(MatCholeskyFactorNumeric(factor.get(), shifted.get(), &info));
  // Only the negative count: asking for zero pivots would need null-pivot detection
  // (ICNTL(24)), which perturbs tiny pivots.
  PetscInt negative = 0;
  SB_PETSC(MatGetInertia(factor.get(), &negative, nullptr, nullptr));
  return negative;
}

}  // namespace spectralbrain::spectral
