// analyse(): every finding on meshes whose answer is known by construction (spheres, tori,
// Möbius strips, bowties, ...) and on the real meshes against tests/mesh/independent_report.py.
#include "spectralbrain/mesh/report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "test_meshes.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

TEST(Report, IcosphereIsAClosedOutwardSphere) {
  const MeshReport r = analyse(icosphere(3));
  EXPECT_EQ(r.n_vertices, 642u);
  EXPECT_EQ(r.n_faces, 1280u);
  EXPECT_EQ(r.n_edges, 1920u);
  EXPECT_EQ(r.euler_characteristic, 2);
  EXPECT_EQ(r.genus, 0);
  EXPECT_EQ(r.n_components, 1u);
  EXPECT_EQ(r.n_boundary_loops, 0u);
  EXPECT_EQ(r.orientation, Orientation::outward);
  ASSERT_TRUE(r.volume.has_value());
  EXPECT_NEAR(*r.volume, 4.0 / 3.0 * M_PI, 0.05);  // inscribed polyhedron: a little less
  EXPECT_LT(*r.volume, 4.0 / 3.0 * M_PI);
  EXPECT_NEAR(r.signed_volume, *r.volume, 1e-12);
  EXPECT_NEAR(r.area, 4 * M_PI, 0.1);
  EXPECT_GT(r.min_angle, 50.0);  // icosphere triangles are nearly equilateral
  EXPECT_EQ(r.obtuse_fraction, 0.0);
  EXPECT_EQ(r.usability, Usability::usable);
  EXPECT_TRUE(r.fixes.empty());
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Report, TorusHasGenusOne) {
  const MeshReport r = analyse(torus(96, 48));
  EXPECT_EQ(r.euler_characteristic, 0);
  EXPECT_EQ(r.genus, 1);
  EXPECT_EQ(r.orientation, Orientation::outward);
  ASSERT_TRUE(r.volume.has_value());
  EXPECT_NEAR(*r.volume, 2 * M_PI * M_PI * 2 * 0.5 * 0.5, 0.05);  // 2π²Rr², inscribed
}

TEST(Report, RectangleIsAnOpenDisc) {
  const MeshReport r = analyse(rectangle(2, 1, 4, 2));
  EXPECT_EQ(r.euler_characteristic, 1);
  EXPECT_EQ(r.genus, 0);
  EXPECT_EQ(r.n_boundary_loops, 1u);
  EXPECT_EQ(r.n_boundary_edges, 12u);
  EXPECT_EQ(r.orientation, Orientation::open);
  EXPECT_FALSE(r.volume.has_value());
  EXPECT_NEAR(r.area, 2.0, 1e-14);
  EXPECT_EQ(r.usability, Usability::usable);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("1 boundary loop"), std::string::npos);
}

TEST(Report, AnnulusHasTwoBoundaryLoops) {
  const MeshReport r = analyse(annulus(16));
  EXPECT_EQ(r.n_boundary_loops, 2u);
  EXPECT_EQ(r.euler_characteristic, 0);
  EXPECT_EQ(r.genus, 0);
}

TEST(Report, TwoSpheresOneInsideOutAreMixed) {
  TriMesh inward = icosphere(1);
  for (auto& f : inward.faces) std::swap(f[1], f[2]);
  EXPECT_EQ(analyse(inward).orientation, Orientation::inward);
  const TriMesh both = concatenate(icosphere(1), shifted(inward, 3.0));
  const MeshReport r = analyse(both);
  EXPECT_EQ(r.n_components, 2u);
  EXPECT_EQ(r.component_vertices, (std::vector<std::size_t>{42, 42}));
  EXPECT_EQ(r.orientation, Orientation::mixed);
  EXPECT_EQ(r.n_inward_components, 1u);
  EXPECT_EQ(r.genus, 0);
  EXPECT_EQ(r.euler_characteristic, 4);
  EXPECT_EQ(r.usability, Usability::usable);
  EXPECT_EQ(r.warnings.size(), 2u);  // two components; inward normals
}

