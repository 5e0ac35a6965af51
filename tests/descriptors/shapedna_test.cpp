// ShapeDNA conventions: scale invariance of the normalisations, reweighting by index, and
// the enclosed volume they rely on.
#include <gtest/gtest.h>

#include <cmath>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/descriptors/shapedna.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/volume.hpp"

using namespace spectralbrain;
using descriptors::ShapeDnaNormalization;
using descriptors::ShapeDnaReweighting;

TEST(SignedVolume, UnitSphereAndOrientation) {
  // Inscribed polyhedra: a little less than 4π/3, the error falling 4× per refinement.
  const double e4 = 4 * M_PI / 3 - mesh::signed_volume(mesh::icosphere(4));
  mesh::TriMesh m = mesh::icosphere(5);
  const double v = mesh::signed_volume(m);
  const double e5 = 4 * M_PI / 3 - v;
  EXPECT_GT(e5, 0);
  EXPECT_NEAR(e4 / e5, 4.0, 0.05);
  for (auto& f : m.faces) std::swap(f[1], f[2]);
  EXPECT_NEAR(mesh::signed_volume(m), -v, 1e-12);
  for (auto& p : m.vertices) p = {p[0] + 100, p[1] - 50, p[2] + 7};  // translation-invariant
  EXPECT_NEAR(mesh::signed_volume(m), -v, 1e-10);
}

TEST(ShapeDna, NormalisationsAreScaleInvariant) {
  // Scaling a shape by s multiplies λ by 1/s², A by s², V by s³.
  const std::vector<double> lambda = {0.0, 2.0, 2.0, 2.0, 6.0};
  const double area = 4 * M_PI, volume = 4 * M_PI / 3, s = 2.0;
  std::vector<double> scaled;
  for (double l : lambda) scaled.push_back(l / (s * s));
  for (auto n : {ShapeDnaNormalization::surface, ShapeDnaNormalization::volume}) {
    const auto a = descriptors::shapedna(lambda, area, volume, {n, ShapeDnaReweighting::none});
    const auto b = descriptors::shapedna(scaled, area * s * s, volume * s * s * s,
                                         {n, ShapeDnaReweighting::none});
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12 * (1 + a[i]));
  }
  EXPECT_NEAR(descriptors::shapedna(lambda, area, volume, {})[1], 2.0 * area, 1e-12);
}

TEST(ShapeDna, Reweighting) {
  const std::vector<double> lambda = {0.0, 2.0, 6.0, 12.0};
  const auto lapy =
      descriptors::shapedna(lambda, 1, 1, {ShapeDnaNormalization::none, ShapeDnaReweighting::lapy});
  EXPECT_EQ(lapy, (std::vector<double>{0.0, 1.0, 2.0, 3.0}));
  const auto index = descriptors::shapedna(
      lambda, 1, 1, {ShapeDnaNormalization::none, ShapeDnaReweighting::index});
  EXPECT_EQ(index, (std::vector<double>{2.0, 3.0, 4.0}));
}

TEST(ShapeDna, ErrorsNameTheProblem) {
  const std::vector<double> lambda = {0.0, 1.0};
  EXPECT_THROW(descriptors::shapedna(lambda, 1, -3, {ShapeDnaNormalization::volume}),
               core::InputError);
  EXPECT_THROW(descriptors::shapedna({}, 1, 1, {}), core::InputError);
  EXPECT_THROW(descriptors::parse_normalization("area", "--norm"), core::InputError);
  EXPECT_EQ(descriptors::parse_reweighting("lapy", "--reweight"), ShapeDnaReweighting::lapy);
}
