// The eigen-solve against analytic spectra (sphere, Neumann rectangle) with their O(h²)
// convergence, the conventions of Eigenpairs (M-orthonormal, residuals, ascending, input
// order, canonical signs), rank-count independence, and the error paths.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "spectral_test_support.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/spectral/solve.hpp"

namespace sb = spectralbrain;
using sb::fem::Operators;
using sb::spectral::Eigenpairs;
using sb::spectral::SolveInfo;
using sb::spectral::SolveOptions;

using namespace spectral_test;

// --- analytic spectra and convergence -------------------------------------------------------

// Sphere errors |λ − l(l+1)| on icosphere levels `coarse` and `coarse + 1` for l ≤ l_max: each
// must fall by a factor in [low, high] (4 for O(h²)). Returns the finer level's errors.
std::vector<double> expect_second_order(int coarse, int l_max, double low, double high) {
  const int k = (l_max + 1) * (l_max + 1);
  const auto e_coarse = sphere_errors(solve(sb::mesh::icosphere(coarse), k), l_max);
  const auto e_fine = sphere_errors(solve(sb::mesh::icosphere(coarse + 1), k), l_max);
  for (int l = 1; l <= l_max; ++l) {
    const double ratio = e_coarse[l] / e_fine[l];
    if (world_rank() == 0)
      std::printf("sphere l=%d  err(level %d)=%.3e  err(level %d)=%.3e  ratio=%.3f\n", l, coarse,
                  e_coarse[l], coarse + 1, e_fine[l], ratio);
    EXPECT_GT(ratio, low) << "l=" << l;
    EXPECT_LT(ratio, high) << "l=" << l;
  }
  return e_fine;
}

TEST(SolveSphere, EigenvaluesApproachLTimesLPlusOneAtSecondOrder) {
  const int l_max = 4;
  const auto e4 = expect_second_order(3, l_max, 3.6, 4.4);
  for (int l = 1; l <= l_max; ++l) EXPECT_LT(e4[l] / (l * (l + 1.0)), 0.01) << "l=" << l;
}

TEST(SolveSphere, SecondOrderHoldsOnLevels4To5) { expect_second_order(4, 5, 3.8, 4.2); }

TEST(SolveSphere, LumpedMassAlsoConverges) {
  const int l_max = 3, k = (l_max + 1) * (l_max + 1);
  const auto e3 = sphere_errors(
      solve(sb::mesh::icosphere(3), k, PETSC_COMM_WORLD, nullptr, sb::fem::MassMatrix::lumped),
      l_max);
  const auto e4 = sphere_errors(
      solve(sb::mesh::icosphere(4), k, PETSC_COMM_WORLD, nullptr, sb::fem::MassMatrix::lumped),
      l_max);
  for (int l = 1; l <= l_max; ++l) {
    if (world_rank() == 0)
      std::printf("lumped sphere l=%d  err(level 3)=%.3e  err(level 4)=%.3e  ratio=%.3f\n", l,
                  e3[l], e4[l], e3[l] / e4[l]);
    EXPECT_LT(e4[l] / (l * (l + 1.0)), 0.01) << "l=" << l;
    if (l == 1) continue;  // lumping error cancels the stiffness error almost exactly at l = 1
    EXPECT_GT(e3[l] / e4[l], 3.5) << "l=" << l;
    EXPECT_LT(e3[l] / e4[l], 4.5) << "l=" << l;
  }
}

TEST(SolveRectangle, NeumannEigenvaluesConvergeAtSecondOrder) {
  // a ≠ b and a²/b² irrational-looking, so the first eigenvalues are simple.
  const double a = 1.0, b = 0.7;
  const int k = 8;
  const auto exact = rectangle_exact(a, b, k);
  std::vector<std::vector<double>> err;
  for (int refine : {1, 2, 4}) {
    const auto p = solve(sb::mesh::rectangle(a, b, 20 * refine, 14 * refine), k);
    EXPECT_NEAR(p.values[0], 0.0, 1e-10);
    err.emplace_back();
    for (int j = 1; j < k; ++j) err.back().push_back(std::abs(p.values[j] - exact[j]) / exact[j]);
  }
  for (int j = 0; j < k - 1; ++j) {
    if (world_rank() == 0)
      std::printf("rectangle λ%d=%.4f  rel err %.3e %.3e %.3e  ratios %.3f %.3f\n", j + 1,
                  exact[j + 1], err[0][j], err[1][j], err[2][j], err[0][j] / err[1][j],
                  err[1][j] / err[2][j]);
    EXPECT_GT(err[1][j] / err[2][j], 3.6) << "λ" << j + 1;
    EXPECT_LT(err[1][j] / err[2][j], 4.4) << "λ" << j + 1;
    EXPECT_LT(err[2][j], 5e-3) << "λ" << j + 1;
  }
}

