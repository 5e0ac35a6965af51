// Meshes made in code: analytic test shapes and refinement.
#pragma once

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Unit icosphere: the icosahedron with each face split into 4 `level` times, every new
/// vertex projected to the unit sphere. 10·4^level + 2 vertices, 20·4^level faces,
/// outward-oriented. Level 6 has 40,962 vertices; level 7 has 163,842.
TriMesh icosphere(int level);

/// Flat a×b rectangle [0,a]×[0,b] (z = 0) on an nx×ny grid of cells, each cell split into
/// two triangles along alternating diagonals (so the mesh has no preferred direction).
/// (nx+1)(ny+1) vertices, 2·nx·ny faces. Throws InputError unless a, b > 0 and nx, ny ≥ 1.
TriMesh rectangle(double a, double b, int nx, int ny);

/// Midpoint subdivision: each triangle split into 4 through its edge midpoints (no
/// smoothing, so the geometry is unchanged). Vertex count becomes N + E; the first N
/// vertices are the input's, in order.
TriMesh subdivide_midpoint(const TriMesh& mesh);

}  // namespace spectralbrain::mesh