TEST(Report, OneFlippedFaceGivesThreeInconsistentEdges) {
  TriMesh m = icosphere(2);
  std::swap(m.faces[7][1], m.faces[7][2]);
  const MeshReport r = analyse(m);
  EXPECT_EQ(r.n_inconsistent_edges, 3u);
  EXPECT_TRUE(r.orientable);
  EXPECT_EQ(r.orientation, Orientation::inconsistent);
  EXPECT_FALSE(r.volume.has_value());
}

TEST(Report, MobiusStripIsNotOrientable) {
  const MeshReport r = analyse(mobius(12));
  EXPECT_FALSE(r.orientable);
  EXPECT_GT(r.n_inconsistent_edges, 0u);
  EXPECT_FALSE(r.genus.has_value());
  EXPECT_EQ(r.n_boundary_loops, 1u);  // a Möbius strip has one boundary curve
}

TEST(Report, NonManifoldEdgesAndBowtieVertices) {
  const MeshReport fin = analyse(three_fins());
  EXPECT_EQ(fin.n_non_manifold_edges, 1u);
  EXPECT_EQ(fin.n_non_manifold_vertices, 0u);
  EXPECT_FALSE(fin.genus.has_value());
  const MeshReport bow = analyse(bowtie());
  EXPECT_EQ(bow.n_non_manifold_edges, 0u);
  EXPECT_EQ(bow.n_non_manifold_vertices, 1u);
  EXPECT_EQ(bow.n_components, 1u);
  EXPECT_EQ(bow.usability, Usability::usable);
}

TEST(Report, UnreferencedVerticesDuplicateAndZeroAreaFacesNeedFixes) {
  TriMesh m = icosphere(1);
  m.vertices.push_back({5, 5, 5});
  EXPECT_EQ(analyse(m).n_unreferenced_vertices, 1u);
  EXPECT_EQ(analyse(m).usability, Usability::needs_fixes);

  TriMesh d = icosphere(1);
  d.faces.push_back({d.faces[3][2], d.faces[3][0], d.faces[3][1]});
  const MeshReport rd = analyse(d);
  EXPECT_EQ(rd.n_duplicate_faces, 1u);
  EXPECT_EQ(rd.n_non_manifold_edges, 3u);
  EXPECT_EQ(rd.usability, Usability::needs_fixes);

  TriMesh z = rectangle(1, 1, 1, 1);
  z.vertices.push_back({2, 0, 0});  // collinear with vertices 0 and 1
  z.faces.push_back({0, 1, 4});
  const MeshReport rz = analyse(z);
  EXPECT_EQ(rz.n_zero_area_faces, 1u);
  EXPECT_EQ(rz.min_angle, 0.0);
  EXPECT_NEAR(rz.max_angle, 180.0, 1e-9);
  EXPECT_EQ(rz.usability, Usability::needs_fixes);
  ASSERT_EQ(rz.fixes.size(), 1u);
  EXPECT_NE(rz.fixes[0].find("1 triangle has zero area"), std::string::npos);
}

TEST(Report, AllDegenerateIsUnusable) {
  TriMesh m;
  m.vertices = {{0, 0, 0}, {1, 0, 0}, {2, 0, 0}};
  m.faces = {{0, 1, 2}};
  const MeshReport r = analyse(m);
  EXPECT_EQ(r.area, 0.0);
  EXPECT_EQ(r.usability, Usability::unusable);
}

TEST(Report, NearDegenerateAndObtuse) {
  TriMesh m;
  m.vertices = {{0, 0, 0}, {1, 0, 0}, {0.5, 0.001, 0}};
  m.faces = {{0, 1, 2}};
  const MeshReport r = analyse(m);
  EXPECT_EQ(r.n_zero_area_faces, 0u);
  EXPECT_EQ(r.n_near_degenerate_faces, 1u);
  EXPECT_EQ(r.obtuse_fraction, 1.0);
  EXPECT_NEAR(r.min_angle, std::atan(0.002) * 180 / M_PI, 1e-9);
}

