// Cleaning with maps back to the input: vertex and face selection, components, orientation.
#include "spectralbrain/mesh/clean.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "spectralbrain/core/error.hpp"
#include "topology.hpp"

namespace spectralbrain::mesh {

namespace {
// The sub-mesh of the faces with keep_face[f], and of the vertices they use.
DerivedMesh select_faces(const TriMesh& mesh, const std::vector<char>& keep_face) {
  DerivedMesh d;
  d.output_vertex.assign(mesh.n_vertices(), -1);
  std::vector<char> used(mesh.n_vertices(), 0);
  for (std::size_t f = 0; f < mesh.n_faces(); ++f)
    if (keep_face[f])
      for (const auto v : mesh.faces[f]) used[v] = 1;
  for (std::size_t v = 0; v < mesh.n_vertices(); ++v)
    if (used[v]) {
      d.output_vertex[v] = static_cast<std::int32_t>(d.input_vertex.size());
      d.input_vertex.push_back(static_cast<std::int32_t>(v));
      d.mesh.vertices.push_back(mesh.vertices[v]);
    }
  for (std::size_t f = 0; f < mesh.n_faces(); ++f)
    if (keep_face[f]) {
      const auto& t = mesh.faces[f];
      d.mesh.faces.push_back({d.output_vertex[t[0]], d.output_vertex[t[1]], d.output_vertex[t[2]]});
      d.input_face.push_back(static_cast<std::int32_t>(f));
    }
  return d;
}

double signed_volume_of(const TriMesh& m, const std::vector<std::int32_t>& face_component,
                        std::int32_t c) {
  double v = 0;
  for (std::size_t f = 0; f < m.n_faces(); ++f) {
    if (face_component[f] != c) continue;
    const auto &a = m.vertices[m.faces[f][0]], &b = m.vertices[m.faces[f][1]],
               &p = m.vertices[m.faces[f][2]];
    v += (a[0] * (b[1] * p[2] - b[2] * p[1]) - a[1] * (b[0] * p[2] - b[2] * p[0]) +
          a[2] * (b[0] * p[1] - b[1] * p[0])) /
         6.0;
  }
  return v;
}
}  // namespace

DerivedMesh identity(const TriMesh& mesh) {
  DerivedMesh d;
  d.mesh = mesh;
  d.input_vertex.resize(mesh.n_vertices());
  std::iota(d.input_vertex.begin(), d.input_vertex.end(), std::int32_t{0});
  d.output_vertex = d.input_vertex;
  d.input_face.resize(mesh.n_faces());
  std::iota(d.input_face.begin(), d.input_face.end(), std::int32_t{0});
  return d;
}

DerivedMesh drop_unreferenced_vertices(const TriMesh& mesh) {
  return select_faces(mesh, std::vector<char>(mesh.n_faces(), 1));
}

DerivedMesh drop_duplicate_faces(const TriMesh& mesh) {
  std::vector<std::pair<std::array<std::int32_t, 3>, std::int32_t>> sorted;
  sorted.reserve(mesh.n_faces());
  for (std::size_t f = 0; f < mesh.n_faces(); ++f) {
    auto t = mesh.faces[f];
    std::sort(t.begin(), t.end());
    sorted.emplace_back(t, static_cast<std::int32_t>(f));
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<char> keep(mesh.n_faces(), 1);
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].first == sorted[i - 1].first) keep[sorted[i].second] = 0;
  DerivedMesh d = identity(mesh);
  d.mesh.faces.clear();
  d.input_face.clear();
  for (std::size_t f = 0; f < mesh.n_faces(); ++f)
    if (keep[f]) {
      d.mesh.faces.push_back(mesh.faces[f]);
      d.input_face.push_back(static_cast<std::int32_t>(f));
    }
  return d;
}

std::size_t count_components(const TriMesh& mesh) { return detail::find_components(mesh).count(); }

std::vector<std::int32_t> component_labels(const TriMesh& mesh) {
  return detail::find_components(mesh).vertex;
}

DerivedMesh keep_largest_component(const TriMesh& mesh) {
  const detail::Components c = detail::find_components(mesh);
  std::size_t best = 0;
  for (std::size_t i = 1; i < c.count(); ++i)
    if (c.n_vertices[i] > c.n_vertices[best] ||
        (c.n_vertices[i] == c.n_vertices[best] && c.n_faces[i] > c.n_faces[best]))
      best = i;
  std::vector<char> keep(mesh.n_faces(), 0);
  for (std::size_t f = 0; f < mesh.n_faces(); ++f)
    keep[f] = c.face[f] == static_cast<std::int32_t>(best);
  return select_faces(mesh, keep);
}

