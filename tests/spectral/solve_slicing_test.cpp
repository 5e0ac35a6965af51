// The eigen-solve with spectrum slicing (SolveOptions::slicing, -sb_slicing): the same pairs
// as the default Krylov–Schur solve — values to 1e-10, eigenspaces to 1e-8 — M-orthonormal
// to 1e-10 after the Rayleigh–Ritz step, independent of the rank count, complete when Weyl's
// estimate of the interval is too short; the factorisations it costs (one in set-up and one
// symbolic per partition, counted from PETSc's log events); and the error paths.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "spectral_test_support.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/spectral/solve.hpp"

using namespace spectral_test;

namespace {

Eigenpairs solve_with(const Operators& ops, int k, bool slicing, SolveInfo* info = nullptr,
                      double margin = 0.05) {
  SolveOptions options;
  options.k = k;
  options.slicing = slicing;
  options.slicing_margin = margin;
  return sb::spectral::solve(ops, options, nullptr, info);
}

// Largest sine of the principal angles between the eigenspaces of `a` and `b`, cluster by
// cluster of `b`'s values (the M-norm of what is left of each vector of `a` after projecting
// it onto the cluster's span in `b`). Also checks the values agree to `rel`.
double worst_subspace_sine(const Operators& ops, const Eigenpairs& a, const Eigenpairs& b,
                           double rel) {
  InputOrderMass mass(ops, a);
  double worst = 0;
  for (const auto& group : clusters(b.values)) {
    std::vector<std::vector<double>> basis;
    for (int j : group) basis.push_back(column(b, j, a.row_begin, a.n_rows_local));
    for (int j : group) {
      EXPECT_NEAR(a.values[j], b.values[j], rel * std::max(1.0, std::abs(b.values[j])))
          << "pair " << j;
      auto r = column(a, j);
      const auto phi = r;
      for (const auto& q : basis) {
        const double c = mass.inner(q, phi);
        for (std::size_t i = 0; i < r.size(); ++i) r[i] -= c * q[i];
      }
      worst = std::max(worst, std::sqrt(std::max(0.0, mass.inner(r, r))));
    }
  }
  return worst;
}

double worst_gram_error(const Operators& ops, const Eigenpairs& p) {
  InputOrderMass mass(ops, p);
  std::vector<std::vector<double>> phi;
  for (int j = 0; j < p.k(); ++j) phi.push_back(column(p, j));
  double worst = 0;
  for (int i = 0; i < p.k(); ++i)
    for (int j = i; j < p.k(); ++j)
      worst = std::max(worst, std::abs(mass.inner(phi[i], phi[j]) - (i == j ? 1.0 : 0.0)));
  return worst;
}

}  // namespace

TEST(SolveSlicing, SameEigenpairsAsKrylovSchurOnSphereAndRectangle) {
  // Sphere: l = 0..4 fill exactly k = 25 (multiplicities up to 9, split by the icosahedral
  // symmetry); rectangle: simple eigenvalues.
  const sb::mesh::TriMesh meshes[] = {sb::mesh::icosphere(3),
                                      sb::mesh::rectangle(1.0, 0.7, 30, 21)};
  for (const auto& mesh : meshes) {
    const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
    const int k = 25;
    SolveInfo sliced_info, plain_info;
    const Eigenpairs sliced = solve_with(ops, k, true, &sliced_info);
    const Eigenpairs plain = solve_with(ops, k, false, &plain_info);
    EXPECT_TRUE(sliced_info.slicing);
    EXPECT_FALSE(plain_info.slicing);
    EXPECT_EQ(sliced_info.n_partitions, sb::core::size(PETSC_COMM_WORLD));
    EXPECT_GE(sliced_info.n_below_shift, k);
    EXPECT_EQ(sliced_info.tolerance, 1e-10);
    EXPECT_TRUE(std::is_sorted(sliced.values.begin(), sliced.values.end()));

    const double sine = worst_subspace_sine(ops, sliced, plain, 1e-10);
    EXPECT_LE(sine, 1e-8);
    const double gram = worst_gram_error(ops, sliced);
    EXPECT_LE(gram, 1e-10);
    // Residual bound as for the default solve, 10·tol·max(|λ|, |σ|), except for the kernel
    // (λ = 0, the constants): its pair is found near a shift far from 0 when the spectrum's
    // scale dwarfs |σ| (the rectangle: λ₁ ≈ 10 against σ = −0.01), so its residual is
    // bounded relative to the gap to λ₁ instead — residual/gap bounds the eigenvector's
    // error, and the subspace check above shows it is as accurate as Krylov–Schur's.
    const double gap = *std::find_if(sliced.values.begin(), sliced.values.end(),
                                     [&](double v) { return v > 1e-8 * sliced.values[k - 1]; });
    double worst_residual = 0;
    for (int j = 0; j < k; ++j) {
      const bool kernel = std::abs(sliced.values[j]) <= 1e-8 * sliced.values[k - 1];
      const double scale =
          kernel ? gap : std::max(std::abs(sliced.values[j]), std::abs(sliced_info.sigma));
      EXPECT_LE(sliced.residuals[j], 10 * sliced_info.tolerance * scale) << "pair " << j;
      worst_residual = std::max(worst_residual, sliced.residuals[j] / scale);
    }
    if (world_rank() == 0)
      std::printf(
          "N=%zu sliced (%d partitions, b=%.4g, %lld in [sigma,b]): subspace sine vs Krylov-Schur "
          "%.2e, max |PhiT M Phi - I| %.2e, max residual/scale %.2e (kernel pair: %.2e of "
          "|sigma|)\n",
          mesh.n_vertices(), sliced_info.n_partitions, sliced_info.count_shift,
          static_cast<long long>(sliced_info.n_below_shift), sine, gram, worst_residual,
          sliced.residuals[0] / std::abs(sliced_info.sigma));
  }
}

