// Generated meshes have the counts, closure and geometry their definitions promise.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "spectralbrain/mesh/primitives.hpp"

using namespace spectralbrain::mesh;

namespace {
double area(const TriMesh& m) {
  double s = 0;
  for (const auto& f : m.faces) {
    const auto &a = m.vertices[f[0]], &b = m.vertices[f[1]], &c = m.vertices[f[2]];
    const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    const double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    const double n[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                         u[0] * v[1] - u[1] * v[0]};
    s += 0.5 * std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
  }
  return s;
}
// Every undirected edge of a closed oriented surface is used once in each direction.
bool closed_and_oriented(const TriMesh& m) {
  std::map<std::pair<int, int>, int> directed;
  for (const auto& f : m.faces)
    for (int e = 0; e < 3; ++e) ++directed[{f[e], f[(e + 1) % 3]}];
  for (const auto& [edge, count] : directed)
    if (count != 1 || directed.count({edge.second, edge.first}) != 1) return false;
  return true;
}
}  // namespace

TEST(Icosphere, CountsClosureAndArea) {
  for (int level = 0; level <= 4; ++level) {
    TriMesh m = icosphere(level);
    const std::size_t p = std::size_t{1} << (2 * level);
    EXPECT_EQ(m.n_vertices(), 10 * p + 2);
    EXPECT_EQ(m.n_faces(), 20 * p);
    EXPECT_TRUE(closed_and_oriented(m));
    for (const auto& v : m.vertices)
      EXPECT_NEAR(v[0] * v[0] + v[1] * v[1] + v[2] * v[2], 1.0, 1e-14);
  }
  // Inscribed polyhedra approach the sphere's area 4π from below, error O(h²).
  const double e3 = 4 * M_PI - area(icosphere(3)), e4 = 4 * M_PI - area(icosphere(4));
  EXPECT_GT(e3, 0);
  EXPECT_NEAR(e3 / e4, 4.0, 0.2);
}

TEST(Icosphere, Level7IsTheBenchmarkSize) { EXPECT_EQ(icosphere(7).n_vertices(), 163842u); }

TEST(Rectangle, CountsAndArea) {
  TriMesh m = rectangle(2.0, 1.0, 8, 4);
  EXPECT_EQ(m.n_vertices(), 45u);
  EXPECT_EQ(m.n_faces(), 64u);
  EXPECT_NEAR(area(m), 2.0, 1e-13);
}

TEST(Rectangle, RejectsBadSizes) {
  EXPECT_THROW(rectangle(0.0, 1.0, 2, 2), std::exception);
  EXPECT_THROW(rectangle(1.0, 1.0, 0, 2), std::exception);
}

TEST(SubdivideMidpoint, KeepsGeometryAndOrder) {
  TriMesh m = rectangle(1.0, 1.0, 3, 3);
  TriMesh s = subdivide_midpoint(m);
  EXPECT_EQ(s.n_faces(), 4 * m.n_faces());
  // N + E vertices: a 3×3 grid has 3·4·2 axis edges + 9 diagonals = 33 edges.
  EXPECT_EQ(s.n_vertices(), m.n_vertices() + 33);
  for (std::size_t i = 0; i < m.n_vertices(); ++i) EXPECT_EQ(s.vertices[i], m.vertices[i]);
  EXPECT_NEAR(area(s), 1.0, 1e-13);
  EXPECT_TRUE(closed_and_oriented(subdivide_midpoint(icosphere(1))));
}
