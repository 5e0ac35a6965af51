// The checks every mesh passes after reading, whatever its format.
#pragma once

#include <string>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Checks that a mesh is usable as a triangle surface: at least one vertex and one face, at
/// most 2^31−1 vertices (indices are int32), every coordinate finite, every index in [0, N),
/// and no face that repeats a vertex. Reports the first offending record; the message also
/// says how many records have the same problem. Vertex and face numbers are zero-based, in
/// file order (as in nibabel and numpy). Topology (boundaries, non-manifold edges,
/// components) and zero-area faces are not checked here.
///
/// @param mesh    the mesh to check
/// @param source  the file it came from, for error messages
/// @throws core::InputError(source, "vertex 7" / "face 123" / "header", problem)
void validate_mesh(const TriMesh& mesh, const std::string& source);

}  // namespace spectralbrain::mesh