TEST(SolveSlicing, SameResultOnOneRankAndOnAll) {
  const auto mesh = sb::mesh::rectangle(1.0, 0.7, 40, 28);
  const int k = 8;  // simple eigenvalues: canonical vectors agree entry by entry
  const Operators ref_ops = sb::fem::assemble(mesh, PETSC_COMM_SELF);
  const Operators par_ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
  const Eigenpairs ref = solve_with(ref_ops, k, true);
  const Eigenpairs par = solve_with(par_ops, k, true);
  double worst_vector = 0;
  for (int j = 0; j < k; ++j) {
    EXPECT_NEAR(par.values[j], ref.values[j], 1e-10 * std::max(1.0, std::abs(ref.values[j])));
    const double d = max_vector_difference(par, ref, j);
    EXPECT_LE(d, 1e-8) << "vector " << j;
    worst_vector = std::max(worst_vector, d);
  }
  if (world_rank() == 0)
    std::printf("sliced, 1 rank vs all: max vector entry diff %.2e\n", worst_vector);
}

TEST(SolveSlicing, ShortWeylIntervalIsWidenedUntilItHoldsK) {
  // A margin of -0.6 starts at b₀ = 0.4·4πk/A ≈ 0.4k = 6.4 (A is a little under 4π), below
  // the l = 2 group at 6: only 9 eigenvalues inside. The inertia at b says so, and b grows
  // (by at least 1.25x per step) until the interval holds k = 16.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  const int k = 16;
  SolveInfo info;
  const Eigenpairs short_start = solve_with(ops, k, true, &info, -0.6);
  EXPECT_GE(info.n_below_shift, k);
  EXPECT_GT(info.count_shift, 1.2 * 0.4 * k);
  const Eigenpairs plain = solve_with(ops, k, false);
  EXPECT_LE(worst_subspace_sine(ops, short_start, plain, 1e-10), 1e-8);
}

TEST(SolveSlicing, PartitionsHoldAboutEqualShares) {
  // Unit sphere, k = 16: b ≈ 1.05·16 ≈ 16.9 holds the groups 0, 2 (×3), 6 (×5), 12 (×7). With
  // σ = −16 a uniform split of [σ, b] would cut at ≈ 0.45 and leave only λ = 0 to the first
  // partition (1 of 16); the code cuts at b/2 ≈ 8.4 (Weyl: the count grows like λ from 0),
  // which gives 9 and 7.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  const int k = 16;
  SolveOptions options;
  options.k = k;
  options.slicing = true;
  options.sigma = -16;
  SolveInfo info;
  const Eigenpairs sliced = sb::spectral::solve(ops, options, nullptr, &info);
  ASSERT_EQ(info.subintervals.size(), static_cast<std::size_t>(info.n_partitions) + 1);
  EXPECT_DOUBLE_EQ(info.subintervals.front(), -16.0);
  EXPECT_DOUBLE_EQ(info.subintervals.back(), info.count_shift);
  int ranks = 0;
  MPI_Comm_size(PETSC_COMM_WORLD, &ranks);
  EXPECT_EQ(info.n_partitions, ranks);
  for (int p = 0; p < info.n_partitions; ++p) {
    const double lo = info.subintervals[p], hi = info.subintervals[p + 1];
    const auto share = std::count_if(sliced.values.begin(), sliced.values.end(),
                                     [&](double v) { return v >= lo && v < hi; });
    EXPECT_GE(share, 0.6 * k / info.n_partitions)
        << "partition " << p << " [" << lo << ", " << hi << ")";
  }
  const Eigenpairs plain = solve_with(ops, k, false);
  EXPECT_LE(worst_subspace_sine(ops, sliced, plain, 1e-10), 1e-8);
}

