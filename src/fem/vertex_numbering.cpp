// Vertex partitioning and renumbering: graph partitioning via PETSc or a breadth-first sweep.
#include "spectralbrain/fem/vertex_numbering.hpp"

#include <algorithm>
#include <numeric>

#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"

namespace spectralbrain::fem {

namespace {

using Index = std::int32_t;

// First vertex of `rank`'s block of n (core::row_block; it fits an Index since n does).
Index block_begin(Index n, int size, int rank) {
  return static_cast<Index>(core::row_block(n, rank, size).begin);
}

// Vertex adjacency (no self loops, sorted, unique) of vertices [begin, end) as CSR;
// offsets has end - begin + 1 entries.
void adjacency(const mesh::TriMesh& mesh, Index begin, Index end, std::vector<Index>& offsets,
               std::vector<Index>& neighbours) {
  const Index n = end - begin;
  offsets.assign(n + 1, 0);
  auto mine = [&](Index v) { return v >= begin && v < end; };
  for (const auto& f : mesh.faces)
    for (int e = 0; e < 3; ++e) {
      const Index a = f[e], b = f[(e + 1) % 3];
      if (a == b) continue;
      if (mine(a)) ++offsets[a - begin + 1];
      if (mine(b)) ++offsets[b - begin + 1];
    }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  neighbours.resize(offsets[n]);
  std::vector<Index> fill(offsets.begin(), offsets.end() - 1);
  for (const auto& f : mesh.faces)
    for (int e = 0; e < 3; ++e) {
      const Index a = f[e], b = f[(e + 1) % 3];
      if (a == b) continue;
      if (mine(a)) neighbours[fill[a - begin]++] = b;
      if (mine(b)) neighbours[fill[b - begin]++] = a;
    }
  // Each interior edge was seen from both of its faces: sort and drop duplicates in place.
  Index out = 0;
  for (Index v = 0; v < n; ++v) {
    auto first = neighbours.begin() + offsets[v], last = neighbours.begin() + offsets[v + 1];
    std::sort(first, last);
    last = std::unique(first, last);
    const Index start = out;
    for (auto it = first; it != last; ++it) neighbours[out++] = *it;
    offsets[v] = start;
  }
  offsets[n] = out;
  neighbours.resize(out);
}

// Part (rank) of every vertex from PETSc's MatPartitioning on the vertex graph. Each rank
// describes the adjacency of its PetscSplitOwnership block of input vertices.
std::vector<int> graph_parts(const mesh::TriMesh& mesh, MPI_Comm comm) {
  const int size = core::size(comm), rank = core::rank(comm);
  const Index n = static_cast<Index>(mesh.n_vertices());
  const Index begin = block_begin(n, size, rank), end = block_begin(n, size, rank + 1);
  std::vector<Index> offsets, neighbours;
  adjacency(mesh, begin, end, offsets, neighbours);

  // MatCreateMPIAdj takes ownership of PetscMalloc'ed arrays and frees them with the matrix.
  PetscInt *ia = nullptr, *ja = nullptr;
  SB_PETSC(PetscMalloc1(offsets.size(), &ia));
  SB_PETSC(PetscMalloc1(std::max<std::size_t>(neighbours.size(), 1), &ja));
  std::copy(offsets.begin(), offsets.end(), ia);
  std::copy(neighbours.begin(), neighbours.end(), ja);
  core::PMat graph;
  SB_PETSC(MatCreateMPIAdj(comm, end - begin, n, ia, ja, nullptr, graph.out()));

  core::PMatPartitioning part;
  SB_PETSC(MatPartitioningCreate(comm, part.out()));
  SB_PETSC(MatPartitioningSetAdjacency(part.get(), graph.get()));
  SB_PETSC(MatPartitioningSetNParts(part.get(), size));
#if defined(PETSC_HAVE_PTSCOTCH)
  SB_PETSC(MatPartitioningSetType(part.get(), MATPARTITIONINGPTSCOTCH));
#elif defined(PETSC_HAVE_PARMETIS)
  SB_PETSC(MatPartitioningSetType(part.get(), MATPARTITIONINGPARMETIS));
#endif
  SB_PETSC(PetscObjectSetOptionsPrefix(reinterpret_cast<PetscObject>(part.get()), "vertex_"));
  SB_PETSC(MatPartitioningSetFromOptions(part.get()));
  core::PIs is_part;
  SB_PETSC(MatPartitioningApply(part.get(), is_part.out()));

  const PetscInt* local = nullptr;
  SB_PETSC(ISGetIndices(is_part.get(), &local));
  std::vector<int> mine(local, local + (end - begin));
  SB_PETSC(ISRestoreIndices(is_part.get(), &local));

  std::vector<int> counts(size), displs(size);
  for (int r = 0; r < size; ++r) {
    displs[r] = block_begin(n, size, r);
    counts[r] = block_begin(n, size, r + 1) - displs[r];
  }
  std::vector<int> parts(n);
  SB_MPI(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_INT, parts.data(),
                        counts.data(), displs.data(), MPI_INT, comm));
  return parts;
}

// Breadth-first order of all vertices, component by component from the lowest unvisited
// vertex (neighbours visited in increasing index: deterministic).
std::vector<Index> sweep_order(const mesh::TriMesh& mesh) {
  const Index n = static_cast<Index>(mesh.n_vertices());
  std::vector<Index> offsets, neighbours;
  adjacency(mesh, 0, n, offsets, neighbours);
  std::vector<Index> order;
  order.reserve(n);
  std::vector<char> seen(n, 0);
  for (Index root = 0; root < n; ++root) {
    if (seen[root]) continue;
    seen[root] = 1;
    order.push_back(root);
    for (std::size_t head = order.size() - 1; head < order.size(); ++head) {
      const Index v = order[head];
      for (Index e = offsets[v]; e < offsets[v + 1]; ++e)
        if (!seen[neighbours[e]]) {
          seen[neighbours[e]] = 1;
          order.push_back(neighbours[e]);
        }
    }
  }
  return order;
}

}  // namespace

VertexNumbering number_vertices(const mesh::TriMesh& mesh, MPI_Comm comm, Partitioner partitioner) {
  const int size = core::size(comm);
  const Index n = static_cast<Index>(mesh.n_vertices());
  VertexNumbering numbering;
  numbering.row_begin.resize(size + 1);
  numbering.input_of_petsc.resize(n);
  numbering.petsc_of_input.resize(n);

  if (size > 1 && partitioner == Partitioner::graph) {
    // Rows of part p are its vertices in input order, after those of parts < p.
    const std::vector<int> parts = graph_parts(mesh, comm);
    std::fill(numbering.row_begin.begin(), numbering.row_begin.end(), 0);
    for (int p : parts) ++numbering.row_begin[p + 1];
    std::partial_sum(numbering.row_begin.begin(), numbering.row_begin.end(),
                     numbering.row_begin.begin());
    std::vector<Index> next(numbering.row_begin.begin(), numbering.row_begin.end() - 1);
    for (Index v = 0; v < n; ++v) numbering.input_of_petsc[next[parts[v]]++] = v;
  } else {
    if (size > 1)  // sweep
      numbering.input_of_petsc = sweep_order(mesh);
    else
      std::iota(numbering.input_of_petsc.begin(), numbering.input_of_petsc.end(), 0);
    for (int r = 0; r <= size; ++r) numbering.row_begin[r] = block_begin(n, size, r);
  }
  for (Index row = 0; row < n; ++row) numbering.petsc_of_input[numbering.input_of_petsc[row]] = row;
  return numbering;
}

}  // namespace spectralbrain::fem
