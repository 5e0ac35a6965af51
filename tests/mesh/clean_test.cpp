// Cleaning: maps back to the input, components, duplicate faces, orientation fixes.
#include "spectralbrain/mesh/clean.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/report.hpp"
#include "test_meshes.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

TEST(Clean, DropUnreferencedVerticesKeepsOrderAndMapsBothWays) {
  TriMesh m = rectangle(1, 1, 1, 1);                 // vertices 0..3
  m.vertices.insert(m.vertices.begin(), {9, 9, 9});  // a stray vertex first
  for (auto& f : m.faces)
    for (auto& i : f) ++i;
  m.vertices.push_back({7, 7, 7});  // and one last
  const DerivedMesh d = drop_unreferenced_vertices(m);
  EXPECT_EQ(d.mesh.n_vertices(), 4u);
  EXPECT_EQ(d.input_vertex, (std::vector<std::int32_t>{1, 2, 3, 4}));
  EXPECT_EQ(d.output_vertex, (std::vector<std::int32_t>{-1, 0, 1, 2, 3, -1}));
  EXPECT_EQ(d.input_face, (std::vector<std::int32_t>{0, 1}));
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(d.mesh.vertices[i], m.vertices[i + 1]);
  EXPECT_EQ(analyse(d.mesh).n_unreferenced_vertices, 0u);

  const std::vector<double> rows = to_input_rows(d, {10, 11, 12, 13});
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_TRUE(std::isnan(rows[0]) && std::isnan(rows[5]));
  EXPECT_EQ(rows[1], 10);
  EXPECT_EQ(rows[4], 13);
  EXPECT_THROW(to_input_rows(d, {1.0}), spectralbrain::core::Error);
}

TEST(Clean, LargestComponentOfTheCit168Atlas) {
  const TriMesh atlas = read_mesh(mesh_data("cit168/CIT168.mz3"));
  EXPECT_EQ(count_components(atlas), 33u);
  const DerivedMesh d = keep_largest_component(atlas);
  EXPECT_EQ(d.mesh.n_vertices(), 4467u);  // tests/mesh/independent_report.py
  EXPECT_EQ(count_components(d.mesh), 1u);
  for (std::size_t i = 0; i < d.mesh.n_vertices(); ++i)
    ASSERT_EQ(d.mesh.vertices[i], atlas.vertices[d.input_vertex[i]]);
  for (std::size_t f = 0; f < d.mesh.n_faces(); ++f)
    for (int k = 0; k < 3; ++k)
      ASSERT_EQ(d.input_vertex[d.mesh.faces[f][k]], atlas.faces[d.input_face[f]][k]);
  const auto labels = component_labels(atlas);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (d.output_vertex[i] >= 0) {
      ++kept;
      EXPECT_EQ(labels[i], labels[d.input_vertex[0]]);
    }
  EXPECT_EQ(kept, 4467u);
}

TEST(Clean, ComposeChainsTheMaps) {
  TriMesh m = concatenate(icosphere(0), shifted(icosphere(1), 5));
  m.vertices.push_back({1, 2, 3});  // unreferenced
  m.faces.push_back(m.faces[0]);    // duplicate
  DerivedMesh d = drop_duplicate_faces(m);
  EXPECT_EQ(d.mesh.n_faces(), m.n_faces() - 1);
  d = compose(d, drop_unreferenced_vertices(d.mesh));
  d = compose(d, keep_largest_component(d.mesh));
  EXPECT_EQ(d.mesh.n_vertices(), 42u);  // the level-1 sphere
  EXPECT_EQ(d.input_vertex.front(), 12);
  EXPECT_EQ(d.output_vertex[0], -1);
  EXPECT_EQ(d.output_vertex[12], 0);
  EXPECT_EQ(d.output_vertex.back(), -1);
  EXPECT_EQ(d.input_face.front(), 20);
  const MeshReport r = analyse(d.mesh);
  EXPECT_EQ(r.n_duplicate_faces, 0u);
  EXPECT_EQ(r.n_components, 1u);
  EXPECT_EQ(r.usability, Usability::usable);
}

TEST(Clean, OrientConsistentlyUndoesRandomFlips) {
  TriMesh m = icosphere(3);
  const TriMesh original = m;
  std::size_t n_flipped = 0;
  for (std::size_t f = 0; f < m.n_faces(); f += 7, ++n_flipped)
    std::swap(m.faces[f][1], m.faces[f][2]);
  ASSERT_GT(analyse(m).n_inconsistent_edges, 0u);
  const OrientationFix fix = orient_consistently(m);
  EXPECT_TRUE(fix.orientable);
  EXPECT_EQ(fix.n_flipped_faces, n_flipped);  // the minority is flipped back
  EXPECT_EQ(m.faces, original.faces);
}

TEST(Clean, OrientOutwardTurnsInsideOutComponentsOnly) {
  TriMesh inward = icosphere(2);
  for (auto& f : inward.faces) std::swap(f[1], f[2]);
  TriMesh m = concatenate(concatenate(icosphere(1), shifted(inward, 3)),
                          shifted(rectangle(1, 1, 2, 2), 10));
  const OrientationFix fix = orient_outward(m);
  EXPECT_EQ(fix.n_reversed_components, 1u);
  EXPECT_EQ(fix.n_flipped_faces, inward.n_faces());
  const MeshReport r = analyse(m);
  EXPECT_EQ(r.n_inconsistent_edges, 0u);
  EXPECT_EQ(r.orientation, Orientation::open);  // the rectangle is open
  EXPECT_GT(r.signed_volume, 0);

  TriMesh sphere = inward;
  orient_outward(sphere);
  EXPECT_EQ(analyse(sphere).orientation, Orientation::outward);
}

TEST(Clean, MobiusStripIsReportedNotOrientable) {
  TriMesh s = mobius(10);
  const OrientationFix fix = orient_consistently(s);
  EXPECT_FALSE(fix.orientable);
}

TEST(Clean, RealNonManifoldAndDegenerateMeshesStayReadableAfterCleaning) {
  for (const char* file :
       {"enigma_subcortex/sctx_lh.surf.gii",
        "hippocampus/tpl-avg_space-canonical_den-0p5mm_label-hipp_midthickness.surf.gii"}) {
    SCOPED_TRACE(file);
    TriMesh m = read_mesh(mesh_data(file));
    const OrientationFix fix = orient_outward(m);
    EXPECT_TRUE(fix.orientable);
    EXPECT_EQ(analyse(m).n_inconsistent_edges, 0u);
  }
}
