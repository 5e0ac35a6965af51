// Helpers shared by the eigen-solve tests: solving a mesh, M-inner products of returned
// vectors in input order, temporary PETSc options, eigenvalue clusters and analytic spectra.
#pragma once

#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/spectral/solve.hpp"

namespace spectral_test {

namespace sb = spectralbrain;
using sb::fem::Operators;
using sb::spectral::Eigenpairs;
using sb::spectral::SolveInfo;
using sb::spectral::SolveOptions;

constexpr double pi = std::numbers::pi;

inline int world_rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

inline Eigenpairs solve(const sb::mesh::TriMesh& mesh, int k, MPI_Comm comm = PETSC_COMM_WORLD,
                        SolveInfo* info = nullptr,
                        sb::fem::MassMatrix mass = sb::fem::MassMatrix::consistent) {
  sb::fem::AssemblyOptions a;
  a.mass = mass;
  const Operators ops = sb::fem::assemble(mesh, comm, a);
  SolveOptions options;
  options.k = k;
  return sb::spectral::solve(ops, options, nullptr, info);
}

// Sets PETSc options for the lifetime of the guard and clears them after, even on failure.
class OptionsGuard {
 public:
  OptionsGuard(std::initializer_list<std::pair<const char*, const char*>> options) {
    for (const auto& [name, value] : options) {
      SB_PETSC(PetscOptionsSetValue(nullptr, name, value));
      names_.emplace_back(name);
    }
  }
  ~OptionsGuard() {
    for (const auto& name : names_) PetscOptionsClearValue(nullptr, name.c_str());
  }

 private:
  std::vector<std::string> names_;
};

// M in input vertex order, distributed like Eigenpairs rows, for M-inner products of
// returned eigenvectors. Built from the operators by extracting rows and columns in input
// order (MatCreateSubMatrix with the PETSc rows of this rank's input-order block).
class InputOrderMass {
 public:
  InputOrderMass(const Operators& ops, const Eigenpairs& layout) {
    const auto first = ops.numbering.petsc_of_input.begin() + layout.row_begin;
    std::vector<PetscInt> rows(first, first + layout.n_rows_local);
    MPI_Comm comm = MPI_COMM_NULL;
    SB_PETSC(PetscObjectGetComm(reinterpret_cast<PetscObject>(ops.mass.get()), &comm));
    sb::core::PIs is;
    SB_PETSC(ISCreateGeneral(comm, static_cast<PetscInt>(rows.size()), rows.data(),
                             PETSC_COPY_VALUES, is.out()));
    SB_PETSC(MatCreateSubMatrix(ops.mass.get(), is.get(), is.get(), MAT_INITIAL_MATRIX, m_.out()));
    SB_PETSC(MatCreateVecs(m_.get(), x_.out(), mx_.out()));
    comm_ = comm;
  }
  // uᵀ M v for input-order row blocks u, v of this rank.
  double inner(const std::vector<double>& u, const std::vector<double>& v) {
    PetscScalar* p = nullptr;
    SB_PETSC(VecGetArray(x_.get(), &p));
    std::copy(v.begin(), v.end(), p);
    SB_PETSC(VecRestoreArray(x_.get(), &p));
    SB_PETSC(MatMult(m_.get(), x_.get(), mx_.get()));
    const PetscScalar* q = nullptr;
    SB_PETSC(VecGetArrayRead(mx_.get(), &q));
    double s = 0;
    for (std::size_t i = 0; i < u.size(); ++i) s += u[i] * q[i];
    SB_PETSC(VecRestoreArrayRead(mx_.get(), &q));
    MPI_Allreduce(MPI_IN_PLACE, &s, 1, MPI_DOUBLE, MPI_SUM, comm_);
    return s;
  }

 private:
  sb::core::PMat m_;
  sb::core::PVec x_, mx_;
  MPI_Comm comm_ = MPI_COMM_NULL;
};

// Rows [begin, begin + n) of column j of an Eigenpairs' vectors (held by this rank).
inline std::vector<double> column(const Eigenpairs& p, int j, std::int64_t begin, std::int64_t n) {
  std::vector<double> c(n);
  for (std::int64_t i = 0; i < n; ++i) c[i] = p.vectors[(begin - p.row_begin + i) * p.k() + j];
  return c;
}
inline std::vector<double> column(const Eigenpairs& p, int j) {
  return column(p, j, p.row_begin, p.n_rows_local);
}

// Largest |entry difference| over all ranks between column j of `p` and of `ref` (which holds
// at least p's rows; e.g. a one-rank result against a distributed one). Collective.
inline double max_vector_difference(const Eigenpairs& p, const Eigenpairs& ref, int j) {
  const auto a = column(p, j), b = column(ref, j, p.row_begin, p.n_rows_local);
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  MPI_Allreduce(MPI_IN_PLACE, &d, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return d;
}

// Groups of indices whose eigenvalues agree to `rel` (a numerically repeated eigenvalue).
inline std::vector<std::vector<int>> clusters(const std::vector<double>& values,
                                              double rel = 1e-6) {
  std::vector<std::vector<int>> out;
  for (int j = 0; j < static_cast<int>(values.size()); ++j) {
    if (j == 0 || values[j] - values[j - 1] > rel * std::max(1.0, std::abs(values[j])))
      out.emplace_back();
    out.back().push_back(j);
  }
  return out;
}

// Sphere: eigenvalue l(l+1) with multiplicity 2l+1. Returns max |λ − l(l+1)| per l ≥ 1 after
// checking that the first (L+1)² eigenvalues fall into the expected groups.
inline std::vector<double> sphere_errors(const Eigenpairs& p, int l_max) {
  std::vector<double> err(l_max + 1, 0.0);
  EXPECT_NEAR(p.values[0], 0.0, 1e-10);
  for (int l = 1; l <= l_max; ++l) {
    const double exact = l * (l + 1.0);
    for (int j = l * l; j < (l + 1) * (l + 1); ++j) {
      err[l] = std::max(err[l], std::abs(p.values[j] - exact));
      // Closer to its own l(l+1) than half-way to the neighbours: multiplicity 2l+1.
      EXPECT_LT(std::abs(p.values[j] - exact), 0.25 * (2 * l)) << "l=" << l << " j=" << j;
    }
  }
  return err;
}

// Neumann rectangle [0,a]×[0,b]: π²(m²/a² + n²/b²), the smallest `count`.
inline std::vector<double> rectangle_exact(double a, double b, int count) {
  std::vector<double> v;
  for (int m = 0; m < 20; ++m)
    for (int n = 0; n < 20; ++n) v.push_back(pi * pi * (m * m / (a * a) + n * n / (b * b)));
  std::sort(v.begin(), v.end());
  v.resize(count);
  return v;
}

}  // namespace spectral_test
