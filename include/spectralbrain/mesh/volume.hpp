// Enclosed volume of a closed triangle surface.
#pragma once

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Signed volume enclosed by the surface, by the divergence theorem: Σ_f (a · (b × c)) / 6
/// over faces (a, b, c). Positive for a closed surface whose faces are oriented outward
/// (counter-clockwise seen from outside), negative if inward; meaningless for an open
/// surface or inconsistent orientation (check those first). Units: mesh units³.
double signed_volume(const TriMesh& mesh);

}  // namespace spectralbrain::mesh
