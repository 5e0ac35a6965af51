// MeshReport: what a triangle mesh is like as a surface for the Laplace–Beltrami operator —
// size, geometry, topology, orientation and triangle quality — and whether it can be used
// as is, only after the pipeline's fixes, or not at all.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Whether a mesh can go into the spectral pipeline.
enum class Usability {
  usable,       ///< as is (there may be warnings)
  needs_fixes,  ///< only after the fixes listed in MeshReport::fixes
  unusable,     ///< no fix helps (e.g. every triangle has zero area)
};

/// How the faces of the mesh are oriented.
enum class Orientation {
  outward,       ///< every component is closed and consistently oriented, normals outward
  inward,        ///< as outward, but every component's normals point inward
  mixed,         ///< closed and consistent, some components outward and some inward
  inconsistent,  ///< neighbouring faces disagree on some edges (fixable if orientable)
  open,          ///< consistent, but some component is open or non-manifold: no inside
};

/// The findings of analyse(). Counts are over the whole mesh; lengths in the coordinate unit
/// (mm for brain surfaces), areas in its square, volumes in its cube, angles in degrees.
struct MeshReport {
  // Size
  std::size_t n_vertices = 0;  ///< N, as stored (including unreferenced vertices)
  std::size_t n_faces = 0;     ///< F
  std::size_t n_edges = 0;     ///< distinct undirected edges

  // Geometry
  double area = 0;               ///< total surface area
  std::optional<double> volume;  ///< enclosed volume, only if closed and consistent
  double signed_volume = 0;      ///< Σ a·(b×c)/6 over faces; > 0 for outward normals
  std::array<double, 3> bounding_box_min{}, bounding_box_max{};

  // Topology
  long euler_characteristic = 0;  ///< V − E + F, V counting referenced vertices only
  std::optional<long> genus;      ///< Σ over components (2 − χ − boundary loops)/2; only
                                  ///< for manifold, orientable meshes
  std::size_t n_components = 0;   ///< connected components (= multiplicity of λ = 0)
  std::vector<std::size_t> component_vertices;  ///< vertices per component, largest first
  std::vector<std::size_t> component_faces;     ///< faces per component, same order
  std::size_t n_boundary_edges = 0;             ///< edges with one face
  std::size_t n_boundary_loops = 0;             ///< connected chains of boundary edges (holes)
  std::size_t n_non_manifold_edges = 0;         ///< edges with three or more faces
  std::size_t n_non_manifold_vertices = 0;      ///< vertices where face fans meet only at the
                                                ///< vertex ("bowtie"); not counting vertices that
                                                ///< are non-manifold only through such edges
  std::size_t n_unreferenced_vertices = 0;      ///< vertices no face uses
  std::size_t n_duplicate_faces = 0;  ///< faces on the same three vertices as an earlier one

  // Orientation
  std::size_t n_inconsistent_edges = 0;  ///< two-face edges that both faces run the same way
  bool orientable = true;                ///< a consistent orientation exists
  Orientation orientation = Orientation::open;
  std::size_t n_inward_components = 0;  ///< closed consistent components with volume < 0

  // Triangle quality
  std::size_t n_zero_area_faces = 0;        ///< area ≤ 1e-12 × (longest edge)², or 0
  std::size_t n_near_degenerate_faces = 0;  ///< not zero-area, but smallest angle < 1°
  double min_angle = 0;                     ///< smallest angle of any face, degrees
  double max_angle = 0;                     ///< largest angle of any face, degrees
  double obtuse_fraction = 0;               ///< share of faces with an angle > 90°
  double min_edge_length = 0, max_edge_length = 0;

  // Verdict
  Usability usability = Usability::usable;
  std::vector<std::string> fixes;     ///< what must change before use, and what does it
  std::vector<std::string> warnings;  ///< usable, but worth knowing
};

/// Analyses a mesh. Runs in O(F log F) time and O(N + F) memory.
///
/// Verdict: `unusable` if the total area is zero (no triangle has area); `needs_fixes` if
/// there are unreferenced vertices (the mass matrix would be singular: drop them with
/// drop_unreferenced_vertices() and mark their result rows), zero-area triangles (their
/// cotangent weights are infinite: fem::assemble clamps them as LaPy does), or duplicate
/// faces (they would count twice: drop_duplicate_faces());
/// otherwise `usable`. Several components, boundaries, non-manifold edges or vertices,
/// inconsistent or inward orientation, and near-degenerate triangles are warnings: the
/// cotangent Laplacian is still defined, but the user should know (λ = 0 has the
/// multiplicity of the component count; volume normalisation needs a closed, outward mesh).
///
/// @param mesh  a mesh that passed validate_mesh() (indices in [0, N), distinct per face,
///   finite coordinates)
/// @return the report; never throws for a valid mesh
MeshReport analyse(const TriMesh& mesh);

/// "outward", "inward", "mixed", "inconsistent" or "open".
const char* orientation_name(Orientation orientation) noexcept;

/// "usable", "needs fixes" or "unusable".
const char* usability_name(Usability usability) noexcept;

/// The report as JSON (an object with one key per field, snake_case as in MeshReport,
/// plus "source", "usability", "orientation"; "volume" and "genus" are null when undefined).
/// @param report  the report
/// @param source  the mesh file it describes (stored as "source")
/// @param indent  spaces per level, or −1 for a single line
/// @return the JSON text, without a trailing newline
std::string report_json(const MeshReport& report, const std::string& source, int indent = 2);

/// The report as text for a terminal: one "name: value" line per finding, the ten largest
/// components, then the fixes and warnings, each on its own line.
/// @param report  the report
/// @param source  the mesh file it describes (the first line names it)
/// @return the text, ending with a newline
std::string report_text(const MeshReport& report, const std::string& source);

}  // namespace spectralbrain::mesh
