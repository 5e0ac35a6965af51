// analyse(): one pass over the sorted edge uses gives edges, boundaries, non-manifold edges
// and orientation conflicts; union-find gives components, boundary loops and vertex fans.
#include "spectralbrain/mesh/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <queue>

#include "spectralbrain/core/error.hpp"
#include "topology.hpp"

namespace spectralbrain::mesh {

namespace {
constexpr double pi = 3.14159265358979323846;

using Vec = std::array<double, 3>;
Vec sub(const Vec& a, const Vec& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
Vec cross(const Vec& a, const Vec& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm(const Vec& a) { return std::sqrt(dot(a, a)); }

// Angle between u and v in degrees, robust for tiny and degenerate triangles.
double angle(const Vec& u, const Vec& v) {
  return std::atan2(norm(cross(u, v)), dot(u, v)) * 180 / pi;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return core::cat(n, " ", n == 1 ? one : many);
}
}  // namespace

const char* orientation_name(Orientation o) noexcept {
  switch (o) {
    case Orientation::outward:
      return "outward";
    case Orientation::inward:
      return "inward";
    case Orientation::mixed:
      return "mixed";
    case Orientation::inconsistent:
      return "inconsistent";
    case Orientation::open:
      return "open";
  }
  return "unknown";
}

const char* usability_name(Usability u) noexcept {
  switch (u) {
    case Usability::usable:
      return "usable";
    case Usability::needs_fixes:
      return "needs fixes";
    case Usability::unusable:
      return "unusable";
  }
  return "unknown";
}

MeshReport analyse(const TriMesh& mesh) {
  MeshReport r;
  const std::size_t n = mesh.n_vertices(), n_faces = mesh.n_faces();
  r.n_vertices = n;
  r.n_faces = n_faces;
  const auto& x = mesh.vertices;

  // Geometry and triangle quality.
  if (n > 0) r.bounding_box_min = r.bounding_box_max = x[0];
  for (const auto& p : x)
    for (int a = 0; a < 3; ++a) {
      r.bounding_box_min[a] = std::min(r.bounding_box_min[a], p[a]);
      r.bounding_box_max[a] = std::max(r.bounding_box_max[a], p[a]);
    }
  r.min_angle = n_faces ? 180.0 : 0.0;
  r.min_edge_length = n_faces ? HUGE_VAL : 0.0;
  std::size_t n_obtuse = 0;
  for (const auto& f : mesh.faces) {
    const Vec &a = x[f[0]], &b = x[f[1]], &c = x[f[2]];
    const Vec ab = sub(b, a), bc = sub(c, b), ca = sub(a, c);
    const double area = 0.5 * norm(cross(ab, sub(c, a)));
    const double longest = std::max({norm(ab), norm(bc), norm(ca)});
    const double shortest = std::min({norm(ab), norm(bc), norm(ca)});
    r.area += area;
    r.signed_volume += dot(a, cross(b, c)) / 6.0;
    r.min_edge_length = std::min(r.min_edge_length, shortest);
    r.max_edge_length = std::max(r.max_edge_length, longest);
    const double angles[3] = {angle(ab, sub(c, a)), angle(bc, sub(a, b)), angle(ca, sub(b, c))};
    const double smallest = std::min({angles[0], angles[1], angles[2]});
    const double largest = std::max({angles[0], angles[1], angles[2]});
    r.min_angle = std::min(r.min_angle, smallest);
    r.max_angle = std::max(r.max_angle, largest);
    if (largest > 90.0 + 1e-9) ++n_obtuse;
    if (area <= 1e-12 * longest * longest) {
      ++r.n_zero_area_faces;
    } else if (smallest < 1.0) {
      ++r.n_near_degenerate_faces;
    }
  }
  r.obtuse_fraction = n_faces ? static_cast<double>(n_obtuse) / static_cast<double>(n_faces) : 0.0;

  // Edges: boundary, non-manifold, orientation conflicts.
  const auto uses = detail::sorted_edge_uses(mesh);
  detail::UnionFind boundary_sets(n);
  std::vector<char> on_boundary(n, 0);
  detail::UnionFind corners(3 * n_faces);  // corner (face f, k) = 3f + k
  const auto corner_of = [&](const detail::EdgeUse& u, std::int32_t vertex) {
    const auto& f = mesh.faces[u.face];
    const int k = f[0] == vertex ? 0 : f[1] == vertex ? 1 : 2;
    return static_cast<std::int32_t>(3 * u.face + k);
  };
  std::vector<std::vector<std::pair<std::int32_t, bool>>> adjacency(n_faces);
  detail::for_each_edge(uses, [&](std::size_t i, std::size_t j) {
    ++r.n_edges;
    const std::size_t k = j - i;
    const auto& u = uses[i];
    if (k == 1) {
      ++r.n_boundary_edges;
      boundary_sets.unite(u.lo, u.hi);
      on_boundary[u.lo] = on_boundary[u.hi] = 1;
    } else if (k > 2) {
      ++r.n_non_manifold_edges;
    }
    if (k == 2) {
      const auto& w = uses[i + 1];
      const bool same_direction = u.forward == w.forward;
      if (same_direction) ++r.n_inconsistent_edges;
      adjacency[u.face].emplace_back(w.face, same_direction);
      adjacency[w.face].emplace_back(u.face, same_direction);
    }
    // Faces sharing this edge are in one fan at both its ends.
    for (std::size_t m = i + 1; m < j; ++m) {
      corners.unite(corner_of(u, u.lo), corner_of(uses[m], u.lo));
      corners.unite(corner_of(u, u.hi), corner_of(uses[m], u.hi));
    }
  });

  // Components and their Euler characteristics.
  const detail::Components comp = detail::find_components(mesh);
  r.n_components = comp.count();
  std::vector<std::size_t> order(comp.count());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return comp.n_vertices[a] != comp.n_vertices[b] ? comp.n_vertices[a] > comp.n_vertices[b]
                                                    : comp.n_faces[a] > comp.n_faces[b];
  });
  for (const std::size_t c : order) {
    r.component_vertices.push_back(comp.n_vertices[c]);
    r.component_faces.push_back(comp.n_faces[c]);
  }
  std::size_t n_referenced = 0;
  for (const auto c : comp.vertex) n_referenced += c >= 0;
  r.n_unreferenced_vertices = n - n_referenced;
  r.euler_characteristic =
      static_cast<long>(n_referenced) - static_cast<long>(r.n_edges) + static_cast<long>(n_faces);

