// Wavefront OBJ: line records, one-based and relative indices, polygons as triangle fans.
#include "spectralbrain/mesh/obj.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "file_bytes.hpp"
#include "parse_util.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
using detail::printable;

bool ignored_statement(std::string_view k) {
  for (const std::string_view s : {"vt", "vn", "vp", "o", "g", "s", "l", "p", "mtllib", "usemtl"})
    if (k == s) return true;
  return false;
}
}  // namespace

TriMesh parse_obj(std::string_view text, const std::string& source) {
  if (text.empty()) throw core::InputError(source, "", "file is empty (0 bytes)");
  constexpr long long max_vertices = std::numeric_limits<std::int32_t>::max();
  detail::Lines lines(text);
  TriMesh mesh;
  std::vector<std::int32_t> polygon, scratch;
  // Positive indices may refer to vertices defined later in the file (many readers allow
  // it), so they are checked at the end against the final count; the largest one and its
  // line are kept for the message.
  long long max_index = -1;
  std::string max_index_line;
  std::size_t n_polygons = 0;
  while (lines.next()) {
    const auto& t = lines.tokens();
    const std::string_view keyword = t[0];
    if (t.back() == "\\" || t.back().ends_with('\\'))
      throw core::InputError(source, lines.record(),
                             "line continuation ('\\' at the end of a line) is not supported");
    if (keyword == "v") {
      if (t.size() < 4 || t.size() > 8)
        throw core::InputError(source, lines.record(),
                               core::cat("vertex ", mesh.n_vertices(),
                                         ": expected 'v x y z' (optionally w or r g b), found ",
                                         t.size() - 1, " values"));
      if (static_cast<long long>(mesh.n_vertices()) >= max_vertices)
        throw core::InputError(source, lines.record(),
                               "more vertices than int32 indices can address");
      std::array<double, 3> p{};
      for (std::size_t j = 1; j < t.size(); ++j) {
        const auto x = detail::to_double(t[j]);
        if (!x)
          throw core::InputError(source, lines.record(),
                                 core::cat("vertex ", mesh.n_vertices(), ": value ",
                                           printable(t[j]), " is not a number"));
        if (j <= 3) p[j - 1] = *x;
      }
      mesh.vertices.push_back(p);
    } else if (keyword == "f") {
      if (t.size() < 4)
        throw core::InputError(source, lines.record(),
                               core::cat("face ", n_polygons, ": lists ", t.size() - 1,
                                         " vertices; a face needs at least 3"));
      polygon.clear();
      for (std::size_t j = 1; j < t.size(); ++j) {
        const std::string_view corner = t[j].substr(0, t[j].find('/'));
        const auto index = detail::to_integer(corner);
        if (!index)
          throw core::InputError(source, lines.record(),
                                 core::cat("face ", n_polygons, ": corner ", printable(t[j]),
                                           " does not start with a vertex index"));
        const auto n = static_cast<long long>(mesh.n_vertices());
        long long zero_based = 0;
        if (*index > 0) {
          zero_based = *index - 1;
          if (zero_based > max_vertices)
            throw core::InputError(
                source, lines.record(),
                core::cat("face ", n_polygons, ": vertex index ", *index, " is out of range"));
          if (zero_based > max_index) max_index = zero_based, max_index_line = lines.record();
        } else if (*index < 0) {
          zero_based = n + *index;
          if (zero_based < 0)
            throw core::InputError(source, lines.record(),
                                   core::cat("face ", n_polygons, ": relative vertex index ",
                                             *index, " points before the first vertex (only ", n,
                                             " vertices are defined above this line)"));
        } else {
          throw core::InputError(source, lines.record(),
                                 core::cat("face ", n_polygons,
                                           ": vertex index 0 is invalid (OBJ indices are "
                                           "one-based; negative ones count back)"));
        }
        polygon.push_back(static_cast<std::int32_t>(zero_based));
      }
      if (const auto dup = detail::repeated_vertex(polygon, scratch))
        throw core::InputError(source, lines.record(),
                               core::cat("face ", n_polygons, ": repeats vertex ", *dup + 1,
                                         " (one-based); a face needs distinct vertices"));
      detail::append_fan(polygon, mesh.faces);
      ++n_polygons;
    } else if (!ignored_statement(keyword)) {
      throw core::InputError(source, lines.record(),
                             core::cat("unknown OBJ statement ", printable(keyword),
                                       " (expected v, vt, vn, f, o, g, s, usemtl, ...): is this "
                                       "an OBJ file?"));
    }
  }
  if (max_index >= static_cast<long long>(mesh.n_vertices()))
    throw core::InputError(
        source, max_index_line,
        core::cat("vertex index ", max_index + 1, " is out of range: the file defines ",
                  mesh.n_vertices(), " vertices (indices are one-based)"));
  return mesh;
}

TriMesh read_obj(const std::filesystem::path& path) {
  return parse_obj(detail::read_file_bytes(path), path.string());
}

}  // namespace spectralbrain::mesh
