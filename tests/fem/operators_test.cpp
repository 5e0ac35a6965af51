// Cotangent stiffness and mass: the algebraic properties the eigenproblem relies on, the
// same matrices at every rank count, and finite entries for degenerate triangles.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/mesh/primitives.hpp"

namespace sb = spectralbrain;
using sb::fem::AssemblyOptions;
using sb::fem::MassMatrix;
using sb::fem::Operators;
using sb::fem::Partitioner;

namespace {

// A mesh with obtuse triangles (and so some positive off-diagonal entries in L): the
// icosphere with every vertex pushed in or out by a deterministic pseudo-random amount.
sb::mesh::TriMesh bumpy_sphere(int level) {
  auto m = sb::mesh::icosphere(level);
  for (std::size_t v = 0; v < m.vertices.size(); ++v) {
    const double r = 1.0 + 0.15 * std::sin(12.9898 * static_cast<double>(v) + 0.3);
    for (double& c : m.vertices[v]) c *= r;
  }
  return m;
}

// The whole of a distributed Vec on every rank, reordered to input vertex order.
std::vector<double> input_order(const Operators& ops, Vec v) {
  sb::core::PVecScatter scatter;
  sb::core::PVec all;
  SB_PETSC(VecScatterCreateToAll(v, scatter.out(), all.out()));
  SB_PETSC(VecScatterBegin(scatter.get(), v, all.get(), INSERT_VALUES, SCATTER_FORWARD));
  SB_PETSC(VecScatterEnd(scatter.get(), v, all.get(), INSERT_VALUES, SCATTER_FORWARD));
  const PetscScalar* a = nullptr;
  SB_PETSC(VecGetArrayRead(all.get(), &a));
  std::vector<double> out(ops.numbering.n_vertices());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = a[ops.numbering.petsc_of_input[i]];
  SB_PETSC(VecRestoreArrayRead(all.get(), &a));
  return out;
}

// A·x with x given in input order (the same on every rank); result in input order.
std::vector<double> apply(const Operators& ops, Mat a, const std::vector<double>& x) {
  sb::core::PVec in, out;
  SB_PETSC(MatCreateVecs(a, in.out(), out.out()));
  PetscInt lo = 0, hi = 0;
  SB_PETSC(VecGetOwnershipRange(in.get(), &lo, &hi));
  PetscScalar* p = nullptr;
  SB_PETSC(VecGetArray(in.get(), &p));
  for (PetscInt r = lo; r < hi; ++r) p[r - lo] = x[ops.numbering.input_of_petsc[r]];
  SB_PETSC(VecRestoreArray(in.get(), &p));
  SB_PETSC(MatMult(a, in.get(), out.get()));
  return input_order(ops, out.get());
}

std::vector<double> pseudo_random(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = std::sin(78.233 * static_cast<double>(i) + 1.0);
  return x;
}

double max_abs(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m = std::max(m, std::abs(v));
  return m;
}

// Largest |entry| of a matrix, and whether every entry is finite.
std::pair<double, bool> entries(Mat a) {
  PetscInt lo = 0, hi = 0;
  SB_PETSC(MatGetOwnershipRange(a, &lo, &hi));
  double big = 0;
  int finite = 1;
  for (PetscInt r = lo; r < hi; ++r) {
    PetscInt nc = 0;
    const PetscScalar* v = nullptr;
    SB_PETSC(MatGetRow(a, r, &nc, nullptr, &v));
    for (PetscInt c = 0; c < nc; ++c) {
      if (!std::isfinite(v[c])) finite = 0;
      big = std::max(big, std::abs(v[c]));
    }
    SB_PETSC(MatRestoreRow(a, r, &nc, nullptr, &v));
  }
  MPI_Allreduce(MPI_IN_PLACE, &big, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &finite, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return {big, finite == 1};
}

double sum_of_entries(const Operators& ops, Mat a) {
  const auto y = apply(ops, a, std::vector<double>(ops.numbering.n_vertices(), 1.0));
  double s = 0;
  for (double v : y) s += v;
  return s;
}

}  // namespace

TEST(Operators, StiffnessRowsSumToZero) {
  for (const auto& mesh : {bumpy_sphere(2), sb::mesh::rectangle(2.0, 1.0, 8, 5)}) {
    const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
    const auto l1 = apply(ops, ops.stiffness.get(), std::vector<double>(mesh.n_vertices(), 1.0));
    const double scale = entries(ops.stiffness.get()).first;
    EXPECT_LE(max_abs(l1), 1e-14 * scale);
  }
}

TEST(Operators, SymmetricAndStiffnessPositiveSemiDefinite) {
  const auto mesh = bumpy_sphere(1);  // 42 vertices: small enough for a dense check
  const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
  PetscBool symmetric = PETSC_FALSE;
  SB_PETSC(MatIsSymmetric(ops.stiffness.get(), 0.0, &symmetric));
  EXPECT_TRUE(symmetric);
  SB_PETSC(MatIsSymmetric(ops.mass.get(), 0.0, &symmetric));
  EXPECT_TRUE(symmetric);

  // All eigenvalues of L by dense LAPACK: one zero (the constants), the rest positive.
  sb::core::PEps eps;
  SB_PETSC(EPSCreate(PETSC_COMM_WORLD, eps.out()));
  SB_PETSC(EPSSetOperators(eps.get(), ops.stiffness.get(), nullptr));
  SB_PETSC(EPSSetProblemType(eps.get(), EPS_HEP));
  SB_PETSC(EPSSetType(eps.get(), EPSLAPACK));
  SB_PETSC(EPSSetWhichEigenpairs(eps.get(), EPS_SMALLEST_REAL));
  const PetscInt n = static_cast<PetscInt>(mesh.n_vertices());
  SB_PETSC(EPSSetDimensions(eps.get(), n, PETSC_DEFAULT, PETSC_DEFAULT));
  SB_PETSC(EPSSolve(eps.get()));
  PetscInt n_conv = 0;
  SB_PETSC(EPSGetConverged(eps.get(), &n_conv));
  ASSERT_EQ(n_conv, n);
  std::vector<double> lambda(n);
  for (PetscInt i = 0; i < n; ++i) SB_PETSC(EPSGetEigenvalue(eps.get(), i, &lambda[i], nullptr));
  std::sort(lambda.begin(), lambda.end());
  const double scale = lambda.back();
  EXPECT_NEAR(lambda[0], 0.0, 1e-13 * scale);
  EXPECT_GT(lambda[1], 1e-3 * scale);  // one connected component: a one-dimensional kernel
}

TEST(Operators, MassSumsToAreaAndLumpingKeepsRowSums) {
  const auto rect = sb::mesh::rectangle(2.0, 1.0, 8, 5);
  const Operators ops = sb::fem::assemble(rect, PETSC_COMM_WORLD);
  EXPECT_NEAR(ops.area, 2.0, 1e-14);
  EXPECT_NEAR(sum_of_entries(ops, ops.mass.get()), 2.0, 1e-14);
  EXPECT_EQ(ops.n_degenerate, 0);

  const auto sphere = bumpy_sphere(2);
  AssemblyOptions lumped;
  lumped.mass = MassMatrix::lumped;
  const Operators c = sb::fem::assemble(sphere, PETSC_COMM_WORLD);
  const Operators l = sb::fem::assemble(sphere, PETSC_COMM_WORLD, lumped);
  EXPECT_NEAR(sum_of_entries(c, c.mass.get()), c.area, 1e-13 * c.area);
  EXPECT_DOUBLE_EQ(c.area, l.area);
  const std::vector<double> ones(sphere.n_vertices(), 1.0);
  const auto rc = apply(c, c.mass.get(), ones), rl = apply(l, l.mass.get(), ones);
  for (std::size_t i = 0; i < ones.size(); ++i) EXPECT_NEAR(rc[i], rl[i], 1e-15 * c.area);
  // Lumped mass is diagonal.
  PetscInt lo = 0, hi = 0;
  SB_PETSC(MatGetOwnershipRange(l.mass.get(), &lo, &hi));
  for (PetscInt r = lo; r < hi; ++r) {
    PetscInt nc = 0;
    SB_PETSC(MatGetRow(l.mass.get(), r, &nc, nullptr, nullptr));
    EXPECT_EQ(nc, 1);
    SB_PETSC(MatRestoreRow(l.mass.get(), r, &nc, nullptr, nullptr));
  }
}

TEST(Operators, SameMatricesAtEveryRankCountAndPartitioner) {
  const auto mesh = bumpy_sphere(3);
  const auto x = pseudo_random(mesh.n_vertices());
  const Operators serial = sb::fem::assemble(mesh, PETSC_COMM_SELF);
  const auto l_ref = apply(serial, serial.stiffness.get(), x);
  const auto m_ref = apply(serial, serial.mass.get(), x);
  for (Partitioner p : {Partitioner::graph, Partitioner::sweep}) {
    AssemblyOptions options;
    options.partitioner = p;
    const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD, options);
    EXPECT_EQ(ops.area, serial.area);  // computed in the same order everywhere
    const auto l = apply(ops, ops.stiffness.get(), x), m = apply(ops, ops.mass.get(), x);
    const double ls = max_abs(l_ref), ms = max_abs(m_ref);
    for (std::size_t i = 0; i < x.size(); ++i) {
      ASSERT_NEAR(l[i], l_ref[i], 1e-13 * ls) << "vertex " << i;
      ASSERT_NEAR(m[i], m_ref[i], 1e-13 * ms) << "vertex " << i;
    }
  }
}

