// VertexNumbering: which rank owns which mesh vertex, and the map between input vertex
// order and PETSc row order.
//
// PETSc owns matrix rows in contiguous blocks (rank r owns rows [row_begin[r],
// row_begin[r+1])). For a mesh, the input order of vertices rarely gives each rank a
// compact patch of the surface, so vertices are first partitioned into one connected patch
// per rank and renumbered: the rows of a rank are the vertices of its patch. The map is
// replicated on every rank (2 int32 per vertex), like the mesh itself.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <vector>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::fem {

/// How vertices are split among the ranks of a communicator.
enum class Partitioner {
  /// Graph partitioning of the vertex adjacency with PETSc's MatPartitioning (PTScotch in
  /// Debian's PETSc; `-vertex_mat_partitioning_type` changes it). Small edge cut, so little
  /// communication in products and factorisations. Inside a part, input order is kept.
  graph,
  /// Breadth-first sweep from the lowest-numbered vertex of each connected component, cut
  /// into equal consecutive blocks; rows follow the sweep (a Cuthill–McKee-like order).
  /// Needs no external partitioner; parts are bands, so the edge cut is larger than graph's.
  sweep,
};

/// The two-way map between input vertex order and PETSc row order, and row ownership.
struct VertexNumbering {
  std::vector<std::int32_t> petsc_of_input;  ///< (N,) PETSc row of input vertex v
  std::vector<std::int32_t> input_of_petsc;  ///< (N,) input vertex of PETSc row r
  std::vector<std::int32_t> row_begin;  ///< (P+1,) rank r owns rows [row_begin[r], row_begin[r+1])

  /// N, the number of vertices.
  std::int32_t n_vertices() const noexcept {
    return static_cast<std::int32_t>(petsc_of_input.size());
  }
  /// Number of PETSc rows owned by `rank`.
  std::int32_t n_owned(int rank) const { return row_begin.at(rank + 1) - row_begin.at(rank); }
};

/// Partitions the vertices of `mesh` among the ranks of `comm` and numbers them so that each
/// rank owns a contiguous block of PETSc rows. Collective on `comm`; the mesh must be the
/// same on every rank. On one rank the numbering is the identity.
///
/// Parts are connected whenever the partitioner manages it (PTScotch does on connected
/// meshes in practice; the sweep does on meshes whose sweep fronts are connected, e.g.
/// spheres); nothing breaks if a part is not, it only costs communication.
///
/// @param mesh         N vertices, F faces with indices in [0, N) (checked by the caller,
///                     e.g. fem::assemble)
/// @param comm         the communicator the operators will live on
/// @param partitioner  the method (see Partitioner)
/// @return the numbering, identical on every rank
/// @throws core::LibraryError if a PETSc or MPI call fails
VertexNumbering number_vertices(const mesh::TriMesh& mesh, MPI_Comm comm,
                                Partitioner partitioner = Partitioner::graph);

}  // namespace spectralbrain::fem
