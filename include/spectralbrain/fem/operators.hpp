// Operators: the P1 finite-element discretisation of the Laplace–Beltrami operator on a
// triangle surface, as distributed PETSc matrices.
//
// The weak form ∫ ∇φ·∇ψ = λ ∫ φψ with piecewise-linear hat functions gives L φ = λ M φ with
//   stiffness L (the cotangent Laplacian, positive semi-definite convention)
//     L_ij = −½ (cot α_ij + cot β_ij)  for an edge ij, α, β the angles opposite it
//            (one angle for a boundary edge: free/Neumann boundary)
//     L_ii = −Σ_j L_ij                 (every row sums to zero: L·1 = 0)
//   mass M, either
//     consistent  per triangle of area A: A/12 · [2 1 1; 1 2 1; 1 1 2]   (LaPy/BrainPrint default)
//     lumped      per triangle: A/3 on each of its vertices' diagonal entries.
// Both have the same row sums, and 1ᵀM1 is the surface area.
//
// Degenerate triangles. A cotangent is dot/|cross| of two edge vectors, which is 0/0 or x/0
// for a triangle of zero area. As in LaPy, such a triangle is given the stand-in
// |cross| = 10⁻⁴ × (mean |cross| over all triangles), used for its cotangents and its mass
// alike, so every entry is finite and M stays positive definite. A triangle counts as
// degenerate when
//   |cross| < ε_mach / 2                  (LaPy's test, which reads 4·area < ε_mach), or
//   |cross| < 10⁻¹² · ℓ²_max              (ℓ_max its longest edge),
// the second making the rule independent of the length unit and catching triangles that are
// collinear up to rounding (any |cot| ≤ ℓ²_max/|cross| would otherwise exceed 10¹²). On
// meshes without such triangles the matrices are exactly LaPy's.
#pragma once

#include <mpi.h>

#include <cstdint>

#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/fem/vertex_numbering.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::fem {

/// Which mass matrix to assemble.
enum class MassMatrix {
  consistent,  ///< exact P1 mass, A/12·[2 1 1; 1 2 1; 1 1 2] per triangle (default)
  lumped,      ///< diagonal, A/3 per vertex of each triangle
};

/// Choices for assemble().
struct AssemblyOptions {
  MassMatrix mass = MassMatrix::consistent;
  Partitioner partitioner = Partitioner::graph;
};

/// The discrete Laplace–Beltrami operator of a surface.
struct Operators {
  core::PMat stiffness;           ///< L, N×N, symmetric PSD, zero row sums (MATAIJ, PETSc order)
  core::PMat mass;                ///< M, N×N, symmetric positive definite (MATAIJ, PETSc order)
  VertexNumbering numbering;      ///< PETSc row ↔ input vertex, and row ownership
  double area = 0;                ///< total surface area Σ A_t (units²), the same on every rank
  std::int64_t n_degenerate = 0;  ///< triangles given the degenerate stand-in (see header)
};

/// Assembles L and M for `mesh` on `comm`.
///
/// Collective on `comm`. The mesh is replicated (identical on every rank); rank r assembles a
/// contiguous block of about F/P faces with PETSc's COO interface, sending entries of rows it
/// does not own to their owners. Vertices are numbered with number_vertices(), so matrix rows
/// are in PETSc order; use `numbering` to go back to input order. Both matrices are flagged
/// symmetric (and M SPD) for the solvers, and the nonzero pattern of M is contained in that of
/// L (the same pattern for the consistent mass), so L − σM can be formed in place.
///
/// @param mesh     N×3 vertices (any length unit; eigenvalues then scale as 1/unit²) and F×3
///                 faces. Orientation does not matter.
/// @param comm     communicator of the matrices (PETSC_COMM_SELF for a serial solve)
/// @param options  mass matrix kind and partitioner
/// @param timer    if given, the work is recorded as stage "assemble"
/// @return L, M, the numbering and the area
/// @throws core::InputError if the mesh has no faces, a face index is outside [0, N), or a
///         vertex belongs to no face (its rows would be empty and M singular)
/// @throws core::LibraryError if a PETSc or MPI call fails
Operators assemble(const mesh::TriMesh& mesh, MPI_Comm comm, const AssemblyOptions& options = {},
                   core::StageTimer* timer = nullptr);

}  // namespace spectralbrain::fem
