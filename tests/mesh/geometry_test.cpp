// Triangle and surface areas against shapes whose areas are known exactly.
#include "spectralbrain/mesh/geometry.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "spectralbrain/mesh/primitives.hpp"

using namespace spectralbrain::mesh;

TEST(Geometry, TriangleArea) {
  EXPECT_DOUBLE_EQ(triangle_area({0, 0, 0}, {3, 0, 0}, {0, 4, 0}), 6.0);
  EXPECT_DOUBLE_EQ(triangle_area({1, 1, 1}, {1, 1, 3}, {1, 5, 1}), 4.0);  // in the x = 1 plane
  EXPECT_DOUBLE_EQ(triangle_area({0, 0, 0}, {1, 1, 1}, {2, 2, 2}), 0.0);  // collinear
  EXPECT_NEAR(triangle_area({1, 0, 0}, {0, 1, 0}, {0, 0, 1}), std::sqrt(3.0) / 2, 1e-15);
}

TEST(Geometry, SurfaceArea) {
  EXPECT_NEAR(surface_area(rectangle(2.0, 3.0, 5, 7)), 6.0, 1e-13);
  const TriMesh sphere = icosphere(4);
  const auto areas = triangle_areas(sphere);
  ASSERT_EQ(areas.size(), sphere.n_faces());
  for (const double a : areas) EXPECT_GT(a, 0.0);
  // Inscribed in the unit sphere: a little under 4π.
  EXPECT_LT(surface_area(sphere), 4 * M_PI);
  EXPECT_NEAR(surface_area(sphere), 4 * M_PI, 0.02);
  EXPECT_EQ(surface_area(TriMesh{}), 0.0);
}
