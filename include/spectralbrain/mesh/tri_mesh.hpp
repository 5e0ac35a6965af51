// TriMesh: a triangle surface as read from a file, in the file's vertex and face order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace spectralbrain::mesh {

/// A triangle surface. Vertices are N×3 coordinates (millimetres for brain surfaces, but
/// any unit works: eigenvalues scale as 1/length²); faces are F×3 zero-based vertex indices.
/// Both keep the order of the input file, which is the order of every output row.
struct TriMesh {
  std::vector<std::array<double, 3>> vertices;     ///< N×3
  std::vector<std::array<std::int32_t, 3>> faces;  ///< F×3, indices into vertices

  std::size_t n_vertices() const noexcept { return vertices.size(); }
  std::size_t n_faces() const noexcept { return faces.size(); }
};

static_assert(sizeof(std::array<double, 3>) == 3 * sizeof(double),
              "vertices must be contiguous N×3 doubles");
static_assert(sizeof(std::array<std::int32_t, 3>) == 3 * sizeof(std::int32_t),
              "faces must be contiguous F×3 int32");

}  // namespace spectralbrain::mesh
