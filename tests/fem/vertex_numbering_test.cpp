// Vertex numbering: a permutation, the same on every rank, with balanced connected parts.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "spectralbrain/fem/vertex_numbering.hpp"
#include "spectralbrain/mesh/primitives.hpp"

namespace sb = spectralbrain;
using sb::fem::Partitioner;
using sb::fem::VertexNumbering;

namespace {

// Number of connected pieces of the subgraph of the mesh's vertex graph induced by `in`.
int pieces(const sb::mesh::TriMesh& mesh, const std::vector<char>& in) {
  const std::size_t n = mesh.n_vertices();
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  for (const auto& f : mesh.faces)
    for (int e = 0; e < 3; ++e) {
      const int a = f[e], b = f[(e + 1) % 3];
      if (in[a] && in[b]) parent[find(a)] = find(b);
    }
  int count = 0;
  for (std::size_t v = 0; v < n; ++v)
    if (in[v] && find(static_cast<int>(v)) == static_cast<int>(v)) ++count;
  return count;
}

void check(const sb::mesh::TriMesh& mesh, const VertexNumbering& num, int size) {
  const int n = static_cast<int>(mesh.n_vertices());
  ASSERT_EQ(num.n_vertices(), n);
  ASSERT_EQ(static_cast<int>(num.row_begin.size()), size + 1);
  EXPECT_EQ(num.row_begin.front(), 0);
  EXPECT_EQ(num.row_begin.back(), n);
  for (int v = 0; v < n; ++v) ASSERT_EQ(num.input_of_petsc[num.petsc_of_input[v]], v);
  // Identical on every rank.
  std::vector<int> mine(num.petsc_of_input.begin(), num.petsc_of_input.end()), other(n);
  MPI_Allreduce(mine.data(), other.data(), n, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  EXPECT_EQ(mine, other);
  for (int r = 0; r < size; ++r) {
    EXPECT_GE(num.n_owned(r), 0.85 * n / size) << "rank " << r;  // balanced
    std::vector<char> in(n, 0);
    for (int row = num.row_begin[r]; row < num.row_begin[r + 1]; ++row)
      in[num.input_of_petsc[row]] = 1;
    EXPECT_EQ(pieces(mesh, in), 1) << "part of rank " << r << " is not connected";
  }
}

}  // namespace

TEST(VertexNumbering, GraphPartsAreBalancedAndConnected) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (const auto& mesh : {sb::mesh::icosphere(4), sb::mesh::rectangle(3.0, 1.0, 60, 20)})
    check(mesh, sb::fem::number_vertices(mesh, MPI_COMM_WORLD, Partitioner::graph), size);
}

TEST(VertexNumbering, SweepPartsAreBalancedAndConnected) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (const auto& mesh : {sb::mesh::icosphere(4), sb::mesh::rectangle(3.0, 1.0, 60, 20)})
    check(mesh, sb::fem::number_vertices(mesh, MPI_COMM_WORLD, Partitioner::sweep), size);
}

TEST(VertexNumbering, IdentityOnOneRank) {
  const auto mesh = sb::mesh::icosphere(2);
  const auto num = sb::fem::number_vertices(mesh, MPI_COMM_SELF);
  for (int v = 0; v < num.n_vertices(); ++v) EXPECT_EQ(num.petsc_of_input[v], v);
}
