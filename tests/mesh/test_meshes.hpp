// Meshes with known topology for the report and cleaning tests.
#pragma once

#include <cmath>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh::testing {

/// Torus with major radius 2 and minor radius 0.5 on an n×m grid: χ = 0, genus 1, outward.
inline TriMesh torus(int n, int m) {
  TriMesh t;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) {
      const double u = 2 * M_PI * i / n, v = 2 * M_PI * j / m;
      t.vertices.push_back({(2 + 0.5 * std::cos(v)) * std::cos(u),
                            (2 + 0.5 * std::cos(v)) * std::sin(u), 0.5 * std::sin(v)});
    }
  auto id = [&](int i, int j) { return static_cast<std::int32_t>((i % n) * m + (j % m)); };
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < m; ++j) {
      t.faces.push_back({id(i, j), id(i + 1, j), id(i + 1, j + 1)});
      t.faces.push_back({id(i, j), id(i + 1, j + 1), id(i, j + 1)});
    }
  return t;
}

/// Flat annulus (radii 1 and 2) of n segments: two boundary loops, χ = 0.
inline TriMesh annulus(int n) {
  TriMesh a;
  for (int i = 0; i < n; ++i) {
    const double u = 2 * M_PI * i / n;
    a.vertices.push_back({std::cos(u), std::sin(u), 0});
    a.vertices.push_back({2 * std::cos(u), 2 * std::sin(u), 0});
  }
  for (int i = 0; i < n; ++i) {
    const auto in0 = static_cast<std::int32_t>(2 * i), out0 = in0 + 1;
    const auto in1 = static_cast<std::int32_t>(2 * ((i + 1) % n)), out1 = in1 + 1;
    a.faces.push_back({in0, out0, out1});
    a.faces.push_back({in0, out1, in1});
  }
  return a;
}

/// Möbius strip of n quads (each two triangles), consistently built: not orientable.
inline TriMesh mobius(int n) {
  TriMesh s;
  for (int i = 0; i < n; ++i) {
    const double u = 2 * M_PI * i / n;
    for (const double w : {-0.3, 0.3})
      s.vertices.push_back({(1 + w * std::cos(u / 2)) * std::cos(u),
                            (1 + w * std::cos(u / 2)) * std::sin(u), w * std::sin(u / 2)});
  }
  for (int i = 0; i < n; ++i) {
    const auto a = static_cast<std::int32_t>(2 * i), b = a + 1;
    std::int32_t c = static_cast<std::int32_t>(2 * ((i + 1) % n)), d = c + 1;
    if (i == n - 1) std::swap(c, d);  // the half twist
    s.faces.push_back({a, c, d});
    s.faces.push_back({a, d, b});
  }
  return s;
}

/// Three triangles sharing the edge (0, 1): one non-manifold edge.
inline TriMesh three_fins() {
  TriMesh m;
  m.vertices = {{0, 0, 0}, {1, 0, 0}, {0.5, 1, 0}, {0.5, -1, 0}, {0.5, 0, 1}};
  m.faces = {{0, 1, 2}, {1, 0, 3}, {0, 1, 4}};
  return m;
}

/// Two triangles touching at vertex 0 only: one bowtie vertex.
inline TriMesh bowtie() {
  TriMesh m;
  m.vertices = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {-1, 0, 0}, {-1, -1, 0}};
  m.faces = {{0, 1, 2}, {0, 3, 4}};
  return m;
}

/// `b` appended to `a` (indices of b shifted).
inline TriMesh concatenate(const TriMesh& a, const TriMesh& b) {
  TriMesh m = a;
  const auto n = static_cast<std::int32_t>(a.n_vertices());
  m.vertices.insert(m.vertices.end(), b.vertices.begin(), b.vertices.end());
  for (const auto& f : b.faces) m.faces.push_back({f[0] + n, f[1] + n, f[2] + n});
  return m;
}

/// The mesh moved by dx along x.
inline TriMesh shifted(TriMesh m, double dx) {
  for (auto& v : m.vertices) v[0] += dx;
  return m;
}

}  // namespace spectralbrain::mesh::testing
