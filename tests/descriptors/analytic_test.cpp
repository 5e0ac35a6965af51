// Descriptors through the real solver against analytic truth: on the unit sphere the heat
// kernel signature is the same at every point, h(t) = Σ_l (2l+1)/(4π) e^(−l(l+1)t), and the
// heat trace is 4π times that (spherical harmonics: eigenvalue l(l+1) with multiplicity
// 2l+1, and Σ_m Y_lm(x)² = (2l+1)/(4π) at every x). With k = (L+1)² the computed modes are
// complete l-groups, so the truncated sums compare like with like, and the error must fall
// with refinement. Also: ShapeDNA's normalisations are invariant to scaling the mesh, WKS
// and scaled HKS columns integrate to 1, SI-HKS is scale invariant. Run at 1 and 2 ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <numbers>

#include "descriptor_test_support.hpp"
#include "spectralbrain/descriptors/descriptor_set.hpp"
#include "spectralbrain/descriptors/hks.hpp"
#include "spectralbrain/descriptors/shapedna.hpp"
#include "spectralbrain/descriptors/si_hks.hpp"
#include "spectralbrain/descriptors/wks.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/spectral/solve.hpp"

using namespace spectralbrain;
namespace d = spectralbrain::descriptors;

namespace {

constexpr double pi = std::numbers::pi;

struct Solved {
  spectral::Eigenpairs eigen;
  double area = 0;
};

Solved solve(const mesh::TriMesh& m, int k) {
  const fem::Operators ops = fem::assemble(m, MPI_COMM_WORLD);
  spectral::SolveOptions options;
  options.k = k;
  return {spectral::solve(ops, options), ops.area};
}

// printf on rank 0 only (the ranks agree on every printed number).
template <class... Args>
void say(const char* format, Args... args) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) std::printf(format, args...);
}

double all_max(double v) {
  MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return v;
}

// Σ over all ranks' rows of a_x · f(x, c) per column c: the integral with the lumped mass.
std::vector<double> integrate(const std::vector<double>& rows, std::size_t n_cols,
                              const std::vector<double>& vertex_area, std::int64_t row_begin) {
  std::vector<double> s(n_cols, 0.0);
  for (std::size_t i = 0; i < rows.size(); ++i)
    s[i % n_cols] += vertex_area[static_cast<std::size_t>(row_begin) + i / n_cols] * rows[i];
  MPI_Allreduce(MPI_IN_PLACE, s.data(), static_cast<int>(n_cols), MPI_DOUBLE, MPI_SUM,
                MPI_COMM_WORLD);
  return s;
}

// A third of the area of every triangle around each vertex (the lumped mass), input order.
std::vector<double> vertex_areas(const mesh::TriMesh& m) {
  std::vector<double> a(m.n_vertices(), 0.0);
  for (const auto& f : m.faces) {
    const auto &p = m.vertices[f[0]], &q = m.vertices[f[1]], &r = m.vertices[f[2]];
    const double u[3] = {q[0] - p[0], q[1] - p[1], q[2] - p[2]};
    const double v[3] = {r[0] - p[0], r[1] - p[1], r[2] - p[2]};
    const double x = u[1] * v[2] - u[2] * v[1], y = u[2] * v[0] - u[0] * v[2],
                 z = u[0] * v[1] - u[1] * v[0];
    for (int j = 0; j < 3; ++j) a[f[j]] += std::sqrt(x * x + y * y + z * z) / 6;
  }
  return a;
}

mesh::TriMesh scaled(mesh::TriMesh m, double sx, double sy, double sz) {
  for (auto& p : m.vertices) p = {sx * p[0], sy * p[1], sz * p[2]};
  return m;
}

}  // namespace

TEST(SphereHeatKernel, ConstantOverVerticesAndConvergingToTheAnalyticSum) {
  const int L = 6, k = (L + 1) * (L + 1);
  double previous_hks = INFINITY, previous_trace = INFINITY;
  for (int level : {3, 4, 5}) {
    const mesh::TriMesh sphere = mesh::icosphere(level);
    const Solved s = solve(sphere, k);
    const auto times = d::hks_times(s.eigen.values, {});
    const auto h = d::hks(s.eigen, times);
    const auto z = d::heat_trace(s.eigen.values, times);
    double hks_error = 0, spread = 0, trace_error = 0;
    for (std::size_t j = 0; j < times.size(); ++j) {
      double exact = 0;
      for (int l = 0; l <= L; ++l) exact += (2 * l + 1) * std::exp(-l * (l + 1) * times[j]);
      double lo = INFINITY, hi = -INFINITY;
      for (std::int64_t r = 0; r < s.eigen.n_rows_local; ++r) {
        const double v = h[static_cast<std::size_t>(r) * times.size() + j];
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        hks_error = std::max(hks_error, std::abs(v - exact / (4 * pi)) / (exact / (4 * pi)));
      }
      spread = std::max(spread, (hi - lo) / (exact / (4 * pi)));
      trace_error = std::max(trace_error, std::abs(z[j] - exact) / exact);
    }
    hks_error = all_max(hks_error);
    spread = all_max(spread);
    say("level %d: N = %lld, max relative HKS error %.3e (spread over vertices %.3e), "
        "heat trace error %.3e\n",
        level, static_cast<long long>(s.eigen.n_rows_global), hks_error, spread, trace_error);
    EXPECT_LT(hks_error, 0.05) << "level " << level;
    EXPECT_LT(trace_error, 0.05) << "level " << level;
    // Second-order FEM eigenvalues: the heat trace error falls 4x per refinement (h halves).
    // The pointwise HKS also carries eigenvector errors, pre-asymptotic at these levels
    // (measured: 2.9x, 3.1x).
    EXPECT_LT(hks_error, previous_hks / 2.5) << "level " << level;
    EXPECT_LT(trace_error, previous_trace / 3.5) << "level " << level;
    previous_hks = hks_error;
    previous_trace = trace_error;
  }
}

