// Meshes made in code: icosphere, rectangle, midpoint subdivision.
#include "spectralbrain/mesh/primitives.hpp"

#include <cmath>
#include <cstdint>
#include <unordered_map>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
using Edge = std::uint64_t;
Edge edge_key(std::int32_t a, std::int32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<std::uint64_t>(a) << 32) | static_cast<std::uint32_t>(b);
}

// Splits every face into four; `project` maps each new midpoint (e.g. onto the sphere).
template <class Project>
TriMesh split_faces(const TriMesh& in, Project project) {
  TriMesh out;
  out.vertices = in.vertices;
  out.vertices.reserve(in.n_vertices() + in.n_faces() * 3 / 2 + 3);
  out.faces.reserve(in.n_faces() * 4);
  std::unordered_map<Edge, std::int32_t> midpoint;
  midpoint.reserve(in.n_faces() * 3 / 2 + 3);
  auto mid = [&](std::int32_t a, std::int32_t b) {
    auto [it, inserted] = midpoint.try_emplace(edge_key(a, b), 0);
    if (inserted) {
      const auto& p = out.vertices[a];
      const auto& q = out.vertices[b];
      out.vertices.push_back(
          project(std::array<double, 3>{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2}));
      it->second = static_cast<std::int32_t>(out.vertices.size() - 1);
    }
    return it->second;
  };
  for (const auto& f : in.faces) {
    const std::int32_t ab = mid(f[0], f[1]), bc = mid(f[1], f[2]), ca = mid(f[2], f[0]);
    out.faces.push_back({f[0], ab, ca});
    out.faces.push_back({f[1], bc, ab});
    out.faces.push_back({f[2], ca, bc});
    out.faces.push_back({ab, bc, ca});
  }
  return out;
}

std::array<double, 3> to_unit_sphere(std::array<double, 3> p) {
  const double r = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
  return {p[0] / r, p[1] / r, p[2] / r};
}
}  // namespace

TriMesh icosphere(int level) {
  if (level < 0 || level > 9)
    throw core::InputError("icosphere", "", core::cat("level ", level, " is outside 0..9"));
  const double t = (1.0 + std::sqrt(5.0)) / 2.0;
  TriMesh m;
  m.vertices = {{-1, t, 0},  {1, t, 0},  {-1, -t, 0}, {1, -t, 0}, {0, -1, t},  {0, 1, t},
                {0, -1, -t}, {0, 1, -t}, {t, 0, -1},  {t, 0, 1},  {-t, 0, -1}, {-t, 0, 1}};
  for (auto& v : m.vertices) v = to_unit_sphere(v);
  m.faces = {{0, 11, 5},  {0, 5, 1},  {0, 1, 7},  {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
             {11, 10, 2}, {10, 7, 6}, {7, 1, 8},  {3, 9, 4},  {3, 4, 2},   {3, 2, 6}, {3, 6, 8},
             {3, 8, 9},   {4, 9, 5},  {2, 4, 11}, {6, 2, 10}, {8, 6, 7},   {9, 8, 1}};
  for (int i = 0; i < level; ++i) m = split_faces(m, to_unit_sphere);
  return m;
}

TriMesh rectangle(double a, double b, int nx, int ny) {
  if (!(a > 0) || !(b > 0) || nx < 1 || ny < 1)
    throw core::InputError(
        "rectangle", "",
        core::cat("need a, b > 0 and nx, ny >= 1 (got ", a, ", ", b, ", ", nx, ", ", ny, ")"));
  TriMesh m;
  m.vertices.reserve(static_cast<std::size_t>(nx + 1) * (ny + 1));
  for (int j = 0; j <= ny; ++j)
    for (int i = 0; i <= nx; ++i) m.vertices.push_back({a * i / nx, b * j / ny, 0.0});
  auto id = [nx](int i, int j) { return static_cast<std::int32_t>(j * (nx + 1) + i); };
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const auto p00 = id(i, j), p10 = id(i + 1, j), p01 = id(i, j + 1), p11 = id(i + 1, j + 1);
      if ((i + j) % 2 == 0) {
        m.faces.push_back({p00, p10, p11});
        m.faces.push_back({p00, p11, p01});
      } else {
        m.faces.push_back({p00, p10, p01});
        m.faces.push_back({p10, p11, p01});
      }
    }
  return m;
}

TriMesh subdivide_midpoint(const TriMesh& mesh) {
  return split_faces(mesh, [](std::array<double, 3> p) { return p; });
}

}  // namespace spectralbrain::mesh
