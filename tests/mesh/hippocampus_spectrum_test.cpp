// The HippUnfold 0.5 mm hippocampus template, with its 28 zero-area triangles, gives a finite
// and converged spectrum (LaPy's SuperLU reports a singular matrix on it); the 0.5 mm and
// 2 mm templates are compared after scaling by area (λ·A is scale invariant).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "mesh_test_util.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/report.hpp"
#include "spectralbrain/spectral/solve.hpp"

using namespace spectralbrain;
using namespace spectralbrain::mesh::testing;

namespace {
struct Spectrum {
  std::vector<double> values;
  double area = 0;
  std::int64_t n_degenerate = 0;
  double max_residual = 0;
};

Spectrum spectrum(const char* file, int k) {
  const mesh::TriMesh m = mesh::read_mesh(mesh_data(file));
  const fem::Operators ops = fem::assemble(m, PETSC_COMM_WORLD);
  spectral::SolveOptions options;
  options.k = k;
  spectral::SolveInfo info;
  const spectral::Eigenpairs pairs = spectral::solve(ops, options, nullptr, &info);
  return {pairs.values, ops.area, ops.n_degenerate, info.max_residual};
}

const char* fine = "hippocampus/tpl-avg_space-canonical_den-0p5mm_label-hipp_midthickness.surf.gii";
const char* coarse = "hippocampus/tpl-avg_space-canonical_den-2mm_label-hipp_midthickness.surf.gii";
}  // namespace

TEST(HippocampusSpectrum, FineTemplateWithZeroAreaTrianglesIsFinite) {
  const Spectrum s = spectrum(fine, 12);
  EXPECT_EQ(s.n_degenerate, 28);  // the 28 zero-area triangles, as mesh::analyse reports
  EXPECT_EQ(mesh::analyse(mesh::read_mesh(mesh_data(fine))).n_zero_area_faces, 28u);
  ASSERT_EQ(s.values.size(), 12u);
  for (const double v : s.values) EXPECT_TRUE(std::isfinite(v)) << v;
  EXPECT_NEAR(s.values[0], 0.0, 1e-8);  // one component, free boundary: λ0 = 0 once
  EXPECT_GT(s.values[1], 1e-3);
  EXPECT_LT(s.max_residual, 1e-6);
}

// The issue asked for the 0.5 mm template's first nonzero eigenvalues to be within 1% of the
// 2 mm template's, scaled. They are not, and cannot be: the two files are not the same
// surface at two resolutions. The 0.5 mm surface has 1.95 times the area (722.4 vs
// 369.6 mm²) and a larger extent (x from 1.9 to 20.9 mm vs 6.1 to 18.8 mm; 256 vs 62
// boundary edges), so even area-scaled (λ·A is invariant under scaling) their spectra
// differ: λ1·A by 12%, λ2·A by 8%, λ3..λ7·A by 0.2–7%. What is checked here is that
// they agree to that loose degree (same organ, same shape family), and, below, that the
// 0.5 mm spectrum is accurate to 1%: refining the same surface does not move it.
TEST(HippocampusSpectrum, FineAndCoarseTemplatesAgreeLooselyAfterAreaScaling) {
  const int k = 8;
  const Spectrum f = spectrum(fine, k), c = spectrum(coarse, k);
  EXPECT_NEAR(f.area / c.area, 1.954, 0.001);
  for (int i = 1; i < k; ++i) {
    SCOPED_TRACE(i);
    const double ratio = (f.values[i] * f.area) / (c.values[i] * c.area);
    EXPECT_NEAR(ratio, 1.0, 0.15);
  }
}

// The 0.5 mm spectrum against that of the same surface refined once (each triangle split in
// four at its edge midpoints: the geometry is unchanged, including the 28 zero-area
// triangles, now 112). P1 eigenvalues converge from above; the first nonzero ones move by
// less than 1%, so the zero-area clamp and the resolution leave them accurate.
TEST(HippocampusSpectrum, FineTemplateSpectrumIsConvergedToOnePercent) {
  const int k = 8;
  const mesh::TriMesh m = mesh::read_mesh(mesh_data(fine));
  const mesh::TriMesh refined = mesh::subdivide_midpoint(m);
  spectral::SolveOptions options;
  options.k = k;
  const auto coarse_values = spectral::solve(fem::assemble(m, PETSC_COMM_WORLD), options).values;
  const fem::Operators ops = fem::assemble(refined, PETSC_COMM_WORLD);
  EXPECT_EQ(ops.n_degenerate, 4 * 28);
  const auto fine_values = spectral::solve(ops, options).values;
  for (int i = 1; i < k; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(std::isfinite(fine_values[i]));
    EXPECT_LE(fine_values[i], coarse_values[i] * (1 + 1e-9));  // convergence from above
    EXPECT_NEAR(fine_values[i] / coarse_values[i], 1.0, 0.01);
  }
}
