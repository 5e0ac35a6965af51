// SLEPc shift-and-invert Krylov–Schur for L φ = λ M φ, and the post-processing that makes the
// result independent of the partition: M-normalisation, residuals, input order, signs.
#include "spectralbrain/spectral/solve.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include <petsc/private/petscimpl.h>  // PetscObjectStateGet/Set, in the private header in 3.18
#include <petscblaslapack.h>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/spectral/borrowed_column.hpp"
#include "spectralbrain/spectral/eigenvalue_count.hpp"
#include "spectralbrain/spectral/refinement.hpp"

namespace spectralbrain::spectral {

namespace {

using PBV = core::PetscObject<BV, BVDestroy>;

// Pairs per block when the residuals are computed and the vectors put in input order (solve):
// L and M are read once per block. Small, since with the eigensolver still alive (no slicing)
// the block's five work vectors add to the peak memory (batch/memory_model.cpp counts them).
constexpr PetscInt collect_block = 8;

// The coded default of a factorisation's KSP: a direct Cholesky solve, with PETSc's own
// sequential Cholesky (nested-dissection ordering) on a one-rank communicator and MUMPS on
// a distributed one. On one rank PETSc's triangular solves run at the memory-bandwidth limit
// (about 5x faster per solve than MUMPS's on these meshes; petsc_options/README.md).
//
// `refinement`: the shifts may lie inside the spectrum (slicing, or σ ≥ 0), where L − sM is
// indefinite and PETSc's LDLᵀ, which does not pivot, gives a few bad solves; they are checked
// and refined (SolveRefinement, -sb_refine_threshold). MUMPS pivots and needs none.
void set_factorization_defaults(KSP ksp, SolveRefinement* refinement) {
  MPI_Comm comm = MPI_COMM_NULL;
  SB_PETSC(PetscObjectGetComm(reinterpret_cast<PetscObject>(ksp), &comm));
  PC pc = nullptr;
  SB_PETSC(KSPSetType(ksp, KSPPREONLY));
  SB_PETSC(KSPGetPC(ksp, &pc));
  SB_PETSC(PCSetType(pc, PCCHOLESKY));
  if (core::size(comm) == 1) {
    SB_PETSC(PCFactorSetMatSolverType(pc, MATSOLVERPETSC));
    SB_PETSC(PCFactorSetMatOrderingType(pc, MATORDERINGND));
    if (refinement) refinement->attach(ksp);
  } else {
    SB_PETSC(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  }
}

// Spectrum slicing refactors L − sM at every shift s. SLEPc forms it in place, copying L with
// MatCopy(..., DIFFERENT_NONZERO_PATTERN) and adding −sM, and PCSetUp repeats the symbolic
// factorisation whenever that matrix's nonzero state has risen. The pattern never changes, but
// in PETSc 3.18 such a copy leaves the target with a nonzero state of its entry count + 2
// (measured), the state a matrix filled through MatSetValues has anyway. A matrix filled
// otherwise (our COO-assembled L, which a single partition works on; SLEPc's redundant copies,
// which several partitions work on) starts near 0, so its state jumped at the first copy and
// the second shift redid the symbolic factorisation: 1.2 s per rank at 163,842 vertices, as
// long as a numeric one. Passing the partition's operator (the child KSP's, before anything is
// factored) through the same copy once settles the state, and every later shift reuses the
// symbolic factorisation. The values are unchanged, so the object state goes back to what it
// was: SLEPc compares it to detect operators modified behind its back.
void settle_nonzero_state(KSP ksp) {
  PetscBool set = PETSC_FALSE;
  SB_PETSC(KSPGetOperatorsSet(ksp, &set, nullptr));
  if (!set) return;
  Mat A = nullptr;
  SB_PETSC(KSPGetOperators(ksp, &A, nullptr));
  auto* object = reinterpret_cast<::PetscObject>(A);
  PetscObjectState state = 0;
  SB_PETSC(PetscObjectStateGet(object, &state));
  core::PMat values;
  SB_PETSC(MatDuplicate(A, MAT_COPY_VALUES, values.out()));
  SB_PETSC(MatCopy(values.get(), A, DIFFERENT_NONZERO_PATTERN));
  SB_PETSC(MatPropagateSymmetryOptions(values.get(), A));
  SB_PETSC(PetscObjectStateSet(object, state));
}

// Whether to slice the spectrum, with the options database over SolveOptions.
struct Slicing {
  bool on = false;
  double margin = 0;
  bool user_interval = false;      // -eps_interval given: used as is, never enlarged
  bool user_subintervals = false;  // -eps_krylovschur_subintervals given: SLEPc applies them
};

Slicing slicing_choice(const SolveOptions& options) {
  Slicing s;
  PetscBool on = options.slicing ? PETSC_TRUE : PETSC_FALSE, interval = PETSC_FALSE;
  PetscReal margin = options.slicing_margin;
  SB_PETSC(PetscOptionsGetBool(nullptr, nullptr, "-sb_slicing", &on, nullptr));
  SB_PETSC(PetscOptionsGetReal(nullptr, nullptr, "-sb_slicing_margin", &margin, nullptr));
  SB_PETSC(PetscOptionsHasName(nullptr, nullptr, "-eps_interval", &interval));
  s.user_interval = interval;
  PetscBool subintervals = PETSC_FALSE;
  SB_PETSC(PetscOptionsHasName(nullptr, nullptr, "-eps_krylovschur_subintervals", &subintervals));
  s.user_subintervals = subintervals;
  s.on = on || interval;
  s.margin = margin;
  return s;
}

// Total area of the surface: 1ᵀM1 (the same for the consistent and the lumped mass).
double surface_area(Mat M) {
  core::PVec one, m_one;
  SB_PETSC(MatCreateVecs(M, one.out(), m_one.out()));
  SB_PETSC(VecSet(one.get(), 1.0));
  SB_PETSC(MatMult(M, one.get(), m_one.get()));
  PetscScalar area = 0;
  SB_PETSC(VecSum(m_one.get(), &area));
  return PetscRealPart(area);
}

// Number of eigenvalues in the slicing interval, from the inertias SLEPc computed at its
// ends during EPSSetUp.
PetscInt eigenvalues_in_interval(EPS eps) {
  PetscInt n = 0;
  PetscReal* shifts = nullptr;
  PetscInt* inertias = nullptr;
  SB_PETSC(EPSKrylovSchurGetInertias(eps, &n, &shifts, &inertias));
  const PetscInt count = n > 0 ? inertias[n - 1] - inertias[0] : 0;
  SB_PETSC(PetscFree(shifts));
  SB_PETSC(PetscFree(inertias));
  return count;
}

// The lower triangle of XᵀAX (column-major, n_cols × n_cols), summed over the ranks: W = AX
// by one sparse-times-dense product, then XᵀW by column blocks, each block computing only its
// rows at and below the diagonal. XᵀAX is symmetric for symmetric A, and the GEMMs, which are
// compute-bound here, do about half the work of a full product (BVMatProject).
std::vector<double> lower_gram(BV X, Mat A, BV W, PetscInt n_cols, MPI_Comm comm) {
  SB_PETSC(BVMatMult(X, A, W));
  PetscInt n_local = 0;
  SB_PETSC(BVGetSizes(X, &n_local, nullptr, nullptr));
  std::vector<double> g(static_cast<std::size_t>(n_cols) * n_cols, 0.0);
  const PetscScalar* px = nullptr;
  const PetscScalar* pw = nullptr;
  SB_PETSC(BVGetArrayRead(X, &px));
  SB_PETSC(BVGetArrayRead(W, &pw));
  constexpr PetscInt block = 32;
  PetscBLASInt ld = 0, ldg = 0;
  SB_PETSC(PetscBLASIntCast(std::max<PetscInt>(n_local, 1), &ld));
  SB_PETSC(PetscBLASIntCast(n_cols, &ldg));
  if (n_local > 0)
    for (PetscInt j0 = 0; j0 < n_cols; j0 += block) {
      PetscBLASInt rows = 0, cols = 0, inner = 0;
      SB_PETSC(PetscBLASIntCast(n_cols - j0, &rows));
      SB_PETSC(PetscBLASIntCast(std::min(block, n_cols - j0), &cols));
      SB_PETSC(PetscBLASIntCast(n_local, &inner));
      const PetscScalar one = 1, zero = 0;
      BLASgemm_("T", "N", &rows, &cols, &inner, &one, px + j0 * n_local, &ld, pw + j0 * n_local,
                &ld, &zero, g.data() + j0 + j0 * n_cols, &ldg);
    }
  SB_PETSC(BVRestoreArrayRead(W, &pw));
  SB_PETSC(BVRestoreArrayRead(X, &px));
  SB_MPI(
      MPI_Allreduce(MPI_IN_PLACE, g.data(), static_cast<int>(g.size()), MPI_DOUBLE, MPI_SUM, comm));
  return g;
}

// Rayleigh–Ritz on span(X) for L φ = λ M φ: on return the first k columns of X are the
// M-orthonormal Ritz vectors of the k smallest Ritz values, which are returned (ascending).
// Spectrum slicing computes eigenvectors near different shifts, and vectors from different
// shifts are M-orthogonal only to about residual/gap (1e-7 seen on a brain mesh, with
// residuals 400x the tolerance from the mixing of close eigenvalues); projecting onto their
// joint span restores orthogonality to rounding and removes that mixing. The dense problem
// is solved on rank 0 and broadcast, so every rank applies the same rotation.
std::vector<double> rayleigh_ritz(BV X, Mat L, Mat M, int k, MPI_Comm comm) {
  PetscInt n = 0;
  SB_PETSC(BVGetSizes(X, nullptr, nullptr, &n));
  std::vector<double> q, b;
  {
    PBV w;
    SB_PETSC(BVDuplicate(X, w.out()));
    q = lower_gram(X, L, w.get(), n, comm);
    b = lower_gram(X, M, w.get(), n, comm);
  }
  std::vector<double> w(n);
  PetscBLASInt info = 0;
  if (core::rank(comm) == 0) {
    PetscBLASInt nb = 0, lwork = 0;
    const PetscBLASInt itype = 1;
    SB_PETSC(PetscBLASIntCast(n, &nb));
    SB_PETSC(PetscBLASIntCast(std::max<PetscInt>(1, 66 * n), &lwork));
    std::vector<double> work(lwork);
    LAPACKsygv_(&itype, "V", "L", &nb, q.data(), &nb, b.data(), &nb, w.data(), work.data(), &lwork,
                &info);
  }
  SB_MPI(MPI_Bcast(&info, 1, MPI_INT, 0, comm));
  if (info != 0)
    throw core::ComputationError(core::cat(
        "eigensolver: the Rayleigh-Ritz step after spectrum slicing failed (LAPACK sygv info ",
        info, "): the computed eigenvectors are not linearly independent"));
  SB_MPI(MPI_Bcast(q.data(), static_cast<int>(q.size()), MPI_DOUBLE, 0, comm));
  SB_MPI(MPI_Bcast(w.data(), static_cast<int>(w.size()), MPI_DOUBLE, 0, comm));

  core::PMat rotation;
  SB_PETSC(MatCreateSeqDense(PETSC_COMM_SELF, n, n, nullptr, rotation.out()));
  PetscScalar* pq = nullptr;
  PetscInt ldq = 0;
  SB_PETSC(MatDenseGetLDA(rotation.get(), &ldq));
  SB_PETSC(MatDenseGetArray(rotation.get(), &pq));
  for (PetscInt j = 0; j < n; ++j)
    for (PetscInt i = 0; i < n; ++i) pq[i + j * ldq] = q[i + j * n];
  SB_PETSC(MatDenseRestoreArray(rotation.get(), &pq));
  SB_PETSC(BVMultInPlace(X, rotation.get(), 0, k));
  w.resize(k);
  return w;
}

std::string type_name(PetscObject object) {
  const char* name = nullptr;
  SB_PETSC(PetscObjectGetType(object, &name));
  return name ? name : "";
}

// Records the methods the solver ended up with (after EPSSetFromOptions).
void describe_methods(EPS eps, bool slicing, SolveInfo& info) {
  ST st = nullptr;
  KSP ksp = nullptr;
  PC pc = nullptr;
  SB_PETSC(EPSGetST(eps, &st));
  // With slicing the factorisations belong to SLEPc's internal solver (one per partition).
  if (slicing)
    SB_PETSC(EPSKrylovSchurGetKSP(eps, &ksp));
  else
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
  info.slicing = slicing;
  if (slicing) {
    PetscInt npart = 1;
    SB_PETSC(EPSKrylovSchurGetPartitions(eps, &npart));
    SB_PETSC(EPSKrylovSchurGetDimensions(eps, &nev, &ncv, &mpd));
    info.n_partitions = static_cast<int>(npart);
    info.ncv = static_cast<int>(ncv);
    if (npart > 1) {
      PetscReal* cuts = nullptr;
      SB_PETSC(EPSKrylovSchurGetSubintervals(eps, &cuts));
      info.subintervals.assign(cuts, cuts + npart + 1);
      SB_PETSC(PetscFree(cuts));
    } else {  // SLEPc keeps no cut array for one partition
      PetscReal a = 0, b = 0;
      SB_PETSC(EPSGetInterval(eps, &a, &b));
      info.subintervals = {a, b};
    }
  }
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

  // One pass in storage order (rows of k), not a strided scan per column.
  constexpr auto none = std::numeric_limits<std::int64_t>::max();
  std::vector<std::int64_t> first(k, none);
  for (int j = 0; j < k; ++j) peak[j] *= 1 - tie;
  for (std::int64_t i = 0; i < n_local; ++i)
    for (int j = 0; j < k; ++j)
      if (first[j] == none && std::abs(vectors[i * k + j]) >= peak[j]) first[j] = row_begin + i;
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

// The k pairs in the form solve() returns them: values[j] with the vector that fill(j, v)
// puts into v (laid out like L's rows), M-normalised exactly, their residuals
// ‖Lφ − λMφ‖/‖Mφ‖, and the vectors' rows in input order, n_rows_local × k row-major (signs
// not yet canonical). A block of pairs at a time: one sparse-times-dense product per operator
// and block (L and M are read once per block, not once per pair), one reduction per block,
// and one scatter per block that moves whole rows from PETSc order to input order.
Eigenpairs collect_pairs(const fem::Operators& ops, const std::vector<double>& values,
                         const std::function<void(int, Vec)>& fill) {
  Mat L = ops.stiffness.get(), M = ops.mass.get();
  MPI_Comm comm = MPI_COMM_NULL;
  SB_PETSC(PetscObjectGetComm(reinterpret_cast<PetscObject>(L), &comm));
  PetscInt n = 0;
  SB_PETSC(MatGetSize(L, &n, nullptr));
  const int k = static_cast<int>(values.size());
  // Input-order rows of this rank: the PetscSplitOwnership block of N.
  const auto mine = core::row_block(n, core::rank(comm), core::size(comm));
  Eigenpairs pairs;
  pairs.n_rows_global = n;
  pairs.row_begin = mine.begin;
  pairs.n_rows_local = mine.count;
  pairs.values.resize(k);
  pairs.residuals.resize(k);
  pairs.vectors.resize(static_cast<std::size_t>(pairs.n_rows_local) * k);

  const PetscInt block = std::min(k, collect_block);
  core::PVec layout;
  SB_PETSC(MatCreateVecs(L, layout.out(), nullptr));
  PetscInt n_petsc = 0;
  SB_PETSC(VecGetLocalSize(layout.get(), &n_petsc));
  PBV xb, lxb, mxb;
  SB_PETSC(BVCreate(comm, xb.out()));
  SB_PETSC(BVSetType(xb.get(), BVSVEC));
  SB_PETSC(BVSetSizesFromVec(xb.get(), layout.get(), block));
  SB_PETSC(BVDuplicate(xb.get(), lxb.out()));
  SB_PETSC(BVDuplicate(xb.get(), mxb.out()));
  core::PVec rows_petsc, rows_input;  // row-major, `block` entries per vertex
  SB_PETSC(VecCreateMPI(comm, n_petsc * block, n * block, rows_petsc.out()));
  SB_PETSC(VecSetBlockSize(rows_petsc.get(), block));
  SB_PETSC(VecCreateMPI(comm, static_cast<PetscInt>(pairs.n_rows_local) * block, n * block,
                        rows_input.out()));
  SB_PETSC(VecSetBlockSize(rows_input.get(), block));
  // Input row i comes from PETSc row petsc_of_input[i].
  const auto first = ops.numbering.petsc_of_input.begin() + pairs.row_begin;
  std::vector<PetscInt> sources(first, first + pairs.n_rows_local);
  core::PIs from;
  SB_PETSC(ISCreateBlock(comm, block, static_cast<PetscInt>(sources.size()), sources.data(),
                         PETSC_USE_POINTER, from.out()));
  core::PVecScatter to_input;
  SB_PETSC(
      VecScatterCreate(rows_petsc.get(), from.get(), rows_input.get(), nullptr, to_input.out()));

  std::vector<double> sums(3 * static_cast<std::size_t>(block));
  for (int j0 = 0; j0 < k; j0 += static_cast<int>(block)) {
    const int nb = std::min(static_cast<int>(block), k - j0);
    for (int c = 0; c < block; ++c) {
      BorrowedColumn column(xb.get(), c);
      if (c < nb)
        fill(j0 + c, column.get());
      else
        SB_PETSC(VecSet(column.get(), 0.0));  // padding of the last block
      column.give_back();
    }
    SB_PETSC(BVMatMult(xb.get(), M, mxb.get()));
    SB_PETSC(BVMatMult(xb.get(), L, lxb.get()));
    const PetscScalar *px = nullptr, *pm = nullptr, *pl = nullptr;
    SB_PETSC(BVGetArrayRead(xb.get(), &px));
    SB_PETSC(BVGetArrayRead(mxb.get(), &pm));
    SB_PETSC(BVGetArrayRead(lxb.get(), &pl));
    // Per pair: xᵀMx, ‖Lx − λMx‖², ‖Mx‖² (the residual ratio does not depend on x's scale).
    std::fill(sums.begin(), sums.end(), 0.0);
    for (int c = 0; c < nb; ++c) {
      const int j = j0 + c;
      const double lambda = values[j];
      pairs.values[j] = lambda;
      const PetscScalar* xc = px + static_cast<std::size_t>(c) * n_petsc;
      const PetscScalar* mc = pm + static_cast<std::size_t>(c) * n_petsc;
      const PetscScalar* lc = pl + static_cast<std::size_t>(c) * n_petsc;
      double xmx = 0, rr = 0, mm = 0;
      for (PetscInt i = 0; i < n_petsc; ++i) {
        const double m = PetscRealPart(mc[i]), r = PetscRealPart(lc[i]) - lambda * m;
        xmx += PetscRealPart(xc[i]) * m;
        rr += r * r;
        mm += m * m;
      }
      sums[3 * c] = xmx;
      sums[3 * c + 1] = rr;
      sums[3 * c + 2] = mm;
    }
    SB_MPI(MPI_Allreduce(MPI_IN_PLACE, sums.data(), 3 * nb, MPI_DOUBLE, MPI_SUM, comm));
    // SLEPc M-normalises GHEP eigenvectors; make it exact to rounding, while transposing the
    // block into rows.
    PetscScalar* rows = nullptr;
    SB_PETSC(VecGetArrayWrite(rows_petsc.get(), &rows));
    for (int c = 0; c < block; ++c) {
      const double scale = c < nb ? 1.0 / std::sqrt(sums[3 * c]) : 0.0;
      const PetscScalar* xc = px + static_cast<std::size_t>(c) * n_petsc;
      for (PetscInt i = 0; i < n_petsc; ++i) rows[i * block + c] = scale * xc[i];
      if (c < nb) pairs.residuals[j0 + c] = std::sqrt(sums[3 * c + 1] / sums[3 * c + 2]);
    }
    SB_PETSC(VecRestoreArrayWrite(rows_petsc.get(), &rows));
    SB_PETSC(BVRestoreArrayRead(lxb.get(), &pl));
    SB_PETSC(BVRestoreArrayRead(mxb.get(), &pm));
    SB_PETSC(BVRestoreArrayRead(xb.get(), &px));
    SB_PETSC(VecScatterBegin(to_input.get(), rows_petsc.get(), rows_input.get(), INSERT_VALUES,
                             SCATTER_FORWARD));
    SB_PETSC(VecScatterEnd(to_input.get(), rows_petsc.get(), rows_input.get(), INSERT_VALUES,
                           SCATTER_FORWARD));
    const PetscScalar* local = nullptr;
    SB_PETSC(VecGetArrayRead(rows_input.get(), &local));
    for (std::int64_t i = 0; i < pairs.n_rows_local; ++i)
      for (int c = 0; c < nb; ++c)
        pairs.vectors[i * k + j0 + c] = PetscRealPart(local[i * block + c]);
    SB_PETSC(VecRestoreArrayRead(rows_input.get(), &local));
  }
  return pairs;
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
  const Slicing slicing = slicing_choice(options);
  if (slicing.on && !(options.sigma < 0))
    throw core::InputError("-sb_slicing", "",
                           core::cat("spectrum slicing computes the k smallest eigenvalues from "
                                     "sigma < 0 upwards, but sigma = ",
                                     options.sigma));
  // SLEPc requires the cuts' ends to be the interval's ends; without -eps_interval the upper
  // end comes from Weyl's law (and may be widened), so no cut list given in advance can match.
  if (slicing.on && slicing.user_subintervals && !slicing.user_interval)
    throw core::InputError("-eps_krylovschur_subintervals", "",
                           "sub-interval cuts need -eps_interval with the same two ends; without "
                           "it the interval's upper end is computed from the mesh area");
  if (slicing.on && !(slicing.margin > -1) && !slicing.user_interval)
    throw core::InputError("-sb_slicing_margin", "",
                           core::cat("the margin ", slicing.margin, " must be > -1"));

  SolveInfo info;
  info.n_requested = k;
  info.slicing = slicing.on;
  auto publish = [&] {
    if (info_out) *info_out = info;
  };

  // Coded defaults first; EPSSetFromOptions last so that the options database wins.
  // Outlives `eps`: the factorisations' post-solve hooks point at it.
  PetscReal refine_threshold = SolveRefinement::default_threshold;
  SB_PETSC(
      PetscOptionsGetReal(nullptr, nullptr, "-sb_refine_threshold", &refine_threshold, nullptr));
  SolveRefinement refinement(refine_threshold);
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
  SB_PETSC(EPSGetST(eps.get(), &st));
  SB_PETSC(STSetType(st, STSINVERT));
  // M's pattern is part of L's (fem::assemble guarantees it), which makes forming L − σM cheap.
  SB_PETSC(STSetMatStructure(st, SUBSET_NONZERO_PATTERN));
  SB_PETSC(STGetKSP(st, &ksp));
  // σ ≥ 0 puts the shift inside the spectrum (L is PSD): L − σM is then indefinite.
  set_factorization_defaults(ksp, options.sigma >= 0 ? &refinement : nullptr);
  // Spectrum slicing: every eigenvalue in [σ, b], b a little above Weyl's estimate of λ_k
  // for a closed surface of area A, λ_k ≈ 4πk/A; the interval is enlarged below if the
  // inertia at b counts fewer than k. One partition per rank by default, so that every
  // partition factors sequentially and works on its sub-interval without communication.
  double a = options.sigma, b = 0;
  // SLEPc splits [a, b] into equal sub-intervals, one per partition. The spectrum starts at
  // 0 > a, and by Weyl's law the eigenvalue count grows linearly from there, so with σ < 0 the
  // first partition got far fewer eigenvalues than the others (23 of 106 at k = 100 on the
  // 163,842-vertex brain, 127 of 315 at k = 300) and the others set the pace. The cut points
  // are placed at b·i/npart instead, which gives every partition about the same count.
  bool balanced_subintervals = false;
  PetscInt npart = 1;
  // SLEPc gets (−∞, b] rather than [σ, b]. For σ < 0 nothing lies between −∞ and σ (L is PSD,
  // so L − σM is positive definite), so the pairs are the same; but an interval with an
  // infinite end costs one factorisation less: SLEPc factors at both ends of every
  // sub-interval before it starts, and at −∞ the inertia is 0 without one. With two
  // partitions this also removed a wait: the top partition factored at its two ends while
  // the bottom one, after its single factorisation at σ, waited for both (2.4 s at k = 300).
  // Now each partition factors once at its upper end and works downwards. A user's
  // -eps_interval is passed as given.
  const bool open_below = !slicing.user_interval;
  auto set_interval = [&] {
    const PetscReal lower = open_below ? PETSC_MIN_REAL : a;
    SB_PETSC(EPSSetInterval(eps.get(), lower, b));
    if (!balanced_subintervals) return;
    std::vector<PetscReal> cuts(npart + 1);
    cuts[0] = lower;
    for (int i = 1; i < npart; ++i) cuts[i] = b * i / npart;
    cuts[npart] = b;
    SB_PETSC(EPSKrylovSchurSetSubintervals(eps.get(), cuts.data()));
  };
  if (slicing.on) {
    b = (1 + slicing.margin) * 4 * std::numbers::pi * k / surface_area(M);
    if (!(b > a) || !std::isfinite(b))
      throw core::InputError(
          "mesh", "",
          core::cat("spectrum slicing: the mesh area gives no interval (", a, ", ", b, ")"));
    SB_PETSC(EPSSetWhichEigenpairs(eps.get(), EPS_ALL));
    npart = core::size(comm);
    SB_PETSC(PetscOptionsGetInt(nullptr, nullptr, "-eps_krylovschur_partitions", &npart, nullptr));
    SB_PETSC(EPSKrylovSchurSetPartitions(eps.get(), npart));
    balanced_subintervals = npart > 1 && !slicing.user_subintervals && !slicing.user_interval;
    set_interval();
    KSP child = nullptr;
    SB_PETSC(EPSKrylovSchurGetKSP(eps.get(), &child));
    set_factorization_defaults(child, &refinement);
    settle_nonzero_state(child);
  }
  SB_PETSC(EPSSetFromOptions(eps.get()));

  EPSWhich which = EPS_TARGET_MAGNITUDE;
  SB_PETSC(EPSGetWhichEigenpairs(eps.get(), &which));
  if (slicing.on && which != EPS_ALL)
    throw core::InputError("-sb_slicing", "",
                           "spectrum slicing needs all eigenvalues of an interval; an "
                           "-eps_*_magnitude/-eps_*_real option on the command line disabled it");
  if (!slicing.on) {
    PetscInt nev = 0;
    SB_PETSC(EPSGetDimensions(eps.get(), &nev, nullptr, nullptr));
    if (nev < k)
      throw core::InputError("-eps_nev", "",
                             core::cat("-eps_nev ", nev, " asks for fewer pairs than k = ", k));
  }

  {
    std::optional<core::StageTimer::Scope> stage;
    if (timer) stage.emplace(*timer, "factor");
    if (!slicing.on) {
      SB_PETSC(EPSSetUp(eps.get()));
    } else {
      // EPSSetUp factors at the finite ends; their inertias count the eigenvalues inside.
      PetscReal ua = 0, ub = 0;
      SB_PETSC(EPSGetInterval(eps.get(), &ua, &ub));
      if (!open_below) a = ua;  // else a stays σ
      b = ub;
      constexpr int max_widenings = 8;
      for (int round = 0;; ++round) {
        SB_PETSC(EPSSetUp(eps.get()));
        const PetscInt inside = eigenvalues_in_interval(eps.get());
        info.count_shift = b;
        info.n_below_shift = inside;
        if (inside >= k) break;
        if (slicing.user_interval || round == max_widenings) {
          publish();
          throw core::ComputationError(
              core::cat("eigensolver: the slicing interval [", a, ", ", b, "] holds only ", inside,
                        " eigenvalues, fewer than k = ", k,
                        slicing.user_interval ? "; widen -eps_interval" : " after widening it"));
        }
        // N(λ) grows about linearly in λ (Weyl): scale the width to 1.1 k, at least by 1.25.
        const double grow = inside > 0 ? std::max(1.25, 1.1 * k / inside) : 2.0;
        b = a + (b - a) * grow;
        set_interval();
      }
    }
  }
  describe_methods(eps.get(), slicing.on, info);
  // Recorded from σ: SLEPc's lower end is −∞ (above), with nothing between −∞ and σ.
  if (slicing.on && open_below && !info.subintervals.empty()) info.subintervals.front() = a;
  // The count check needs "the pairs nearest σ" to mean "the smallest" (λ ≥ 0 > σ). Slicing
  // does not need it: its inertias already prove that all eigenvalues below b were found.
  const bool check_count = !slicing.on && options.check_count && info.sigma <= 0 &&
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
  run(slicing.on ? info.n_below_shift : k);
  // Without the check, keep SLEPc's k best (nearest the target, whatever the options made it);
  // with it (σ ≤ 0), every converged pair takes part, in ascending order.
  if (!check_count && !slicing.on)
    found.erase(
        std::remove_if(found.begin(), found.end(), [&](const Found& f) { return f.index >= k; }),
        found.end());

  core::PVec x;
  SB_PETSC(MatCreateVecs(L, x.out(), nullptr));

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

  // With slicing: every pair of the interval into one basis, the solver freed, and a
  // Rayleigh–Ritz step over the whole basis (see rayleigh_ritz) gives the k smallest.
  PBV ritz;
  std::vector<double> ritz_values;
  if (slicing.on) {
    const auto n_all = static_cast<PetscInt>(found.size());
    SB_PETSC(BVCreate(comm, ritz.out()));
    SB_PETSC(BVSetType(ritz.get(), BVSVEC));
    SB_PETSC(BVSetSizesFromVec(ritz.get(), x.get(), n_all));
    for (PetscInt i = 0; i < n_all; ++i) {
      BorrowedColumn column(ritz.get(), i);
      SB_PETSC(EPSGetEigenvector(eps.get(), found[i].index, column.get(), nullptr));
      column.give_back();
    }
    eps.reset();
    ritz_values = rayleigh_ritz(ritz.get(), L, M, k, comm);
  }

  auto fill = [&](int j, Vec column) {
    if (slicing.on)
      SB_PETSC(BVCopyVec(ritz.get(), j, column));
    else if (found[j].kept)
      SB_PETSC(VecCopy(found[j].kept.get(), column));
    else
      SB_PETSC(EPSGetEigenvector(eps.get(), found[j].index, column, nullptr));
  };
  std::vector<double> values(k);
  for (int j = 0; j < k; ++j) values[j] = slicing.on ? ritz_values[j] : found[j].value;
  Eigenpairs pairs = collect_pairs(ops, values, fill);
  canonicalise_signs(pairs.vectors, pairs.n_rows_local, k, pairs.row_begin, comm);
  info.max_residual = *std::max_element(pairs.residuals.begin(), pairs.residuals.end());
  // Summed over the ranks (each refines the solves of its own partition).
  std::int64_t counts[2] = {refinement.checked(), refinement.refined()};
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPI_INT64_T, MPI_SUM, comm));
  info.n_checked_solves = counts[0];
  info.n_refined_solves = counts[1];
  publish();
  return pairs;
}

}  // namespace spectralbrain::spectral