  // Boundary loops: connected chains of boundary edges, counted per component too.
  std::vector<long> loops(comp.count(), 0), edges(comp.count(), 0);
  for (std::size_t v = 0; v < n; ++v)
    if (on_boundary[v] &&
        boundary_sets.find(static_cast<std::int32_t>(v)) == static_cast<std::int32_t>(v)) {
      ++r.n_boundary_loops;
      ++loops[comp.vertex[v]];
    }
  detail::for_each_edge(uses,
                        [&](std::size_t i, std::size_t) { ++edges[comp.vertex[uses[i].lo]]; });

  // Bowtie vertices: more than one fan of faces around the vertex.
  {
    std::vector<std::pair<std::int32_t, std::int32_t>> fans;  // (vertex, fan root)
    fans.reserve(3 * n_faces);
    for (std::size_t f = 0; f < n_faces; ++f)
      for (int k = 0; k < 3; ++k)
        fans.emplace_back(mesh.faces[f][k], corners.find(static_cast<std::int32_t>(3 * f + k)));
    std::sort(fans.begin(), fans.end());
    fans.erase(std::unique(fans.begin(), fans.end()), fans.end());
    for (std::size_t i = 0; i + 1 < fans.size(); ++i)
      if (fans[i].first == fans[i + 1].first && (i == 0 || fans[i - 1].first != fans[i].first))
        ++r.n_non_manifold_vertices;
  }

  // Duplicate faces: the same three vertices in any order.
  {
    std::vector<std::array<std::int32_t, 3>> sorted = mesh.faces;
    for (auto& f : sorted) std::sort(f.begin(), f.end());
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 1; i < sorted.size(); ++i)
      r.n_duplicate_faces += sorted[i] == sorted[i - 1];
  }

  // Orientability: propagate an orientation across two-face edges; a conflict means none
  // exists (a Möbius-like strip).
  {
    std::vector<signed char> flip(n_faces, -1);
    std::vector<std::int32_t> queue;
    for (std::size_t seed = 0; seed < n_faces && r.orientable; ++seed) {
      if (flip[seed] >= 0) continue;
      flip[seed] = 0;
      queue.assign(1, static_cast<std::int32_t>(seed));
      while (!queue.empty() && r.orientable) {
        const std::int32_t f = queue.back();
        queue.pop_back();
        for (const auto& [g, same] : adjacency[f]) {
          const signed char want = static_cast<signed char>(flip[f] ^ (same ? 1 : 0));
          if (flip[g] < 0) {
            flip[g] = want;
            queue.push_back(g);
          } else if (flip[g] != want) {
            r.orientable = false;
            break;
          }
        }
      }
    }
  }

