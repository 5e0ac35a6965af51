// validate_mesh on meshes built in memory: each rule, and the count of repeat offenders.
#include "spectralbrain/mesh/validate.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/primitives.hpp"

using namespace spectralbrain::mesh;

TEST(Validate, AcceptsGeneratedMeshes) {
  EXPECT_NO_THROW(validate_mesh(icosphere(2), "icosphere"));
  EXPECT_NO_THROW(validate_mesh(rectangle(1, 1, 3, 3), "rectangle"));
}

TEST(Validate, EachRuleNamesTheFirstRecordAndCountsTheRest) {
  const TriMesh good = icosphere(1);

  TriMesh m;
  EXPECT_INPUT_ERROR(validate_mesh(m, "m.off"), "m.off: header: the mesh has no vertices");
  m.vertices = good.vertices;
  EXPECT_INPUT_ERROR(validate_mesh(m, "m.off"), "m.off: header: the mesh has no faces");

  m = good;
  m.vertices[7][0] = std::numeric_limits<double>::infinity();
  m.vertices[9][2] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_INPUT_ERROR(validate_mesh(m, "m.off"), "m.off: vertex 7: coordinate x is not finite (inf)",
                     "(1 more vertex has the same problem)");

  m = good;
  m.faces[3][1] = 42;
  m.faces[5][0] = -2;
  m.faces[6][2] = 1000;
  EXPECT_INPUT_ERROR(validate_mesh(m, "m.off"),
                     "m.off: face 3: vertex index 42 is out of range [0, 42): the mesh has 42 "
                     "vertices",
                     "(2 more faces have the same problem)");

  m = good;
  m.faces[11] = {4, 5, 4};
  EXPECT_INPUT_ERROR(validate_mesh(m, "m.off"),
                     "m.off: face 11: repeats a vertex (indices 4 5 4): a triangle needs three "
                     "distinct vertices");
}