DerivedMesh compose(const DerivedMesh& first, const DerivedMesh& second) {
  DerivedMesh d;
  d.mesh = second.mesh;
  d.input_vertex.reserve(second.input_vertex.size());
  for (const auto v : second.input_vertex) d.input_vertex.push_back(first.input_vertex[v]);
  d.output_vertex.assign(first.output_vertex.size(), -1);
  for (std::size_t i = 0; i < first.output_vertex.size(); ++i)
    if (const auto mid = first.output_vertex[i]; mid >= 0)
      d.output_vertex[i] = second.output_vertex[mid];
  d.input_face.reserve(second.input_face.size());
  for (const auto f : second.input_face) d.input_face.push_back(first.input_face[f]);
  return d;
}

std::vector<double> to_input_rows(const DerivedMesh& derived, const std::vector<double>& values,
                                  double missing) {
  if (values.size() != derived.input_vertex.size())
    throw core::Error(core::cat("to_input_rows: ", values.size(), " values for ",
                                derived.input_vertex.size(), " output vertices"));
  std::vector<double> out(derived.output_vertex.size(), missing);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (const auto o = derived.output_vertex[i]; o >= 0) out[i] = values[o];
  return out;
}

OrientationFix orient_consistently(TriMesh& mesh) {
  OrientationFix fix;
  const std::size_t n_faces = mesh.n_faces();
  std::vector<std::vector<std::pair<std::int32_t, bool>>> adjacency(n_faces);
  const auto uses = detail::sorted_edge_uses(mesh);
  detail::for_each_edge(uses, [&](std::size_t i, std::size_t j) {
    if (j - i != 2) return;
    const bool same = uses[i].forward == uses[i + 1].forward;
    adjacency[uses[i].face].emplace_back(uses[i + 1].face, same);
    adjacency[uses[i + 1].face].emplace_back(uses[i].face, same);
  });
  std::vector<signed char> flip(n_faces, -1);
  std::vector<std::int32_t> patch, stack;
  for (std::size_t seed = 0; seed < n_faces; ++seed) {
    if (flip[seed] >= 0) continue;
    flip[seed] = 0;
    patch.assign(1, static_cast<std::int32_t>(seed));
    stack.assign(1, static_cast<std::int32_t>(seed));
    while (!stack.empty()) {
      const std::int32_t f = stack.back();
      stack.pop_back();
      for (const auto& [g, same] : adjacency[f]) {
        const auto want = static_cast<signed char>(flip[f] ^ (same ? 1 : 0));
        if (flip[g] < 0) {
          flip[g] = want;
          patch.push_back(g);
          stack.push_back(g);
        } else if (flip[g] != want) {
          fix.orientable = false;
        }
      }
    }
    // Flip the minority so that a mostly consistent input changes least.
    std::size_t n_flip = 0;
    for (const auto f : patch) n_flip += flip[f] == 1;
    const bool invert = 2 * n_flip > patch.size();
    for (const auto f : patch)
      if ((flip[f] == 1) != invert) {
        std::swap(mesh.faces[f][1], mesh.faces[f][2]);
        ++fix.n_flipped_faces;
      }
  }
  return fix;
}

OrientationFix orient_outward(TriMesh& mesh) {
  OrientationFix fix = orient_consistently(mesh);
  const detail::Components c = detail::find_components(mesh);
  // A component is closed if none of its edges has one face or more than two.
  std::vector<char> closed(c.count(), 1);
  const auto uses = detail::sorted_edge_uses(mesh);
  detail::for_each_edge(uses, [&](std::size_t i, std::size_t j) {
    if (j - i != 2) closed[c.face[uses[i].face]] = 0;
  });
  for (std::size_t k = 0; k < c.count(); ++k) {
    if (!closed[k]) continue;
    if (signed_volume_of(mesh, c.face, static_cast<std::int32_t>(k)) >= 0) continue;
    ++fix.n_reversed_components;
    for (std::size_t f = 0; f < mesh.n_faces(); ++f)
      if (c.face[f] == static_cast<std::int32_t>(k)) {
        std::swap(mesh.faces[f][1], mesh.faces[f][2]);
        ++fix.n_flipped_faces;
      }
  }
  return fix;
}

}  // namespace spectralbrain::mesh
