// Cleaning a mesh for the spectral pipeline, keeping track of where every output vertex and
// face came from so that results can be reported in the input's order.
//
// Policies (building blocks for `eigen`; `check` reports what they would change and
// `check --output` applies the first two and the orientation fix):
// - Unreferenced vertices are always dropped: they have no area, so the mass matrix would
//   have zero rows. Results for them are reported as missing (see to_input_rows()).
// - Duplicate faces (same three vertices) are dropped, keeping the first: a duplicate would
//   count its triangle's stiffness and mass twice.
// - Several components are kept by default (λ = 0 then has the multiplicity of the
//   component count, which is reported); keep_largest_component() keeps only the component
//   with the most vertices, as BrainPrint does with --largest-component.
// - Orientation does not change the cotangent Laplacian; it matters for the enclosed volume
//   (volume normalisation). orient_consistently() makes neighbouring faces agree;
//   orient_outward() then turns every closed component so that its volume is positive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// A mesh made from an input mesh by dropping vertices and faces, with the maps both ways.
struct DerivedMesh {
  TriMesh mesh;                             ///< the result: N_out×3, F_out×3
  std::vector<std::int32_t> input_vertex;   ///< (N_out,) input vertex of each output vertex
  std::vector<std::int32_t> output_vertex;  ///< (N_in,) output vertex of each input vertex,
                                            ///< −1 where the input vertex was dropped
  std::vector<std::int32_t> input_face;     ///< (F_out,) input face of each output face
};

/// The identity derivation: the mesh itself with identity maps.
/// @param mesh  a valid mesh (see validate_mesh())
DerivedMesh identity(const TriMesh& mesh);

/// Drops the vertices no face references and renumbers the rest, keeping their order.
/// @param mesh  a valid mesh (see validate_mesh())
/// @return the mesh without unreferenced vertices; faces unchanged except renumbering
DerivedMesh drop_unreferenced_vertices(const TriMesh& mesh);

/// Drops every face whose three vertices (in any order) equal an earlier face's; keeps the
/// first. Vertices are unchanged.
/// @param mesh  a valid mesh (see validate_mesh())
DerivedMesh drop_duplicate_faces(const TriMesh& mesh);

/// Number of connected components (two vertices are connected if a chain of edges joins
/// them; unreferenced vertices are not components). Equals the multiplicity of the
/// eigenvalue 0 of the Laplace–Beltrami operator.
/// @param mesh  a valid mesh (see validate_mesh())
std::size_t count_components(const TriMesh& mesh);

/// Component label of every vertex: 0..count−1 in order of each component's first vertex,
/// −1 for unreferenced vertices.
/// @param mesh  a valid mesh (see validate_mesh())
/// @return (N,) labels
std::vector<std::int32_t> component_labels(const TriMesh& mesh);

/// Keeps only the largest connected component (most vertices; ties go to more faces, then
/// to the component that appears first), dropping every other component's vertices and
/// faces and all unreferenced vertices. Order is kept.
/// @param mesh  a valid mesh (see validate_mesh())
DerivedMesh keep_largest_component(const TriMesh& mesh);

/// `second` derived from `first.mesh`, expressed as derived from `first`'s input.
/// @param first   a derivation of some input mesh
/// @param second  a derivation of first.mesh
/// @return second's mesh with maps to and from first's input
DerivedMesh compose(const DerivedMesh& first, const DerivedMesh& second);

/// Values per output vertex spread back to input rows: row i of the result is
/// values[output_vertex[i]], or `missing` (NaN by default) where the input vertex was dropped.
/// @param derived  the derivation
/// @param values   (N_out,) values in output order
/// @param missing  the value for dropped rows
/// @return (N_in,) values in input order
std::vector<double> to_input_rows(const DerivedMesh& derived, const std::vector<double>& values,
                                  double missing = std::numeric_limits<double>::quiet_NaN());

/// What an orientation fix did.
struct OrientationFix {
  std::size_t n_flipped_faces = 0;        ///< faces whose vertex order was reversed
  bool orientable = true;                 ///< false if some component has no consistent orientation
  std::size_t n_reversed_components = 0;  ///< components turned outward (orient_outward())
};

/// Makes neighbouring faces agree: within each patch of faces connected through edges with
/// exactly two faces, faces are reversed (vertex order (a, b, c) → (a, c, b)) to agree with
/// the majority of the patch. Non-manifold edges do not propagate orientation. A
/// non-orientable patch (a Möbius strip) is oriented as far as possible and reported.
/// @param mesh  a valid mesh (see validate_mesh()), changed in place
/// @return how many faces were flipped and whether every patch was orientable
OrientationFix orient_consistently(TriMesh& mesh);

/// orient_consistently(), then every closed component (no boundary or non-manifold edges)
/// with negative enclosed volume is reversed as a whole so that its normals point outward.
/// Open components keep the majority orientation (they have no inside).
/// @param mesh  a valid mesh (see validate_mesh()), changed in place
/// @return the faces flipped in total and the components reversed
OrientationFix orient_outward(TriMesh& mesh);

}  // namespace spectralbrain::mesh
