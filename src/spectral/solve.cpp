// SLEPc shift-and-invert Krylov–Schur for L φ = λ M φ, and the post-processing that makes the
// result independent of the partition: M-normalisation, residuals, input order, signs.
#include "spectralbrain/spectral/solve.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/spectral/eigenvalue_count.hpp"

namespace spectralbrain::spectral {

namespace {

std::string type_name(PetscObject object) {
  const char* name = nullptr;
  SB_PETSC(PetscObjectGetType(object, &name));
  return name ? name : "";
}

// Records the methods the solver ended up with (after EPSSetFromOptions).
void describe_methods(EPS eps, SolveInfo& info) {
  ST st = nullptr;
  KSP ksp = nullptr;
  PC pc = nullptr;
  SB_PETSC(EPSGetST(eps, &st));
  SB_PETSC(STGetKSP(st, &ksp));
  SB_PETSC(KSPGetPC(ksp, &pc));
  info.eps_type = type_name(reinterpret_cast<PetscObject>(eps));
  info.st_type = type_name(reinterpret_cast<PetscObject>(st));
  info.ksp_type = type_name(reinterpret_cast<PetscObject>(ksp));
  info.pc_type = type_name(reinterpret_cast<PetscObject>(pc));
  PetscBool factor = PETSC_FALSE;
  SB_PETSC(PetscObjectTypeCompareAny(reinterpret_cast<PetscObject>(pc), &factor, PCCHOLESKY, PCLU,
                                     PCICC, PCILU, ""));
  if (factor) {
    MatSolverType solver = nullptr;
    SB_PETSC(PCFactorGetMatSolverType(pc, &solver));
    info.factor_solver = solver ? solver : "";
  }
  PetscScalar target = 0;
  PetscReal tol = 0;
  PetscInt max_it = 0, nev = 0, ncv = 0, mpd = 0;
  SB_PETSC(EPSGetTarget(eps, &target));
  SB_PETSC(EPSGetTolerances(eps, &tol, &max_it));
  SB_PETSC(EPSGetDimensions(eps, &nev, &ncv, &mpd));
  info.sigma = PetscRealPart(target);
  info.tolerance = tol;
  info.max_iterations = static_cast<int>(max_it);
  info.ncv = static_cast<int>(ncv);
}

// Makes the sign of each column of the n_local × k row-major block canonical (rule in
// solve.hpp). Rows are in input order starting at global row `row_begin`. Three reductions
// of length k, for all columns at once.
void canonicalise_signs(std::vector<double>& vectors, std::int64_t n_local, int k,
                        std::int64_t row_begin, MPI_Comm comm) {
  constexpr double tie = 1e-6;
  std::vector<double> peak(k, 0.0);
  for (std::int64_t i = 0; i < n_local; ++i)
    for (int j = 0; j < k; ++j) peak[j] = std::max(peak[j], std::abs(vectors[i * k + j]));
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, peak.data(), k, MPI_DOUBLE, MPI_MAX, comm));

  std::vector<std::int64_t> first(k, std::numeric_limits<std::int64_t>::max());
  for (int j = 0; j < k; ++j)
    for (std::int64_t i = 0; i < n_local; ++i)
      if (std::abs(vectors[i * k + j]) >= (1 - tie) * peak[j]) {
        first[j] = row_begin + i;
        break;
      }
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, first.data(), k, MPI_INT64_T, MPI_MIN, comm));

  // The owner of the chosen row contributes its sign, everyone else 0.
  std::vector<double> sign(k, 0.0);
  for (int j = 0; j < k; ++j)
    if (first[j] >= row_begin && first[j] < row_begin + n_local)
      sign[j] = vectors[(first[j] - row_begin) * k + j] < 0 ? -1.0 : 1.0;
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, sign.data(), k, MPI_DOUBLE, MPI_SUM, comm));
  for (std::int64_t i = 0; i < n_local; ++i)
    for (int j = 0; j < k; ++j)
      if (sign[j] < 0) vectors[i * k + j] = -vectors[i * k + j];
}

}  // namespace