// --- conventions of the result ---------------------------------------------------------------

TEST(SolveConventions, MOrthonormalAscendingSmallResiduals) {
  // The lumped level-4 sphere is a case where Krylov–Schur alone misses copies of the l = 4
  // eigenvalue; the count check recovers them, and the result must be just as orthonormal.
  struct Case {
    sb::mesh::TriMesh mesh;
    sb::fem::MassMatrix mass;
  };
  const Case cases[] = {{sb::mesh::icosphere(3), sb::fem::MassMatrix::consistent},
                        {sb::mesh::rectangle(1.0, 0.7, 30, 21), sb::fem::MassMatrix::consistent},
                        {sb::mesh::icosphere(4), sb::fem::MassMatrix::lumped}};
  for (const auto& [mesh, mass_kind] : cases) {
    sb::fem::AssemblyOptions assembly;
    assembly.mass = mass_kind;
    const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD, assembly);
    SolveOptions options;
    options.k = 25;
    SolveInfo info;
    const Eigenpairs p = sb::spectral::solve(ops, options, nullptr, &info);
    ASSERT_EQ(p.k(), 25);
    EXPECT_EQ(p.n_rows_global, static_cast<std::int64_t>(mesh.n_vertices()));
    EXPECT_TRUE(std::is_sorted(p.values.begin(), p.values.end()));
    EXPECT_EQ(info.n_requested, 25);
    EXPECT_GE(info.n_converged, 25);
    EXPECT_GT(info.n_iterations, 0);

    // SLEPc's tolerance applies to the shift-and-invert operator; on the original problem
    // the relative residual is typically ~10x below it (with eigenvector purification, the
    // default), and 10x the tolerance is the bound tested.
    double worst_residual = 0, worst_gram = 0;
    for (int j = 0; j < p.k(); ++j) {
      const double scale = std::max(std::abs(p.values[j]), std::abs(info.sigma));
      EXPECT_LE(p.residuals[j], 10 * info.tolerance * scale) << "pair " << j;
      worst_residual = std::max(worst_residual, p.residuals[j] / scale);
    }
    EXPECT_DOUBLE_EQ(info.max_residual, *std::max_element(p.residuals.begin(), p.residuals.end()));

    InputOrderMass mass(ops, p);
    std::vector<std::vector<double>> phi;
    for (int j = 0; j < p.k(); ++j) phi.push_back(column(p, j));
    for (int i = 0; i < p.k(); ++i)
      for (int j = i; j < p.k(); ++j) {
        const double g = mass.inner(phi[i], phi[j]);
        worst_gram = std::max(worst_gram, std::abs(g - (i == j ? 1.0 : 0.0)));
      }
    EXPECT_LE(worst_gram, 1e-10);
    EXPECT_EQ(info.n_below_shift, 25);
    if (world_rank() == 0)
      std::printf(
          "N=%zu: max |ΦᵀMΦ − I| = %.2e, max residual/max(|λ|,|σ|) = %.2e, %d iterations, "
          "%d recovered by the count check\n",
          mesh.n_vertices(), worst_gram, worst_residual, info.n_iterations, info.n_recovered);
  }
}

