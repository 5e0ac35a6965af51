// The eigen-solve: the k eigenpairs of L φ = λ M φ nearest a shift, by SLEPc.
//
// Method (the defaults; petsc_options/eigen.opts states the same): Krylov–Schur on the
// generalized Hermitian problem with shift-and-invert at σ = −0.01 (L is singular, its
// kernel the constants, so a small negative σ keeps L − σM positive definite and makes the
// smallest eigenvalues the best separated), eigenvalues ordered by |λ − σ|, the shifted
// system factored once by a direct Cholesky (KSPPREONLY + PCCHOLESKY, MUMPS), tolerance
// 1e-10. The code sets these first and calls EPSSetFromOptions last, so every PETSc/SLEPc
// option (command line, -options_file) overrides them.
//
// Sign rule (Eigenpairs::vectors). An eigenvector is defined up to sign. Let m = max_i |φ_i|;
// among the rows with |φ_i| ≥ (1 − 10⁻⁶)·m — the maximum, with near-ties such as the
// symmetric copies of a maximum on a symmetric mesh — the one with the smallest input
// index is made positive. The rule depends only on input order, so the result is the same for
// every rank count and partition. For a repeated eigenvalue no rule fixes the basis of the
// eigenspace; compare such vectors as subspaces.
#pragma once

#include <cstdint>
#include <string>

#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::spectral {

/// The coded defaults of solve(); PETSc options override them (see the file comment).
struct SolveOptions {
  int k = 100;               ///< number of eigenpairs, 1 ≤ k < N
  double sigma = -0.01;      ///< shift-and-invert target σ (units: 1/length²), < 0 for LBO
  double tolerance = 1e-10;  ///< SLEPc convergence tolerance (-eps_tol)
  /// Verify with an inertia count that no eigenvalue below the k-th was missed, and recover
  /// missed ones by a deflated re-solve (see solve()). Costs one extra LDLᵀ factorisation.
  bool check_count = true;
};

/// What the solver did, for logs and output attributes (values actually used, i.e. after
/// the options database was applied).
struct SolveInfo {
  int n_requested = 0;              ///< k
  int n_converged = 0;              ///< pairs SLEPc reports converged (may exceed k), all solves
  int n_iterations = 0;             ///< Krylov–Schur restarts, all solves
  int n_recovered = 0;              ///< pairs found by deflated re-solves after the count check
  double count_shift = 0;           ///< τ of the count check (0 if not done)
  std::int64_t n_below_shift = -1;  ///< eigenvalues below τ by inertia (-1 if not done)
  int max_iterations = 0;           ///< the iteration limit used
  int ncv = 0;                      ///< subspace dimension used
  double sigma = 0;                 ///< the target used
  double tolerance = 0;             ///< the tolerance used
  double max_residual = 0;  ///< max_j ‖Lφⱼ − λⱼMφⱼ‖₂ / ‖Mφⱼ‖₂ of the returned pairs
  std::string converged_reason;  ///< SLEPc's EPSConvergedReason, as text
  std::string eps_type, st_type, ksp_type, pc_type, factor_solver;  ///< methods used
};

/// Solves L φ = λ M φ for the k eigenpairs nearest the target σ (with σ < 0 and no options
/// overriding it: the k smallest), returned in ascending order.
///
/// Collective on the communicator of `ops`. Results follow Eigenpairs' conventions:
/// values (k,) ascending and the same on every rank; vectors M-normalised (each φⱼ scaled so
/// φⱼᵀMφⱼ = 1; SLEPc's basis is M-orthogonal), signs canonicalised (file comment), rows in
/// input vertex order split in contiguous blocks like PetscSplitOwnership (rank r holds
/// the rows after rank r−1's); residuals computed here from L and M, not SLEPc's estimates.
///
/// Completeness. A Krylov space grown from one start vector can miss copies of a repeated
/// eigenvalue and still report convergence (it happens on spheres). With
/// `options.check_count` (and σ ≤ 0 with a target ordering, so that "nearest σ" means
/// "smallest"), the number of eigenvalues below τ = λ_k + 10⁻⁶·max(|λ_k|, |σ|) is counted
/// exactly from the inertia of L − τM (count_eigenvalues_below) and compared with the
/// number found; missing ones are then computed by re-solving with everything found so far
/// as a deflation space (up to 3 rounds). SolveInfo reports τ, the count and the recovered
/// pairs.
///
/// @param ops      L and M from fem::assemble (not modified)
/// @param options  k, σ, tolerance, count check; PETSc options (-eps_*, -st_*) take precedence
/// @param timer    if given, stages "factor" (EPSSetUp: the Cholesky factorisation of
///                 L − σM), "solve" (EPSSolve, re-solves, extraction of the results) and
///                 "count" (the inertia check)
/// @param info     if given, filled with what the solver did — also when the solve throws
///                 ComputationError
/// @return the k eigenpairs
/// @throws core::InputError if k < 1, k ≥ N, σ or the tolerance is not finite/positive, or
///         -eps_nev asks for fewer than k pairs
/// @throws core::ComputationError if fewer than k pairs converge (the message says how many
///         and which options to change), an eigenvalue is not finite, or the count check
///         still finds eigenvalues missing after 3 deflated re-solves
/// @throws core::LibraryError if a PETSc/SLEPc/MPI call fails (e.g. the factorisation)
Eigenpairs solve(const fem::Operators& ops, const SolveOptions& options = {},
                 core::StageTimer* timer = nullptr, SolveInfo* info = nullptr);

}  // namespace spectralbrain::spectral