// Numbers from tests/mesh/independent_report.py (numpy + scipy).
TEST(Report, RealMeshesAgreeWithIndependentCounts) {
  const MeshReport cit = analyse(read_mesh(mesh_data("cit168/CIT168.mz3")));
  EXPECT_EQ(cit.n_components, 33u);
  EXPECT_EQ(cit.component_vertices[0], 4467u);
  EXPECT_EQ(cit.component_vertices[1], 4361u);
  EXPECT_EQ(cit.n_edges, 84237u);
  EXPECT_EQ(cit.n_boundary_edges, 0u);
  EXPECT_EQ(cit.n_non_manifold_edges, 0u);
  EXPECT_EQ(cit.n_inconsistent_edges, 0u);
  EXPECT_EQ(cit.euler_characteristic, 62);
  EXPECT_NEAR(cit.area, 13408.822323, 1e-4);
  EXPECT_TRUE(cit.volume.has_value());
  EXPECT_EQ(cit.usability, Usability::usable);

  const MeshReport sctx = analyse(read_mesh(mesh_data("enigma_subcortex/sctx_lh.surf.gii")));
  EXPECT_EQ(sctx.n_components, 9u);
  EXPECT_EQ(sctx.n_non_manifold_edges, 86u);
  EXPECT_EQ(sctx.n_zero_area_faces, 2u);
  EXPECT_EQ(sctx.n_edges, 77842u);
  EXPECT_FALSE(sctx.genus.has_value());
  EXPECT_EQ(sctx.usability, Usability::needs_fixes);

  const MeshReport hipp = analyse(read_mesh(
      mesh_data("hippocampus/tpl-avg_space-canonical_den-0p5mm_label-hipp_midthickness.surf.gii")));
  EXPECT_EQ(hipp.n_zero_area_faces, 28u);
  EXPECT_EQ(hipp.n_boundary_edges, 256u);
  EXPECT_EQ(hipp.n_boundary_loops, 1u);
  EXPECT_EQ(hipp.n_components, 1u);
  EXPECT_EQ(hipp.genus, 0);
  EXPECT_EQ(hipp.usability, Usability::needs_fixes);
  EXPECT_NEAR(hipp.area, 722.412230, 1e-4);

  const MeshReport pial = analyse(read_mesh(mesh_data("fsaverage5/lh.pial")));
  EXPECT_EQ(pial.genus, 0);
  EXPECT_EQ(pial.n_edges, 30720u);
  EXPECT_EQ(pial.orientation, Orientation::outward);
  EXPECT_EQ(pial.usability, Usability::usable);
}

TEST(Report, JsonHasEveryFieldAndNullForUndefined) {
  const MeshReport r = analyse(rectangle(1, 1, 2, 2));
  const auto j = nlohmann::json::parse(report_json(r, "rect.off", -1));
  EXPECT_EQ(j["source"], "rect.off");
  EXPECT_EQ(j["usability"], "usable");
  EXPECT_EQ(j["n_vertices"], 9);
  EXPECT_TRUE(j["volume"].is_null());
  EXPECT_EQ(j["genus"], 0);
  EXPECT_EQ(j["orientation"], "open");
  for (const char* key : {"n_faces",
                          "n_edges",
                          "area",
                          "signed_volume",
                          "euler_characteristic",
                          "n_components",
                          "component_vertices",
                          "component_faces",
                          "n_boundary_edges",
                          "n_boundary_loops",
                          "n_non_manifold_edges",
                          "n_non_manifold_vertices",
                          "n_unreferenced_vertices",
                          "n_duplicate_faces",
                          "n_inconsistent_edges",
                          "orientable",
                          "n_zero_area_faces",
                          "n_near_degenerate_faces",
                          "min_angle",
                          "max_angle",
                          "obtuse_fraction",
                          "fixes",
                          "warnings",
                          "bounding_box_min"})
    EXPECT_TRUE(j.contains(key)) << key;
  const std::string text = report_text(r, "rect.off");
  EXPECT_NE(text.find("mesh: rect.off\n"), std::string::npos);
  EXPECT_NE(text.find("verdict: usable"), std::string::npos);
}