TEST(SolveConventions, SignRuleMakesTheFirstLargestEntryPositive) {
  const auto p = solve(sb::mesh::rectangle(1.0, 0.7, 20, 14), 6);
  for (int j = 0; j < p.k(); ++j) {
    // Gather |max| and the first row within 1e-6 of it, as the rule in solve.hpp states.
    double peak = 0;
    for (double v : column(p, j)) peak = std::max(peak, std::abs(v));
    MPI_Allreduce(MPI_IN_PLACE, &peak, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    const auto c = column(p, j);
    long long first = -1;
    double value = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
      if (std::abs(c[i]) >= (1 - 1e-6) * peak) {
        first = p.row_begin + static_cast<long long>(i);
        value = c[i];
        break;
      }
    long long global_first = first < 0 ? p.n_rows_global : first;
    MPI_Allreduce(MPI_IN_PLACE, &global_first, 1, MPI_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
    if (first == global_first) {
      EXPECT_GT(value, 0.0) << "vector " << j;
    }
  }
}

TEST(SolveConventions, ReportsMethodsAndStages) {
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  sb::core::StageTimer timer;
  SolveInfo info;
  SolveOptions options;
  options.k = 9;
  sb::spectral::solve(ops, options, &timer, &info);
  EXPECT_EQ(info.eps_type, "krylovschur");
  EXPECT_EQ(info.st_type, "sinvert");
  EXPECT_EQ(info.ksp_type, "preonly");
  EXPECT_EQ(info.pc_type, "cholesky");
  // PETSc's own Cholesky on one rank, MUMPS on a distributed communicator (solve.hpp).
  EXPECT_EQ(info.factor_solver, sb::core::size(PETSC_COMM_WORLD) == 1 ? "petsc" : "mumps");
  EXPECT_FALSE(info.slicing);
  EXPECT_EQ(info.sigma, -0.01);
  EXPECT_EQ(info.tolerance, 1e-10);
  EXPECT_EQ(info.converged_reason, "CONVERGED_TOL");
  EXPECT_GT(timer.seconds("factor"), 0.0);
  EXPECT_GT(timer.seconds("solve"), 0.0);
}

TEST(SolveConventions, PetscOptionsOverrideTheCodedDefaults) {
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(2), PETSC_COMM_WORLD);
  OptionsGuard guard({{"-eps_target", "-0.5"}, {"-eps_tol", "1e-9"}});
  SolveInfo info;
  SolveOptions options;
  options.k = 4;
  const auto p = sb::spectral::solve(ops, options, nullptr, &info);
  EXPECT_EQ(info.sigma, -0.5);
  EXPECT_EQ(info.tolerance, 1e-9);
  EXPECT_NEAR(p.values[0], 0.0, 1e-8);
}

TEST(SolveConventions, EigenOptionsFileStatesTheCodedDefaults) {
  // petsc_options/eigen.opts, loaded into a private options database, must change nothing.
  const std::string file = SB_EIGEN_OPTIONS_FILE;
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(2), PETSC_COMM_WORLD);
  SolveOptions options;
  options.k = 9;
  SolveInfo coded, from_file;
  sb::spectral::solve(ops, options, nullptr, &coded);
  PetscOptions database = nullptr;
  SB_PETSC(PetscOptionsCreate(&database));
  SB_PETSC(PetscOptionsInsertFile(PETSC_COMM_WORLD, database, file.c_str(), PETSC_TRUE));
  SB_PETSC(PetscOptionsPush(database));
  try {
    sb::spectral::solve(ops, options, nullptr, &from_file);
  } catch (...) {
    PetscOptionsPop();
    PetscOptionsDestroy(&database);
    throw;
  }
  SB_PETSC(PetscOptionsPop());
  SB_PETSC(PetscOptionsDestroy(&database));
  EXPECT_EQ(from_file.eps_type, coded.eps_type);
  EXPECT_EQ(from_file.st_type, coded.st_type);
  EXPECT_EQ(from_file.ksp_type, coded.ksp_type);
  EXPECT_EQ(from_file.pc_type, coded.pc_type);
  EXPECT_EQ(from_file.factor_solver, coded.factor_solver);
  EXPECT_EQ(from_file.sigma, coded.sigma);
  EXPECT_EQ(from_file.tolerance, coded.tolerance);
  EXPECT_EQ(from_file.ncv, coded.ncv);
  EXPECT_EQ(from_file.max_iterations, coded.max_iterations);
  EXPECT_EQ(from_file.n_iterations, coded.n_iterations);
}

TEST(SolveConventions, RedundantOptionsFileAgreesWithTheDefaults) {
  // petsc_options/eigen-redundant.opts on top of eigen.opts, as -options_file would load it.
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  SolveOptions options;
  options.k = 16;
  const Eigenpairs plain = sb::spectral::solve(ops, options);
  PetscOptions database = nullptr;
  SB_PETSC(PetscOptionsCreate(&database));
  SB_PETSC(PetscOptionsInsertFile(PETSC_COMM_WORLD, database, SB_EIGEN_OPTIONS_FILE, PETSC_TRUE));
  SB_PETSC(PetscOptionsInsertFile(PETSC_COMM_WORLD, database, SB_EIGEN_REDUNDANT_OPTIONS_FILE,
                                  PETSC_TRUE));
  SB_PETSC(PetscOptionsPush(database));
  SolveInfo info;
  Eigenpairs redundant;
  try {
    redundant = sb::spectral::solve(ops, options, nullptr, &info);
  } catch (...) {
    PetscOptionsPop();
    PetscOptionsDestroy(&database);
    throw;
  }
  SB_PETSC(PetscOptionsPop());
  SB_PETSC(PetscOptionsDestroy(&database));
  EXPECT_EQ(info.pc_type, "redundant");
  for (int j = 0; j < options.k; ++j)
    EXPECT_NEAR(redundant.values[j], plain.values[j], 1e-10 * std::max(1.0, plain.values[j]));
  EXPECT_EQ(info.n_below_shift, options.k);
}