  // Orientation and volume, per closed component.
  const bool manifold = r.n_non_manifold_edges == 0 && r.n_non_manifold_vertices == 0;
  if (manifold && r.orientable) {
    long genus2 = 0;
    bool integral = true;
    for (std::size_t c = 0; c < comp.count(); ++c) {
      const long chi =
          static_cast<long>(comp.n_vertices[c]) - edges[c] + static_cast<long>(comp.n_faces[c]);
      const long g2 = 2 - chi - loops[c];
      integral = integral && g2 >= 0 && g2 % 2 == 0;
      genus2 += g2;
    }
    if (integral) r.genus = genus2 / 2;
  }
  if (r.n_inconsistent_edges > 0) {
    r.orientation = Orientation::inconsistent;
  } else if (r.n_boundary_edges == 0 && r.n_non_manifold_edges == 0) {
    std::vector<double> volume(comp.count(), 0.0);
    for (std::size_t f = 0; f < n_faces; ++f) {
      const auto& t = mesh.faces[f];
      volume[comp.face[f]] += dot(x[t[0]], cross(x[t[1]], x[t[2]])) / 6.0;
    }
    double total = 0;
    for (const double v : volume) {
      total += std::abs(v);
      r.n_inward_components += v < 0;
    }
    r.volume = total;
    r.orientation = r.n_inward_components == 0              ? Orientation::outward
                    : r.n_inward_components == comp.count() ? Orientation::inward
                                                            : Orientation::mixed;
  }

  // Verdict.
  if (!(r.area > 0)) {
    r.usability = Usability::unusable;
    r.fixes.push_back("the total surface area is zero: every triangle is degenerate");
  }
  if (r.n_unreferenced_vertices > 0)
    r.fixes.push_back(core::cat(plural(r.n_unreferenced_vertices, "vertex is", "vertices are"),
                                " used by no face (the mass matrix would be singular): drop "
                                "them (check --output, mesh::drop_unreferenced_vertices; "
                                "their result rows are then marked missing)"));
  if (r.n_zero_area_faces > 0)
    r.fixes.push_back(core::cat(plural(r.n_zero_area_faces, "triangle has", "triangles have"),
                                " zero area (infinite cotangent weights): the assembly "
                                "clamps them as LaPy does (fem/operators.hpp)"));
  if (r.n_duplicate_faces > 0)
    r.fixes.push_back(core::cat(plural(r.n_duplicate_faces, "face repeats", "faces repeat"),
                                " an earlier face's vertices (it would count twice): drop "
                                "them (check --output, mesh::drop_duplicate_faces)"));
  if (r.usability == Usability::usable && !r.fixes.empty()) r.usability = Usability::needs_fixes;

  if (r.n_components > 1)
    r.warnings.push_back(core::cat(
        r.n_components, " connected components: eigenvalue 0 has multiplicity ", r.n_components,
        "; --largest-component keeps the largest (", r.component_vertices.front(), " vertices)"));
  if (r.n_boundary_edges > 0)
    r.warnings.push_back(
        core::cat("open surface: ", plural(r.n_boundary_loops, "boundary loop", "boundary loops"),
                  " (", r.n_boundary_edges, " boundary edges; Neumann boundary conditions apply)"));
  if (r.n_non_manifold_edges > 0 || r.n_non_manifold_vertices > 0)
    r.warnings.push_back(
        core::cat("non-manifold: ", plural(r.n_non_manifold_edges, "edge has", "edges have"),
                  " three or more faces and ",
                  plural(r.n_non_manifold_vertices, "vertex joins", "vertices join"),
                  " separate fans of faces (the cotangent Laplacian is still "
                  "defined, but the surface is not a manifold there)"));
  if (r.n_inconsistent_edges > 0)
    r.warnings.push_back(core::cat(
        "inconsistent orientation: ", plural(r.n_inconsistent_edges, "edge is", "edges are"),
        " run the same way by both faces",
        r.orientable ? " (fixable: mesh::orient_consistently)"
                     : " and the surface is not orientable"));
  if (r.orientation == Orientation::inward || r.orientation == Orientation::mixed)
    r.warnings.push_back(
        core::cat(plural(r.n_inward_components, "closed component has", "closed components have"),
                  " inward-pointing normals (negative volume; "
                  "mesh::orient_outward fixes it)"));
  if (r.n_near_degenerate_faces > 0)
    r.warnings.push_back(
        core::cat(plural(r.n_near_degenerate_faces, "triangle has", "triangles have"),
                  " an angle below 1 degree (poorly conditioned)"));
  return r;
}

