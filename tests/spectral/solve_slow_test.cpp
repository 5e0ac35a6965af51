// Slow regression cases of the eigen-solve: finer meshes, and k = 100 on a 40,962-vertex
// sphere, where the first 100 eigenvalues are exactly the groups l = 0..9 (multiplicities up
// to 19) — a stress test of the completeness check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "spectral_test_support.hpp"
#include "spectralbrain/mesh/primitives.hpp"

using namespace spectral_test;

TEST(SolveSphereSlow, HundredEigenvaluesInTheirGroupsAndSecondOrderOnLevels5To6) {
  const int l_max = 9, k = (l_max + 1) * (l_max + 1);
  SolveInfo info5, info6;
  const auto e5 = sphere_errors(solve(sb::mesh::icosphere(5), k, PETSC_COMM_WORLD, &info5), l_max);
  const auto e6 = sphere_errors(solve(sb::mesh::icosphere(6), k, PETSC_COMM_WORLD, &info6), l_max);
  EXPECT_EQ(info6.n_below_shift, k);
  for (int l = 1; l <= l_max; ++l) {
    const double ratio = e5[l] / e6[l];
    if (world_rank() == 0)
      std::printf("sphere l=%d  err(level 5)=%.3e  err(level 6)=%.3e  ratio=%.3f\n", l, e5[l],
                  e6[l], ratio);
    if (l <= 6) {
      EXPECT_GT(ratio, 3.9) << "l=" << l;
      EXPECT_LT(ratio, 4.1) << "l=" << l;
    }
  }
  if (world_rank() == 0)
    std::printf("level 6: %d iterations, %d recovered by the count check\n", info6.n_iterations,
                info6.n_recovered);
}

TEST(SolveRectangleSlow, SecondOrderOnFinerGrids) {
  const double a = 1.0, b = 0.7;
  const int k = 12;
  const auto exact = rectangle_exact(a, b, k);
  const auto coarse = solve(sb::mesh::rectangle(a, b, 80, 56), k);
  const auto fine = solve(sb::mesh::rectangle(a, b, 160, 112), k);
  for (int j = 1; j < k; ++j) {
    const double ec = std::abs(coarse.values[j] - exact[j]),
                 ef = std::abs(fine.values[j] - exact[j]);
    if (world_rank() == 0)
      std::printf("rectangle λ%d=%.4f  rel err %.3e %.3e  ratio %.3f\n", j, exact[j], ec / exact[j],
                  ef / exact[j], ec / ef);
    EXPECT_GT(ec / ef, 3.9) << "λ" << j;
    EXPECT_LT(ec / ef, 4.1) << "λ" << j;
  }
}

TEST(SolveSphereSlow, SlicingFindsTheHundredInTheirGroupsOrthonormal) {
  // The same stress test with spectrum slicing: every copy of each l(l+1) (up to 19) must be
  // found, since the inertias at the shifts count them, and the Rayleigh–Ritz step must leave
  // the basis M-orthonormal.
  const int l_max = 9, k = (l_max + 1) * (l_max + 1);
  const auto ops = sb::fem::assemble(sb::mesh::icosphere(6), PETSC_COMM_WORLD);
  SolveOptions options;
  options.k = k;
  options.slicing = true;
  SolveInfo info;
  const auto p = sb::spectral::solve(ops, options, nullptr, &info);
  EXPECT_TRUE(info.slicing);
  EXPECT_EQ(info.n_below_shift, k);  // b ≈ 105 lies between l = 9 (90) and l = 10 (110)
  const auto err = sphere_errors(p, l_max);
  InputOrderMass mass(ops, p);
  double worst_gram = 0;
  std::vector<std::vector<double>> phi;
  for (int j = 0; j < k; ++j) phi.push_back(column(p, j));
  for (int i = 0; i < k; ++i)
    for (int j = i; j < k; ++j)
      worst_gram =
          std::max(worst_gram, std::abs(mass.inner(phi[i], phi[j]) - (i == j ? 1.0 : 0.0)));
  EXPECT_LE(worst_gram, 1e-10);
  if (world_rank() == 0)
    std::printf("sliced level 6: %d partitions, err(l=9)=%.3e, max |PhiT M Phi - I| %.2e\n",
                info.n_partitions, err[l_max], worst_gram);
}