// --- rank-count independence ------------------------------------------------------------------

TEST(SolveRanks, SameResultOnOneRankAndOnAll) {
  // The reference is solved on PETSC_COMM_SELF by every rank (whole vectors on each); the
  // parallel solve's rows are compared with the matching rows of the reference.
  const auto mesh = sb::mesh::rectangle(1.0, 0.7, 40, 28);
  const int k = 8;  // simple eigenvalues: canonical vectors must agree entry by entry
  const Eigenpairs ref = solve(mesh, k, PETSC_COMM_SELF);
  const Eigenpairs par = solve(mesh, k, PETSC_COMM_WORLD);
  ASSERT_EQ(ref.n_rows_local, ref.n_rows_global);
  double worst_value = 0, worst_vector = 0;
  for (int j = 0; j < k; ++j) {
    const double scale = std::max(1.0, std::abs(ref.values[j]));
    EXPECT_NEAR(par.values[j], ref.values[j], 1e-10 * scale) << "pair " << j;
    worst_value = std::max(worst_value, std::abs(par.values[j] - ref.values[j]) / scale);
    const double d = max_vector_difference(par, ref, j);
    EXPECT_LE(d, 1e-8) << "vector " << j;
    worst_vector = std::max(worst_vector, d);
  }
  if (world_rank() == 0)
    std::printf("1 rank vs all: max rel eigenvalue diff %.2e, max vector entry diff %.2e\n",
                worst_value, worst_vector);
}

TEST(SolveRanks, RepeatedEigenvaluesGiveTheSameSubspaces) {
  // On the sphere each l(l+1) is (2l+1)-fold (split 3+4 and 4+5 for l = 3, 4 by the
  // icosahedral symmetry); bases differ between runs, the eigenspaces must not. For each
  // cluster, the M-orthogonal projection of every parallel vector onto the reference
  // eigenspace must leave a remainder of M-norm ≤ 1e-8 (the sine of the largest principal
  // angle).
  const auto mesh = sb::mesh::icosphere(3);
  const int k = 25;
  const Eigenpairs ref = solve(mesh, k, PETSC_COMM_SELF);
  const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
  SolveOptions options;
  options.k = k;
  const Eigenpairs par = sb::spectral::solve(ops, options);
  InputOrderMass mass(ops, par);
  double worst = 0;
  const auto groups = clusters(ref.values);
  for (const auto& g : groups) {
    std::vector<std::vector<double>> basis;
    for (int j : g) basis.push_back(column(ref, j, par.row_begin, par.n_rows_local));
    for (int j : g) {
      ASSERT_NEAR(par.values[j], ref.values[j], 1e-10 * std::max(1.0, ref.values[j]));
      auto r = column(par, j);
      const auto phi = r;
      for (const auto& q : basis) {
        const double c = mass.inner(q, phi);
        for (std::size_t i = 0; i < r.size(); ++i) r[i] -= c * q[i];
      }
      const double sine = std::sqrt(std::max(0.0, mass.inner(r, r)));
      EXPECT_LE(sine, 1e-8) << "pair " << j;
      worst = std::max(worst, sine);
    }
  }
  if (world_rank() == 0)
    std::printf("%zu eigenspaces, largest principal-angle sine %.2e\n", groups.size(), worst);
}

// --- errors -----------------------------------------------------------------------------------

TEST(SolveErrors, KOutsideOneToNIsAnInputError) {
  const auto mesh = sb::mesh::icosphere(1);  // 42 vertices
  const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
  for (int k : {0, -3, 42, 100}) {
    SolveOptions options;
    options.k = k;
    EXPECT_THROW(sb::spectral::solve(ops, options), sb::core::InputError) << "k=" << k;
  }
}

TEST(SolveErrors, TooFewConvergedIsAComputationErrorWithTheCount) {
  const Operators ops = sb::fem::assemble(sb::mesh::icosphere(3), PETSC_COMM_WORLD);
  OptionsGuard guard({{"-eps_max_it", "1"}, {"-eps_ncv", "24"}});
  SolveOptions options;
  options.k = 20;
  SolveInfo info;
  try {
    sb::spectral::solve(ops, options, nullptr, &info);
    ADD_FAILURE() << "no exception";
  } catch (const sb::core::ComputationError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(std::to_string(info.n_converged) + " of 20"), std::string::npos) << what;
    EXPECT_NE(what.find("-eps_max_it"), std::string::npos) << what;
    EXPECT_NE(what.find("-eps_ncv"), std::string::npos) << what;
    EXPECT_LT(info.n_converged, 20);
    EXPECT_EQ(info.n_iterations, 1);
    if (world_rank() == 0) std::printf("message: %s\n", e.what());
  }
}
