// Enclosed volume by the divergence theorem.
#include "spectralbrain/mesh/volume.hpp"

namespace spectralbrain::mesh {

double signed_volume(const TriMesh& mesh) {
  // Relative to the centroid of the vertices, to keep the sum well conditioned for surfaces
  // far from the origin (scanner coordinates).
  std::array<double, 3> o{0, 0, 0};
  for (const auto& v : mesh.vertices)
    for (int d = 0; d < 3; ++d) o[d] += v[d];
  if (!mesh.vertices.empty())
    for (int d = 0; d < 3; ++d) o[d] /= static_cast<double>(mesh.n_vertices());
  double six_v = 0;
  for (const auto& f : mesh.faces) {
    const auto &p = mesh.vertices[f[0]], &q = mesh.vertices[f[1]], &r = mesh.vertices[f[2]];
    const double a[3] = {p[0] - o[0], p[1] - o[1], p[2] - o[2]};
    const double b[3] = {q[0] - o[0], q[1] - o[1], q[2] - o[2]};
    const double c[3] = {r[0] - o[0], r[1] - o[1], r[2] - o[2]};
    six_v += a[0] * (b[1] * c[2] - b[2] * c[1]) + a[1] * (b[2] * c[0] - b[0] * c[2]) +
             a[2] * (b[0] * c[1] - b[1] * c[0]);
  }
  return six_v / 6.0;
}

}  // namespace spectralbrain::mesh