// Counts how often the PETSc log event `name` runs on this rank in `stage` (by default the
// current one) from construction on; turns PETSc's logging on.
class EventCount {
 public:
  explicit EventCount(const char* name, PetscLogStage stage = PETSC_DETERMINE) : stage_(stage) {
    SB_PETSC(PetscLogDefaultBegin());
    SB_PETSC(PetscLogEventGetId(name, &event_));
    start_ = total();
  }
  int since_start() const { return total() - start_; }

 private:
  int total() const {
    PetscEventPerfInfo perf{};
    SB_PETSC(PetscLogEventGetPerfInfo(stage_, event_, &perf));
    return perf.count;
  }
  PetscLogStage stage_;
  PetscLogEvent event_ = 0;
  int start_ = 0;
};

TEST(SolveSlicing, EachPartitionFactorsSymbolicallyOnceForAllItsShifts) {
  // The shifts change the values of L − sM, never its pattern: every partition needs one
  // symbolic factorisation and a numeric one per shift. Small chunks (10 pairs per shift)
  // force several shifts per partition. Before the nonzero state was settled the second
  // shift repeated the symbolic factorisation (2 per partition).
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  const int k = 64;
  const Eigenpairs plain = solve_with(ops, k, false);
  const EventCount symbolic("MatCholFctrSym"), numeric("MatCholFctrNum");
  SolveInfo info;
  Eigenpairs sliced;
  {
    OptionsGuard guard({{"-eps_krylovschur_nev", "10"}});
    sliced = solve_with(ops, k, true, &info);
  }
  ASSERT_EQ(info.factor_solver, "petsc");
  ASSERT_GE(numeric.since_start(), 2)
      << "one shift only: nothing to reuse, the test would mean nothing";
  EXPECT_EQ(symbolic.since_start(), 1) << numeric.since_start() << " numeric factorisations";
  EXPECT_LE(worst_subspace_sine(ops, sliced, plain, 1e-10), 1e-8);
}

TEST(SolveSlicing, SetUpFactorsEachPartitionOnceAtItsUpperEnd) {
  // SLEPc factors at both finite ends of every sub-interval before it solves. With σ < 0
  // nothing lies below σ, so the code hands it (−∞, b]: each partition then factors once in
  // set-up, at its upper end. With [σ, b] the top partition factors at both ends of its
  // sub-interval (on one rank: at σ and at b), so the test fails on that rank.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  sb::core::StageTimer timer;
  { auto registers_the_stage = timer.enter("factor"); }
  PetscLogStage factor = -1;
  SB_PETSC(PetscLogStageGetId("factor", &factor));
  const EventCount numeric_in_set_up("MatCholFctrNum", factor);
  SolveOptions options;
  options.k = 16;
  options.slicing = true;
  SolveInfo info;
  const Eigenpairs sliced = sb::spectral::solve(ops, options, &timer, &info);
  ASSERT_EQ(info.factor_solver, "petsc");
  EXPECT_EQ(numeric_in_set_up.since_start(), 1);
  EXPECT_DOUBLE_EQ(info.subintervals.front(), options.sigma);  // recorded from σ all the same
  const Eigenpairs plain = solve_with(ops, options.k, false);
  EXPECT_LE(worst_subspace_sine(ops, sliced, plain, 1e-10), 1e-8);
}