std::string report_json(const MeshReport& r, const std::string& source, int indent) {
  nlohmann::ordered_json j;
  j["source"] = source;
  j["usability"] = usability_name(r.usability);
  j["n_vertices"] = r.n_vertices;
  j["n_faces"] = r.n_faces;
  j["n_edges"] = r.n_edges;
  j["area"] = r.area;
  j["volume"] = r.volume ? nlohmann::ordered_json(*r.volume) : nlohmann::ordered_json(nullptr);
  j["signed_volume"] = r.signed_volume;
  j["bounding_box_min"] = r.bounding_box_min;
  j["bounding_box_max"] = r.bounding_box_max;
  j["euler_characteristic"] = r.euler_characteristic;
  j["genus"] = r.genus ? nlohmann::ordered_json(*r.genus) : nlohmann::ordered_json(nullptr);
  j["n_components"] = r.n_components;
  j["component_vertices"] = r.component_vertices;
  j["component_faces"] = r.component_faces;
  j["n_boundary_edges"] = r.n_boundary_edges;
  j["n_boundary_loops"] = r.n_boundary_loops;
  j["n_non_manifold_edges"] = r.n_non_manifold_edges;
  j["n_non_manifold_vertices"] = r.n_non_manifold_vertices;
  j["n_unreferenced_vertices"] = r.n_unreferenced_vertices;
  j["n_duplicate_faces"] = r.n_duplicate_faces;
  j["n_inconsistent_edges"] = r.n_inconsistent_edges;
  j["orientable"] = r.orientable;
  j["orientation"] = orientation_name(r.orientation);
  j["n_inward_components"] = r.n_inward_components;
  j["n_zero_area_faces"] = r.n_zero_area_faces;
  j["n_near_degenerate_faces"] = r.n_near_degenerate_faces;
  j["min_angle"] = r.min_angle;
  j["max_angle"] = r.max_angle;
  j["obtuse_fraction"] = r.obtuse_fraction;
  j["min_edge_length"] = r.min_edge_length;
  j["max_edge_length"] = r.max_edge_length;
  j["fixes"] = r.fixes;
  j["warnings"] = r.warnings;
  return j.dump(indent);
}

std::string report_text(const MeshReport& r, const std::string& source) {
  std::string s = core::cat("mesh: ", source, "\n");
  const auto line = [&s](const char* name, const std::string& value) {
    s += core::cat(
        "  ", name,
        std::string(
            name[0] ? 26 - std::min<std::size_t>(26, std::char_traits<char>::length(name)) : 0,
            ' '),
        value, "\n");
  };
  const auto num = [](double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.6g", v);
    return std::string(b);
  };
  line("vertices", core::cat(r.n_vertices));
  line("faces", core::cat(r.n_faces));
  line("edges", core::cat(r.n_edges));
  line("area", num(r.area));
  line("volume", r.volume ? num(*r.volume) : std::string("undefined (not closed and consistent)"));
  line("euler characteristic", core::cat(r.euler_characteristic));
  line("genus",
       r.genus ? core::cat(*r.genus) : std::string("undefined (non-manifold or non-orientable)"));
  std::string sizes;
  for (std::size_t i = 0; i < r.component_vertices.size() && i < 10; ++i)
    sizes += core::cat(i ? ", " : "", r.component_vertices[i]);
  if (r.component_vertices.size() > 10) sizes += ", ...";
  line("components", core::cat(r.n_components, r.n_components ? " (vertices: " + sizes + ")" : ""));
  line("boundary loops", core::cat(r.n_boundary_loops, " (", r.n_boundary_edges, " edges)"));
  line("non-manifold edges", core::cat(r.n_non_manifold_edges));
  line("non-manifold vertices", core::cat(r.n_non_manifold_vertices));
  line("inconsistent edges",
       core::cat(r.n_inconsistent_edges, r.orientable ? "" : " (not orientable)"));
  line("orientation", orientation_name(r.orientation));
  line("duplicate faces", core::cat(r.n_duplicate_faces));
  line("unreferenced vertices", core::cat(r.n_unreferenced_vertices));
  line("zero-area triangles", core::cat(r.n_zero_area_faces));
  line("near-degenerate (<1 deg)", core::cat(r.n_near_degenerate_faces));
  line("min angle (deg)", num(r.min_angle));
  line("max angle (deg)", num(r.max_angle));
  line("obtuse triangles", core::cat(num(100 * r.obtuse_fraction), "%"));
  line("edge length", core::cat(num(r.min_edge_length), " to ", num(r.max_edge_length)));
  s += core::cat("verdict: ", usability_name(r.usability), "\n");
  for (const auto& f : r.fixes) s += "  fix: " + f + "\n";
  for (const auto& w : r.warnings) s += "  warning: " + w + "\n";
  return s;
}

}  // namespace spectralbrain::mesh