Eigenpairs solve(const fem::Operators& ops, const SolveOptions& options, core::StageTimer* timer,
                 SolveInfo* info_out) {
  Mat L = ops.stiffness.get(), M = ops.mass.get();
  MPI_Comm comm = MPI_COMM_NULL;
  SB_PETSC(PetscObjectGetComm(reinterpret_cast<PetscObject>(L), &comm));
  PetscInt n = 0;
  SB_PETSC(MatGetSize(L, &n, nullptr));
  const int k = options.k;
  if (k < 1 || k >= n)
    throw core::InputError("--k", "",
                           core::cat("k = ", k, " eigenpairs asked for, but 1 <= k < N = ", n,
                                     " (the number of mesh vertices) is required"));
  if (!std::isfinite(options.sigma))
    throw core::InputError("--sigma", "", core::cat("the shift ", options.sigma, " is not finite"));
  if (!(options.tolerance > 0) || !std::isfinite(options.tolerance))
    throw core::InputError("-eps_tol", "",
                           core::cat("the tolerance ", options.tolerance, " must be positive"));

  SolveInfo info;
  info.n_requested = k;
  auto publish = [&] {
    if (info_out) *info_out = info;
  };

  // Coded defaults first; EPSSetFromOptions last so that the options database wins.
  core::PEps eps;
  SB_PETSC(EPSCreate(comm, eps.out()));
  SB_PETSC(EPSSetOperators(eps.get(), L, M));
  SB_PETSC(EPSSetProblemType(eps.get(), EPS_GHEP));
  SB_PETSC(EPSSetType(eps.get(), EPSKRYLOVSCHUR));
  SB_PETSC(EPSSetDimensions(eps.get(), k, PETSC_DEFAULT, PETSC_DEFAULT));
  SB_PETSC(EPSSetTolerances(eps.get(), options.tolerance, PETSC_DEFAULT));
  SB_PETSC(EPSSetTarget(eps.get(), options.sigma));
  SB_PETSC(EPSSetWhichEigenpairs(eps.get(), EPS_TARGET_MAGNITUDE));
  ST st = nullptr;
  KSP ksp = nullptr;
  PC pc = nullptr;
  SB_PETSC(EPSGetST(eps.get(), &st));
  SB_PETSC(STSetType(st, STSINVERT));
  // M's pattern is part of L's (fem::assemble guarantees it), which makes forming L − σM cheap.
  SB_PETSC(STSetMatStructure(st, SUBSET_NONZERO_PATTERN));
  SB_PETSC(STGetKSP(st, &ksp));
  SB_PETSC(KSPSetType(ksp, KSPPREONLY));
  SB_PETSC(KSPGetPC(ksp, &pc));
  SB_PETSC(PCSetType(pc, PCCHOLESKY));
  SB_PETSC(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  SB_PETSC(EPSSetFromOptions(eps.get()));

  PetscInt nev = 0;
  SB_PETSC(EPSGetDimensions(eps.get(), &nev, nullptr, nullptr));
  if (nev < k)
    throw core::InputError("-eps_nev", "",
                           core::cat("-eps_nev ", nev, " asks for fewer pairs than k = ", k));

  {
    std::optional<core::StageTimer::Scope> stage;
    if (timer) stage.emplace(*timer, "factor");
    SB_PETSC(EPSSetUp(eps.get()));
  }
  describe_methods(eps.get(), info);
  EPSWhich which = EPS_TARGET_MAGNITUDE;
  SB_PETSC(EPSGetWhichEigenpairs(eps.get(), &which));
  // The count check needs "the pairs nearest σ" to mean "the smallest" (λ ≥ 0 > σ).
  const bool check_count = options.check_count && info.sigma <= 0 &&
                           (which == EPS_TARGET_MAGNITUDE || which == EPS_TARGET_REAL);

  std::optional<core::StageTimer::Scope> stage;
  if (timer) stage.emplace(*timer, "solve");
  // Converged pairs: from the last EPSSolve (`index`) or kept from an earlier one (`kept`).
  struct Found {
    double value;
    PetscInt index;
    core::PVec kept;
  };
  std::vector<Found> found;
  auto run = [&](PetscInt wanted) {
    SB_PETSC(EPSSolve(eps.get()));
    PetscInt n_conv = 0, n_it = 0;
    EPSConvergedReason reason;
    SB_PETSC(EPSGetConverged(eps.get(), &n_conv));
    SB_PETSC(EPSGetIterationNumber(eps.get(), &n_it));
    SB_PETSC(EPSGetConvergedReason(eps.get(), &reason));
    info.n_converged += static_cast<int>(n_conv);
    info.n_iterations += static_cast<int>(n_it);
    info.converged_reason = EPSConvergedReasons[reason];
    if (n_conv < wanted) {
      publish();
      throw core::ComputationError(core::cat(
          "eigensolver: only ", n_conv, " of ", wanted, " eigenpairs converged in ", n_it,
          " iterations (limit ", info.max_iterations, ", tolerance ", info.tolerance, ", ncv ",
          info.ncv, ", reason ", info.converged_reason,
          "); try more iterations (-eps_max_it), a larger subspace (-eps_ncv, e.g. 2k or more) "
          "or a looser tolerance (-eps_tol)"));
    }
    for (PetscInt i = 0; i < n_conv; ++i) {
      PetscScalar re = 0, im = 0;
      SB_PETSC(EPSGetEigenvalue(eps.get(), i, &re, &im));
      if (!std::isfinite(PetscRealPart(re))) {
        publish();
        throw core::ComputationError(
            core::cat("eigensolver: eigenvalue ", i, " is not finite (", PetscRealPart(re), ")"));
      }
      found.push_back({PetscRealPart(re), i, core::PVec()});
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const Found& a, const Found& b) { return a.value < b.value; });
  };
  run(k);
  // Without the check, keep SLEPc's k best (nearest the target, whatever the options made it);
  // with it (σ ≤ 0), every converged pair takes part, in ascending order.
  if (!check_count)
    found.erase(
        std::remove_if(found.begin(), found.end(), [&](const Found& f) { return f.index >= k; }),
        found.end());

  core::PVec x, mx, lx, y;
  SB_PETSC(MatCreateVecs(L, x.out(), mx.out()));
  SB_PETSC(VecDuplicate(x.get(), lx.out()));

  // Sylvester check: every eigenvalue below τ (just above the k-th found) must have been
  // found. Krylov–Schur can miss copies of a repeated eigenvalue; if it did, solve again
  // with everything found so far deflated, asking for the missing number.
  constexpr int max_rounds = 3;
  for (int round = 0; check_count; ++round) {
    stage.reset();
    std::optional<core::StageTimer::Scope> count_stage;
    if (timer) count_stage.emplace(*timer, "count");
    const double kth = found[k - 1].value;
    const double tau = kth + 1e-6 * std::max(std::abs(kth), std::abs(info.sigma));
    const auto n_found =
        std::count_if(found.begin(), found.end(), [&](const Found& f) { return f.value < tau; });
    const std::int64_t n_below = count_eigenvalues_below(ops, tau);
    info.count_shift = tau;
    info.n_below_shift = n_below;
    count_stage.reset();
    if (timer) stage.emplace(*timer, "solve");
    if (n_below <= n_found) break;
    if (round == max_rounds) {
      publish();
      throw core::ComputationError(core::cat(
          "eigensolver: L - tau M has ", n_below, " negative pivots, so ", n_below,
          " eigenvalues lie below tau = ", tau, ", but only ", n_found, " were found after ",
          max_rounds, " deflated re-solves (repeated eigenvalues?); try a larger -eps_ncv"));
    }
    found.erase(found.begin() + n_found, found.end());
    std::vector<Vec> space;
    for (auto& f : found) {
      if (!f.kept) {
        SB_PETSC(VecDuplicate(x.get(), f.kept.out()));
        SB_PETSC(EPSGetEigenvector(eps.get(), f.index, f.kept.get(), nullptr));
      }
      space.push_back(f.kept.get());
    }
    const PetscInt missing = static_cast<PetscInt>(n_below - n_found);
    info.n_recovered += static_cast<int>(missing);
    SB_PETSC(EPSSetDeflationSpace(eps.get(), static_cast<PetscInt>(space.size()), space.data()));
    SB_PETSC(EPSSetDimensions(eps.get(), missing, PETSC_DEFAULT, PETSC_DEFAULT));
    run(missing);
  }

  // Input-order rows of this rank: the PetscSplitOwnership block of N.
  const int size = core::size(comm), rank = core::rank(comm);
  Eigenpairs pairs;
  pairs.n_rows_global = n;
  pairs.row_begin = rank * (n / size) + std::min<std::int64_t>(rank, n % size);
  pairs.n_rows_local =
      (rank + 1) * (n / size) + std::min<std::int64_t>(rank + 1, n % size) - pairs.row_begin;
  pairs.values.resize(k);
  pairs.residuals.resize(k);
  pairs.vectors.resize(static_cast<std::size_t>(pairs.n_rows_local) * k);

  // Scatter PETSc order → input order: natural row i comes from PETSc row petsc_of_input[i].
  SB_PETSC(VecCreateMPI(comm, static_cast<PetscInt>(pairs.n_rows_local), n, y.out()));
  const auto first = ops.numbering.petsc_of_input.begin() + pairs.row_begin;
  std::vector<PetscInt> sources(first, first + pairs.n_rows_local);
  core::PIs from;
  SB_PETSC(ISCreateGeneral(comm, static_cast<PetscInt>(sources.size()), sources.data(),
                           PETSC_USE_POINTER, from.out()));
  core::PVecScatter to_input;
  SB_PETSC(VecScatterCreate(x.get(), from.get(), y.get(), nullptr, to_input.out()));

  for (int j = 0; j < k; ++j) {
    const double lambda = found[j].value;
    if (found[j].kept)
      SB_PETSC(VecCopy(found[j].kept.get(), x.get()));
    else
      SB_PETSC(EPSGetEigenvector(eps.get(), found[j].index, x.get(), nullptr));
    // SLEPc M-normalises GHEP eigenvectors; make it exact to rounding.
    SB_PETSC(MatMult(M, x.get(), mx.get()));
    PetscScalar xmx = 0;
    SB_PETSC(VecDot(x.get(), mx.get(), &xmx));
    const double scale = 1.0 / std::sqrt(PetscRealPart(xmx));
    SB_PETSC(VecScale(x.get(), scale));
    SB_PETSC(VecScale(mx.get(), scale));
    SB_PETSC(MatMult(L, x.get(), lx.get()));
    SB_PETSC(VecAXPY(lx.get(), -lambda, mx.get()));
    PetscReal r = 0, m = 0;
    SB_PETSC(VecNorm(lx.get(), NORM_2, &r));
    SB_PETSC(VecNorm(mx.get(), NORM_2, &m));
    pairs.values[j] = lambda;
    pairs.residuals[j] = r / m;

    SB_PETSC(VecScatterBegin(to_input.get(), x.get(), y.get(), INSERT_VALUES, SCATTER_FORWARD));
    SB_PETSC(VecScatterEnd(to_input.get(), x.get(), y.get(), INSERT_VALUES, SCATTER_FORWARD));
    const PetscScalar* local = nullptr;
    SB_PETSC(VecGetArrayRead(y.get(), &local));
    for (std::int64_t i = 0; i < pairs.n_rows_local; ++i)
      pairs.vectors[i * k + j] = PetscRealPart(local[i]);
    SB_PETSC(VecRestoreArrayRead(y.get(), &local));
  }
  canonicalise_signs(pairs.vectors, pairs.n_rows_local, k, pairs.row_begin, comm);
  info.max_residual = *std::max_element(pairs.residuals.begin(), pairs.residuals.end());
  publish();
  return pairs;
}

}  // namespace spectralbrain::spectral
