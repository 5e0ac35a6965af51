// Helpers of the descriptor tests: seeded random eigenpairs, row splits, naive references.
#pragma once

#include <mpi.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "spectralbrain/spectral/eigenpairs.hpp"

namespace descriptor_test {

using spectralbrain::spectral::Eigenpairs;

/// N×k matrix with orthonormal columns in the Euclidean inner product (M = I), by
/// Gram–Schmidt on seeded Gaussian columns: with it Σ_x φ_i(x)² = 1 exactly, the discrete
/// stand-in for ∫ φ_i² dA = 1.
inline std::vector<double> orthonormal_columns(std::int64_t n, std::int64_t k, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> q(static_cast<std::size_t>(n * k));
  for (auto& v : q) v = normal(rng);
  for (std::int64_t j = 0; j < k; ++j)
    for (int pass = 0; pass < 2; ++pass) {  // twice: orthogonal to rounding
      for (std::int64_t i = 0; i < j; ++i) {
        double dot = 0;
        for (std::int64_t r = 0; r < n; ++r) dot += q[r * k + i] * q[r * k + j];
        for (std::int64_t r = 0; r < n; ++r) q[r * k + j] -= dot * q[r * k + i];
      }
      double norm = 0;
      for (std::int64_t r = 0; r < n; ++r) norm += q[r * k + j] * q[r * k + j];
      norm = std::sqrt(norm);
      for (std::int64_t r = 0; r < n; ++r) q[r * k + j] /= norm;
    }
  return q;
}

/// Whole-matrix eigenpairs: `values` with orthonormal random vectors (one rank's view of all
/// rows).
inline Eigenpairs synthetic(std::vector<double> values, std::int64_t n, unsigned seed) {
  Eigenpairs e;
  e.n_rows_global = e.n_rows_local = n;
  e.row_begin = 0;
  e.vectors = orthonormal_columns(n, static_cast<std::int64_t>(values.size()), seed);
  e.residuals.assign(values.size(), 0.0);
  e.values = std::move(values);
  return e;
}

/// The rows [begin, begin + count) of `all`, like spectral::solve's split over ranks.
inline Eigenpairs rows_of(const Eigenpairs& all, std::int64_t begin, std::int64_t count) {
  Eigenpairs e = all;
  e.row_begin = begin;
  e.n_rows_local = count;
  const auto k = all.k();
  e.vectors.assign(all.vectors.begin() + begin * k, all.vectors.begin() + (begin + count) * k);
  return e;
}

/// This rank's PetscSplitOwnership-style block of n rows: (begin, count).
inline std::pair<std::int64_t, std::int64_t> my_rows(std::int64_t n, MPI_Comm comm) {
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const std::int64_t base = n / size, extra = n % size;
  return {rank * base + std::min<std::int64_t>(rank, extra), base + (rank < extra ? 1 : 0)};
}

/// Concatenates every rank's row-major block (n_local × n_cols) in rank order.
inline std::vector<double> gather_rows(const std::vector<double>& local, MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  int mine = static_cast<int>(local.size());
  std::vector<int> counts(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
  MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
  int total = 0;
  for (int r = 0; r < size; ++r) {
    offsets[static_cast<std::size_t>(r)] = total;
    total += counts[static_cast<std::size_t>(r)];
  }
  std::vector<double> all(static_cast<std::size_t>(total));
  MPI_Allgatherv(local.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                 MPI_DOUBLE, comm);
  return all;
}

/// Σ_i w_ic φ_i(x)² with plain loops (the reference for the BLAS kernel).
inline std::vector<double> naive_signature(const std::vector<double>& phi, std::int64_t n,
                                           std::int64_t k, const std::vector<double>& w,
                                           std::int64_t c) {
  std::vector<double> out(static_cast<std::size_t>(n * c), 0.0);
  for (std::int64_t r = 0; r < n; ++r)
    for (std::int64_t j = 0; j < c; ++j) {
      long double s = 0;
      for (std::int64_t i = 0; i < k; ++i)
        s += static_cast<long double>(phi[r * k + i]) * phi[r * k + i] * w[i * c + j];
      out[r * c + j] = static_cast<double>(s);
    }
  return out;
}

/// max |a − b| / max |b|.
inline double relative_error(const std::vector<double>& a, const std::vector<double>& b) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    diff = std::max(diff, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return a.size() == b.size() ? diff / (scale > 0 ? scale : 1) : INFINITY;
}

}  // namespace descriptor_test