TEST(ShapeDnaThroughTheSolver, NormalisationsInvariantToScalingByTwo) {
  const mesh::TriMesh ellipsoid = scaled(mesh::icosphere(3), 1.5, 1.0, 0.8);
  const mesh::TriMesh twice = scaled(ellipsoid, 2, 2, 2);
  const Solved a = solve(ellipsoid, 20), b = solve(twice, 20);
  EXPECT_NEAR(b.area, 4 * a.area, 1e-12 * b.area);
  const double va = d::enclosed_volume(ellipsoid, "ellipsoid");
  const double vb = d::enclosed_volume(twice, "twice");
  EXPECT_NEAR(vb, 8 * va, 1e-12 * vb);
  for (auto n : {d::ShapeDnaNormalization::surface, d::ShapeDnaNormalization::volume})
    for (auto r : {d::ShapeDnaReweighting::none, d::ShapeDnaReweighting::lapy,
                   d::ShapeDnaReweighting::index}) {
      const auto x = d::shapedna(a.eigen.values, a.area, va, {n, r});
      const auto y = d::shapedna(b.eigen.values, b.area, vb, {n, r});
      ASSERT_EQ(x.size(), y.size());
      const double scale = x.back();
      for (std::size_t i = 0; i < x.size(); ++i)
        EXPECT_NEAR(x[i], y[i], 1e-8 * scale) << d::name(n) << "/" << d::name(r) << " mode " << i;
    }
  // Without normalisation the eigenvalues do change, by 1/s² = 1/4.
  const auto x = d::shapedna(a.eigen.values, a.area, va, {d::ShapeDnaNormalization::none});
  const auto y = d::shapedna(b.eigen.values, b.area, vb, {d::ShapeDnaNormalization::none});
  EXPECT_NEAR(y[5], x[5] / 4, 1e-8 * x[5]);
}

TEST(WksAndScaledHks, ColumnsIntegrateToOneOverTheSurface) {
  // ∫ φ_i² dA = 1 (M-orthonormal) makes C_e-normalised WKS and Z-scaled HKS columns
  // integrate to 1. Summing a_x·WKS(x) with the lumped vertex areas a_x is a quadrature of
  // that integral, exact only in the limit: the defect must be small and fall with h².
  double previous = INFINITY;
  for (int level : {3, 4}) {
    const mesh::TriMesh m = scaled(mesh::icosphere(level), 1.5, 1.0, 0.8);
    const Solved s = solve(m, 40);
    const auto area = vertex_areas(m);
    const auto grid = d::wks_grid(s.eigen.values, {});
    const auto wks =
        integrate(d::wks(s.eigen, grid), grid.energies.size(), area, s.eigen.row_begin);
    const auto times = d::hks_times(s.eigen.values, {});
    const auto hks = integrate(d::hks(s.eigen, times, d::HksScaling::heat_trace), times.size(),
                               area, s.eigen.row_begin);
    double worst = 0;
    for (double v : wks) worst = std::max(worst, std::abs(v - 1));
    for (double v : hks) worst = std::max(worst, std::abs(v - 1));
    say("level %d: max |integral - 1| over WKS energies and scaled HKS times: %.3e\n", level,
        worst);
    EXPECT_LT(worst, 0.1) << "level " << level;
    EXPECT_LT(worst, previous / 3) << "level " << level;
    previous = worst;
  }
}

TEST(SiHksThroughTheSolver, InvariantToScalingByTwo) {
  const mesh::TriMesh ellipsoid = scaled(mesh::icosphere(3), 1.5, 1.0, 0.8);
  const Solved a = solve(ellipsoid, 30), b = solve(scaled(ellipsoid, 2, 2, 2), 30);
  d::SiHksOptions o;  // α = 2: scaling by 2 shifts τ by exactly 2
  o.tau_min = -20;
  o.tau_max = 14;
  const auto x = d::si_hks(a.eigen, o), y = d::si_hks(b.eigen, o);
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(x[i]));
  }
  diff = all_max(diff);
  scale = all_max(scale);
  say("SI-HKS, mesh scaled by 2: max difference %.3e of max %.3e\n", diff, scale);
  EXPECT_LT(diff, 1e-3 * scale);
}
