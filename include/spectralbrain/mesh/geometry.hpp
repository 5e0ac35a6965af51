// Triangle geometry: per-face and total surface area.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Area of the triangle (a, b, c): half the norm of (b − a) × (c − a).
/// @param a,b,c  corner coordinates, any length unit
/// @return the area in that unit squared (mm² for brain surfaces); 0 for a degenerate
///   triangle; never throws
double triangle_area(const std::array<double, 3>& a, const std::array<double, 3>& b,
                     const std::array<double, 3>& c) noexcept;

/// Area of every face.
/// @param mesh  a valid mesh (see validate_mesh(); indices are not checked here)
/// @return (F,) areas in the coordinate unit squared, in face order
std::vector<double> triangle_areas(const TriMesh& mesh);

/// Total surface area: the sum of the face areas.
/// @param mesh  a valid mesh (see validate_mesh(); indices are not checked here)
/// @return the area in the coordinate unit squared (mm² for brain surfaces); 0 with no faces
double surface_area(const TriMesh& mesh);

}  // namespace spectralbrain::mesh