TEST(Operators, DegenerateTrianglesGiveFiniteEntries) {
  // A unit square of 8 triangles, plus: a triangle with a repeated corner position (zero
  // area exactly), one with three collinear corners, and a sliver of height 1e-15 (not
  // caught by LaPy's absolute test; its cotangents would be ~1e14).
  auto mesh = sb::mesh::rectangle(1.0, 1.0, 2, 2);  // vertices 0..8, 0-1-2 along y = 0
  mesh.vertices.push_back(mesh.vertices[4]);        // 9: copy of the centre
  mesh.vertices.push_back({0.25, 0.0, 0.0});        // 10: on edge 0-1
  mesh.vertices.push_back({0.75, -1e-15, 0.0});     // 11: just below edge 1-2
  mesh.faces.push_back({4, 9, 5});
  mesh.faces.push_back({0, 10, 1});
  mesh.faces.push_back({1, 11, 2});
  const Operators ops = sb::fem::assemble(mesh, PETSC_COMM_WORLD);
  EXPECT_EQ(ops.n_degenerate, 3);
  for (Mat a : {ops.stiffness.get(), ops.mass.get()}) {
    const auto [big, finite] = entries(a);
    EXPECT_TRUE(finite);
    EXPECT_LT(big, 1e6);
  }
  const auto l1 = apply(ops, ops.stiffness.get(), std::vector<double>(mesh.n_vertices(), 1.0));
  EXPECT_LE(max_abs(l1), 1e-9);
  // The stand-in area is 1e-4 of the mean |cross| (8 × 0.25 + 3 × ~0, over 11 faces) per
  // degenerate triangle, halved; M's entries add up to that area.
  const double stand_in = 1e-4 * (8 * 0.25 + 0.5e-15) / 11;
  EXPECT_NEAR(ops.area, 1.0 + 3 * stand_in / 2, 1e-15);
  EXPECT_NEAR(sum_of_entries(ops, ops.mass.get()), ops.area, 1e-14);
  PetscBool symmetric = PETSC_FALSE;
  SB_PETSC(MatIsSymmetric(ops.stiffness.get(), 0.0, &symmetric));
  EXPECT_TRUE(symmetric);
}

TEST(Operators, BadMeshesAreInputErrors) {
  auto mesh = sb::mesh::rectangle(1.0, 1.0, 1, 1);
  auto out_of_range = mesh;
  out_of_range.faces[1][2] = 4;
  EXPECT_THROW(sb::fem::assemble(out_of_range, PETSC_COMM_WORLD), sb::core::InputError);
  auto unreferenced = mesh;
  unreferenced.vertices.push_back({5.0, 5.0, 0.0});
  try {
    sb::fem::assemble(unreferenced, PETSC_COMM_WORLD);
    ADD_FAILURE() << "no exception";
  } catch (const sb::core::InputError& e) {
    EXPECT_EQ(e.record(), "vertex 4");
  }
  auto empty = mesh;
  empty.faces.clear();
  EXPECT_THROW(sb::fem::assemble(empty, PETSC_COMM_WORLD), sb::core::InputError);
}