TEST(SolveSlicing, RefinementCorrectsFlaggedSolvesAndLeavesTheResultRight) {
  // The check refines a solve when its backward error exceeds -sb_refine_threshold. At 1e-300
  // every solve is flagged and corrected once; the eigenpairs must be those of the plain solve.
  // At 0 the check is off.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  const int k = 16;
  const Eigenpairs plain = solve_with(ops, k, false);
  SolveInfo all, off;
  Eigenpairs refined;
  {
    OptionsGuard guard({{"-sb_refine_threshold", "1e-300"}});
    refined = solve_with(ops, k, true, &all);
  }
  {
    OptionsGuard guard({{"-sb_refine_threshold", "0"}});
    solve_with(ops, k, true, &off);
  }
  ASSERT_EQ(all.factor_solver, "petsc");
  EXPECT_GT(all.n_checked_solves, 0);
  EXPECT_EQ(all.n_refined_solves, all.n_checked_solves);
  EXPECT_EQ(off.n_checked_solves, 0);
  EXPECT_LE(worst_subspace_sine(ops, refined, plain, 1e-10), 1e-8);
}

TEST(SolveSlicing, OptionsDatabaseTurnsItOnAndOff) {
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(2), PETSC_COMM_WORLD);
  SolveInfo on, off;
  {
    OptionsGuard guard({{"-sb_slicing", "true"}});
    solve_with(ops, 9, false, &on);
  }
  {
    OptionsGuard guard({{"-sb_slicing", "false"}});
    solve_with(ops, 9, true, &off);
  }
  EXPECT_TRUE(on.slicing);
  EXPECT_FALSE(off.slicing);
}

TEST(SolveSlicing, FastOptionsFileSlicesAndAgreesWithTheDefaults) {
  // petsc_options/eigen-fast.opts, loaded into a private options database on top of
  // eigen.opts as `spectralbrain eigen -options_file` would.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  const int k = 25;
  const Eigenpairs plain = solve_with(ops, k, false);
  PetscOptions database = nullptr;
  SB_PETSC(PetscOptionsCreate(&database));
  SB_PETSC(PetscOptionsInsertFile(PETSC_COMM_WORLD, database, SB_EIGEN_OPTIONS_FILE, PETSC_TRUE));
  SB_PETSC(
      PetscOptionsInsertFile(PETSC_COMM_WORLD, database, SB_EIGEN_FAST_OPTIONS_FILE, PETSC_TRUE));
  SB_PETSC(PetscOptionsPush(database));
  SolveInfo info;
  Eigenpairs fast;
  try {
    fast = solve_with(ops, k, false, &info);
  } catch (...) {
    PetscOptionsPop();
    PetscOptionsDestroy(&database);
    throw;
  }
  SB_PETSC(PetscOptionsPop());
  SB_PETSC(PetscOptionsDestroy(&database));
  EXPECT_TRUE(info.slicing);
  EXPECT_EQ(info.tolerance, 1e-10);
  // The partitions' PETSc Cholesky does not pivot at the interior (indefinite) shifts: with
  // the options files loaded, every solve's residual is still checked.
  if (info.factor_solver == "petsc") {
    EXPECT_GT(info.n_checked_solves, 0);
  }
  EXPECT_LE(worst_subspace_sine(ops, fast, plain, 1e-10), 1e-8);
}

TEST(SolveSlicing, IntervalOptionTooShortIsAComputationError) {
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(2), PETSC_COMM_WORLD);
  OptionsGuard guard({{"-eps_interval", "-0.01,2.5"}});  // holds λ = 0 and the three l = 1
  SolveInfo info;
  try {
    solve_with(ops, 9, false, &info);
    ADD_FAILURE() << "no exception";
  } catch (const sb::core::ComputationError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("holds only 4 eigenvalues"), std::string::npos) << what;
    EXPECT_NE(what.find("-eps_interval"), std::string::npos) << what;
  }
  EXPECT_TRUE(info.slicing);
  EXPECT_EQ(info.n_below_shift, 4);
}

TEST(SolveSlicing, CutsWithoutAnIntervalAreAnInputError) {
  // The cuts' ends must be the interval's; without -eps_interval the upper end comes from the
  // mesh area, so cuts given in advance are refused with a message naming both options.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(1), PETSC_COMM_WORLD);
  OptionsGuard guard({{"-eps_krylovschur_subintervals", "-0.01,1,4"}});
  try {
    solve_with(ops, 4, true);
    ADD_FAILURE() << "no exception";
  } catch (const sb::core::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("-eps_krylovschur_subintervals"), std::string::npos) << what;
    EXPECT_NE(what.find("-eps_interval"), std::string::npos) << what;
  }
}

TEST(SolveSlicing, NonNegativeShiftIsAnInputError) {
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(1), PETSC_COMM_WORLD);
  SolveOptions options;
  options.k = 4;
  options.slicing = true;
  options.sigma = 0.5;
  EXPECT_THROW(sb::spectral::solve(ops, options), sb::core::InputError);
}
