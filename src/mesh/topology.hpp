// Private to the mesh analysis: union-find, undirected edges with the faces using them, and
// connected components, shared by report.cpp and clean.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh::detail {

/// Disjoint sets over 0..n-1 with path halving and union by size.
class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n), size_(n, 1) {
    std::iota(parent_.begin(), parent_.end(), std::int32_t{0});
  }
  std::int32_t find(std::int32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void unite(std::int32_t a, std::int32_t b) {
    a = find(a), b = find(b);
    if (a == b) return;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
  }

 private:
  std::vector<std::int32_t> parent_;
  std::vector<std::int32_t> size_;
};

/// One use of an undirected edge {lo, hi} by a face; `forward` if the face runs lo → hi.
struct EdgeUse {
  std::int32_t lo, hi, face;
  std::int8_t corner;  ///< the face's corner (0..2) where the edge starts
  bool forward;
};

/// Every edge use of every face, sorted so that the uses of one edge are adjacent.
/// Requires indices in [0, N). (3F,) entries.
inline std::vector<EdgeUse> sorted_edge_uses(const TriMesh& mesh) {
  std::vector<EdgeUse> uses;
  uses.reserve(3 * mesh.n_faces());
  for (std::size_t f = 0; f < mesh.n_faces(); ++f)
    for (int k = 0; k < 3; ++k) {
      const std::int32_t a = mesh.faces[f][k], b = mesh.faces[f][(k + 1) % 3];
      uses.push_back({std::min(a, b), std::max(a, b), static_cast<std::int32_t>(f),
                      static_cast<std::int8_t>(k), a < b});
    }
  std::sort(uses.begin(), uses.end(), [](const EdgeUse& x, const EdgeUse& y) {
    return x.lo != y.lo ? x.lo < y.lo : x.hi != y.hi ? x.hi < y.hi : x.face < y.face;
  });
  return uses;
}

/// Calls fn(first, last) for each run of uses of one edge in sorted `uses`.
template <class Fn>
void for_each_edge(const std::vector<EdgeUse>& uses, Fn fn) {
  for (std::size_t i = 0; i < uses.size();) {
    std::size_t j = i + 1;
    while (j < uses.size() && uses[j].lo == uses[i].lo && uses[j].hi == uses[i].hi) ++j;
    fn(i, j);
    i = j;
  }
}

/// Connected components of the vertices that faces reference (vertices joined by an edge
/// are in one component). Labels are 0..n−1 in order of each component's first vertex;
/// unreferenced vertices get −1.
struct Components {
  std::vector<std::int32_t> vertex;              ///< (N,) label or −1
  std::vector<std::int32_t> face;                ///< (F,) label
  std::vector<std::size_t> n_vertices, n_faces;  ///< per label
  std::size_t count() const noexcept { return n_vertices.size(); }
};

inline Components find_components(const TriMesh& mesh) {
  const std::size_t n = mesh.n_vertices();
  UnionFind sets(n);
  std::vector<char> used(n, 0);
  for (const auto& f : mesh.faces) {
    sets.unite(f[0], f[1]);
    sets.unite(f[1], f[2]);
    used[f[0]] = used[f[1]] = used[f[2]] = 1;
  }
  Components c;
  c.vertex.assign(n, -1);
  std::vector<std::int32_t> label_of_root(n, -1);
  for (std::size_t v = 0; v < n; ++v) {
    if (!used[v]) continue;
    const std::int32_t root = sets.find(static_cast<std::int32_t>(v));
    if (label_of_root[root] < 0) {
      label_of_root[root] = static_cast<std::int32_t>(c.n_vertices.size());
      c.n_vertices.push_back(0);
      c.n_faces.push_back(0);
    }
    c.vertex[v] = label_of_root[root];
    ++c.n_vertices[c.vertex[v]];
  }
  c.face.reserve(mesh.n_faces());
  for (const auto& f : mesh.faces) {
    c.face.push_back(c.vertex[f[0]]);
    ++c.n_faces[c.vertex[f[0]]];
  }
  return c;
}

}  // namespace spectralbrain::mesh::detail
