// Triangle areas from cross products.
#include "spectralbrain/mesh/geometry.hpp"

#include <algorithm>
#include <cmath>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

double triangle_area(const std::array<double, 3>& a, const std::array<double, 3>& b,
                     const std::array<double, 3>& c) noexcept {
  const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
  const double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
  const double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                       u[0] * v[1] - u[1] * v[0]};
  return 0.5 * std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
}

std::vector<double> triangle_areas(const TriMesh& mesh) {
  std::vector<double> areas;
  areas.reserve(mesh.n_faces());
  for (const auto& f : mesh.faces) {
    SB_ASSERT(f[0] >= 0 && f[1] >= 0 && f[2] >= 0 &&
              static_cast<std::size_t>(std::max({f[0], f[1], f[2]})) < mesh.n_vertices());
    areas.push_back(triangle_area(mesh.vertices[f[0]], mesh.vertices[f[1]], mesh.vertices[f[2]]));
  }
  return areas;
}

double surface_area(const TriMesh& mesh) {
  double total = 0.0;
  for (const double a : triangle_areas(mesh)) total += a;
  return total;
}

}  // namespace spectralbrain::mesh
