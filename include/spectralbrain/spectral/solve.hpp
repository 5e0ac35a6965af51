// The eigen-solve: the k eigenpairs of L φ = λ M φ nearest a shift, by SLEPc.
//
// Method (the defaults; petsc_options/eigen.opts states the same): Krylov–Schur on the
// generalized Hermitian problem with shift-and-invert at σ = −0.01 (L is singular, its
// kernel the constants, so a small negative σ keeps L − σM positive definite and makes the
// smallest eigenvalues the best separated), eigenvalues ordered by |λ − σ|, the shifted
// system factored once by a direct Cholesky (KSPPREONLY + PCCHOLESKY), tolerance 1e-10.
// The factorisation package depends on the communicator: on one rank PETSc's own sequential
// Cholesky with nested-dissection ordering (-st_pc_factor_mat_solver_type petsc
// -st_pc_factor_mat_ordering_type nd; its triangular solves are ~5x faster than MUMPS's
// here), on more ranks MUMPS (distributed). PETSc's LDLᵀ does not pivot, so where the
// shifted matrix is indefinite (σ ≥ 0, or the interior shifts of slicing) every solve's
// backward error is checked and the few bad ones get one step of iterative refinement
// (-sb_refine_threshold, default 1e-12; 0 turns it off; SolveInfo counts them); with σ < 0 the
// matrix is positive definite and a plain solve is exact to rounding. The code sets these first and
// calls EPSSetFromOptions last, so every PETSc/SLEPc option (command line, -options_file) overrides
// them; petsc_options/README.md has the measurements behind the choices.
//
// Spectrum slicing (SolveOptions::slicing, or the option -sb_slicing; off by default,
// petsc_options/eigen-fast.opts turns it on). Instead of one Krylov space at σ, SLEPc
// computes every eigenvalue in [σ, b] (it is given (−∞, b], which holds the same ones for
// σ < 0 and saves a factorisation per partition) with shifts spread over the interval, each shift
// keeping only its neighbourhood's vectors in the Krylov basis — the orthogonalisation,
// which grows like k² and dominates large-k solves, then grows like k·nev. b is
// (1 + margin)·4πk/A (Weyl's law for a closed surface of area A; margin
// SolveOptions::slicing_margin or -sb_slicing_margin, default 0.02), widened until the
// inertia of L − bM counts at least k eigenvalues below b. The interval is split into one
// partition per rank (-eps_krylovschur_partitions overrides), each factoring sequentially
// with the same package rule as above (refined solves: the shifts lie inside the spectrum).
// Vectors found at different shifts are orthogonal only to about residual/gap, so a
// Rayleigh–Ritz step over all pairs of the interval follows; it restores M-orthonormality to
// rounding and removes the mixing of close eigenvalues found at different shifts. The
// k smallest Ritz pairs are returned. Residuals are relative to max(|λ|, |σ|) as without
// slicing, except that the kernel pair (λ = 0) is found near a shift away from 0 and its
// residual scales with the distance: for meshes whose λ₁ ≫ |σ| compare it with λ₁ (its
// eigenvector is as accurate as without slicing). An -eps_interval option also selects
// slicing, with that interval as given (an error if it holds fewer than k eigenvalues).
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
#include <vector>

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
  /// Not done with slicing, whose inertias already prove completeness.
  bool check_count = true;
  bool slicing = false;          ///< spectrum slicing (file comment); -sb_slicing overrides
  double slicing_margin = 0.02;  ///< b = (1 + margin)·4πk/A; -sb_slicing_margin overrides
};

/// What the solver did, for logs and output attributes (values actually used, i.e. after
/// the options database was applied).
struct SolveInfo {
  int n_requested = 0;               ///< k
  int n_converged = 0;               ///< pairs SLEPc reports converged (may exceed k), all solves
  int n_iterations = 0;              ///< Krylov–Schur restarts, all solves
  int n_recovered = 0;               ///< pairs found by deflated re-solves after the count check
  double count_shift = 0;            ///< τ of the count check, or b with slicing (0 if neither)
  std::int64_t n_below_shift = -1;   ///< eigenvalues below τ (in [σ, b]) by inertia, or -1
  bool slicing = false;              ///< spectrum slicing was used
  int n_partitions = 1;              ///< slicing partitions (sub-intervals solved concurrently)
  std::vector<double> subintervals;  ///< with slicing: the n_partitions + 1 cut points, σ to b
  int max_iterations = 0;            ///< the iteration limit used
  int ncv = 0;                       ///< subspace dimension used (per shift with slicing)
  double sigma = 0;                  ///< the target used
  double tolerance = 0;              ///< the tolerance used
  double max_residual = 0;  ///< max_j ‖Lφⱼ − λⱼMφⱼ‖₂ / ‖Mφⱼ‖₂ of the returned pairs
  std::int64_t n_checked_solves = 0;  ///< solves with the unpivoted LDLᵀ whose residual was checked
  std::int64_t n_refined_solves = 0;  ///< of those, the ones refined (backward error > threshold)
  std::string converged_reason;       ///< SLEPc's EPSConvergedReason, as text
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
/// pairs. With slicing, SLEPc checks every sub-interval against the inertias at its ends,
/// and SolveInfo reports b and the number of eigenvalues in [σ, b].
///
/// @param ops      L and M from fem::assemble (not modified)
/// @param options  k, σ, tolerance, count check; PETSc options (-eps_*, -st_*) take precedence
/// @param timer    if given, stages "factor" (EPSSetUp: the Cholesky factorisation of
///                 L − σM; with slicing those at the interval ends), "solve" (EPSSolve,
///                 re-solves, Rayleigh–Ritz, extraction of the results) and "count" (the
///                 inertia check)
/// @param info     if given, filled with what the solver did — also when the solve throws
///                 ComputationError
/// @return the k eigenpairs
/// @throws core::InputError if k < 1, k ≥ N, σ or the tolerance is not finite/positive,
///         -eps_nev asks for fewer than k pairs, or slicing is asked for with σ ≥ 0
/// @throws core::ComputationError if fewer than k pairs converge (the message says how many
///         and which options to change), an eigenvalue is not finite, the count check
///         still finds eigenvalues missing after 3 deflated re-solves, or a slicing interval
///         holds fewer than k eigenvalues
/// @throws core::LibraryError if a PETSc/SLEPc/MPI call fails (e.g. the factorisation)
Eigenpairs solve(const fem::Operators& ops, const SolveOptions& options = {},
                 core::StageTimer* timer = nullptr, SolveInfo* info = nullptr);

}  // namespace spectralbrain::spectral
