// ASCII OFF: line-oriented parsing with line numbers in every message.
#include "spectralbrain/mesh/off.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <vector>

#include "file_bytes.hpp"
#include "parse_util.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {

using detail::Lines;
using detail::to_double;
using detail::to_integer;

constexpr long long max_count = std::numeric_limits<std::int32_t>::max();

}  // namespace

TriMesh parse_off(std::string_view text, const std::string& source) {
  if (text.empty()) throw core::InputError(source, "", "file is empty (0 bytes)");
  Lines lines(text);
  if (!lines.next())
    throw core::InputError(source, "", "file holds no OFF header (only blank or comment lines)");

  // Header keyword, possibly followed (or glued, "OFF8") by the counts.
  const std::string_view keyword = lines.tokens()[0];
  std::vector<std::string_view> counts(lines.tokens().begin() + 1, lines.tokens().end());
  if (keyword.starts_with("OFF") && keyword.size() > 3 &&
      std::all_of(keyword.begin() + 3, keyword.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    counts.insert(counts.begin(), keyword.substr(3));
  } else if (keyword != "OFF") {
    if (keyword.find("OFF") != std::string_view::npos && keyword.size() <= 9)
      throw core::InputError(
          source, lines.record(),
          core::cat("OFF variant '", keyword,
                    "' is not supported: only plain OFF (vertex lines 'x y z')"));
    throw core::InputError(source, lines.record(),
                           core::cat("not an OFF file: expected the keyword 'OFF', found ",
                                     detail::printable(keyword)));
  }
  if (!counts.empty() && counts[0] == "BINARY")
    throw core::InputError(source, lines.record(), "binary OFF is not supported, only ASCII");
  if (counts.empty()) {
    if (!lines.next())
      throw core::InputError(source, "end of file",
                             "file is truncated: it ends after the 'OFF' keyword, before the "
                             "counts line 'n_vertices n_faces n_edges'");
    counts = lines.tokens();
  }
  const std::size_t counts_line = lines.number();
  if (counts.size() < 2 || counts.size() > 3)
    throw core::InputError(
        source, lines.record(),
        core::cat("expected the counts line 'n_vertices n_faces n_edges', found ", counts.size(),
                  " values"));
  std::array<long long, 2> n{};
  for (int i = 0; i < 2; ++i) {
    const auto v = to_integer(counts[i]);
    if (!v || *v < 0 || *v > max_count)
      throw core::InputError(
          source, lines.record(),
          core::cat("the ", i == 0 ? "vertex" : "face", " count ", detail::printable(counts[i]),
                    " is not an integer in [0, 2^31-1]"));
    n[i] = *v;
  }
  const long long n_vertices = n[0], n_faces = n[1];

  // Every vertex and face needs a line of its own (at least 2 bytes): counts the rest of the
  // text cannot hold are rejected at once. Memory is reserved only for as many records as
  // the text could hold as valid lines ("0 0 0\n" is 6 bytes), so a corrupt count never
  // allocates more than a few times the file size.
  const std::uint64_t records =
      static_cast<std::uint64_t>(n_vertices) + static_cast<std::uint64_t>(n_faces);
  if (2 * records > lines.bytes_left() + 1)
    throw core::InputError(source, lines.record(),
                           core::cat("the counts declare ", n_vertices, " vertices and ", n_faces,
                                     " faces, one line each, but only ", lines.bytes_left(),
                                     " bytes follow: the file is truncated or the counts are "
                                     "wrong"));
  const std::size_t most_lines = lines.bytes_left() / 6 + 1;

  TriMesh mesh;
  mesh.vertices.reserve(std::min(static_cast<std::size_t>(n_vertices), most_lines));
  for (long long v = 0; v < n_vertices; ++v) {
    if (!lines.next())
      throw core::InputError(
          source, "end of file",
          core::cat("file is truncated: it ends after ", v, " of ", n_vertices, " vertex lines"));
    const auto& t = lines.tokens();
    if (t.size() != 3)
      throw core::InputError(
          source, lines.record(),
          core::cat("vertex ", v, ": expected 3 coordinates 'x y z', found ", t.size(), " values"));
    std::array<double, 3> p{};
    for (int j = 0; j < 3; ++j) {
      const auto x = to_double(t[j]);
      if (!x)
        throw core::InputError(
            source, lines.record(),
            core::cat("vertex ", v, ": coordinate ", detail::printable(t[j]), " is not a number"));
      p[j] = *x;
    }
    mesh.vertices.push_back(p);
  }

  mesh.faces.reserve(std::min(static_cast<std::size_t>(n_faces), most_lines));
  std::vector<std::int32_t> polygon, sorted;
  for (long long f = 0; f < n_faces; ++f) {
    if (!lines.next())
      throw core::InputError(
          source, "end of file",
          core::cat("file is truncated: it ends after ", f, " of ", n_faces, " face lines"));
    const auto& t = lines.tokens();
    const auto k = to_integer(t[0]);
    if (!k)
      throw core::InputError(source, lines.record(),
                             core::cat("face ", f, ": the vertex count ", detail::printable(t[0]),
                                       " is not an integer"));
    if (*k < 3)
      throw core::InputError(
          source, lines.record(),
          core::cat("face ", f, ": declares ", *k, " vertices; a face needs at least 3"));
    if (static_cast<long long>(t.size()) - 1 < *k)
      throw core::InputError(
          source, lines.record(),
          core::cat("face ", f, ": declares ", *k, " vertices but lists ", t.size() - 1));
    polygon.clear();
    for (long long j = 1; j <= *k; ++j) {
      const auto index = to_integer(t[j]);
      if (!index)
        throw core::InputError(source, lines.record(),
                               core::cat("face ", f, ": vertex index ", detail::printable(t[j]),
                                         " is not an integer"));
      if (*index < 0 || *index >= n_vertices)
        throw core::InputError(
            source, lines.record(),
            core::cat("face ", f, ": vertex index ", *index, " is out of range [0, ", n_vertices,
                      "): the file has ", n_vertices, " vertices"));
      polygon.push_back(static_cast<std::int32_t>(*index));
    }
    sorted = polygon;
    std::sort(sorted.begin(), sorted.end());
    if (const auto dup = std::adjacent_find(sorted.begin(), sorted.end()); dup != sorted.end())
      throw core::InputError(
          source, lines.record(),
          core::cat("face ", f, ": repeats vertex ", *dup, "; a face needs distinct vertices"));
    // Colour values after the indices, if any, are ignored. Polygons become triangle fans.
    for (std::size_t j = 1; j + 1 < polygon.size(); ++j)
      mesh.faces.push_back({polygon[0], polygon[j], polygon[j + 1]});
  }

  if (lines.next())
    throw core::InputError(
        source, lines.record(),
        core::cat("unexpected content after the ", n_faces, " declared faces: the counts on line ",
                  counts_line, " are probably wrong"));
  return mesh;
}

void write_off(const TriMesh& mesh, const std::filesystem::path& path) {
  std::string out = core::cat("OFF\n", mesh.n_vertices(), " ", mesh.n_faces(), " 0\n");
  out.reserve(out.size() + 75 * mesh.n_vertices() + 36 * mesh.n_faces());
  char line[96];
  for (const auto& v : mesh.vertices) {
    const int n = std::snprintf(line, sizeof line, "%.17g %.17g %.17g\n", v[0], v[1], v[2]);
    out.append(line, static_cast<std::size_t>(n));
  }
  for (const auto& f : mesh.faces) {
    const int n = std::snprintf(line, sizeof line, "3 %d %d %d\n", f[0], f[1], f[2]);
    out.append(line, static_cast<std::size_t>(n));
  }
  detail::write_file_atomically(path, out);
}

TriMesh read_off(const std::filesystem::path& path) {
  return parse_off(detail::read_file_bytes(path), path.string());
}

}  // namespace spectralbrain::mesh
