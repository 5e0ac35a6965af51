// FreeSurfer ASCII surfaces: counts line, vertex lines, face lines, each with a flag.
#include "spectralbrain/mesh/freesurfer_ascii.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "file_bytes.hpp"
#include "parse_util.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

TriMesh parse_freesurfer_ascii(std::string_view text, const std::string& source) {
  using detail::printable;
  if (text.empty()) throw core::InputError(source, "", "file is empty (0 bytes)");
  detail::Lines lines(text);
  if (!lines.next())
    throw core::InputError(source, "",
                           "file holds no counts line 'n_vertices n_faces' (only comments)");
  const auto& counts = lines.tokens();
  if (counts.size() != 2)
    throw core::InputError(source, lines.record(),
                           core::cat("expected the counts line 'n_vertices n_faces', found ",
                                     counts.size(), " values"));
  constexpr long long max_count = std::numeric_limits<std::int32_t>::max();
  std::array<long long, 2> n{};
  for (int i = 0; i < 2; ++i) {
    const auto v = detail::to_integer(counts[i]);
    if (!v || *v < 0 || *v > max_count)
      throw core::InputError(source, lines.record(),
                             core::cat("the ", i == 0 ? "vertex" : "face", " count ",
                                       printable(counts[i]), " is not an integer in [0, 2^31-1]"));
    n[i] = *v;
  }
  const long long n_vertices = n[0], n_faces = n[1];
  const std::size_t counts_line = lines.number();
  // Each record needs a line of at least 6 bytes ("0 0 0\n").
  if (6 * (static_cast<std::uint64_t>(n_vertices) + static_cast<std::uint64_t>(n_faces)) >
      lines.bytes_left() + 1)
    throw core::InputError(source, lines.record(),
                           core::cat("the counts declare ", n_vertices, " vertices and ", n_faces,
                                     " faces, one line each, but only ", lines.bytes_left(),
                                     " bytes follow: the file is truncated or the counts are "
                                     "wrong"));

  TriMesh mesh;
  mesh.vertices.reserve(static_cast<std::size_t>(n_vertices));
  for (long long v = 0; v < n_vertices; ++v) {
    if (!lines.next())
      throw core::InputError(
          source, "end of file",
          core::cat("file is truncated: it ends after ", v, " of ", n_vertices, " vertex lines"));
    const auto& t = lines.tokens();
    if (t.size() != 3 && t.size() != 4)
      throw core::InputError(
          source, lines.record(),
          core::cat("vertex ", v, ": expected 'x y z flag', found ", t.size(), " values"));
    std::array<double, 3> p{};
    for (int j = 0; j < 3; ++j) {
      const auto x = detail::to_double(t[j]);
      if (!x)
        throw core::InputError(
            source, lines.record(),
            core::cat("vertex ", v, ": coordinate ", printable(t[j]), " is not a number"));
      p[j] = *x;
    }
    mesh.vertices.push_back(p);
  }
  mesh.faces.reserve(static_cast<std::size_t>(n_faces));
  for (long long f = 0; f < n_faces; ++f) {
    if (!lines.next())
      throw core::InputError(
          source, "end of file",
          core::cat("file is truncated: it ends after ", f, " of ", n_faces, " face lines"));
    const auto& t = lines.tokens();
    if (t.size() != 3 && t.size() != 4)
      throw core::InputError(source, lines.record(),
                             core::cat("face ", f, ": expected 'i j k flag', found ", t.size(),
                                       " values (FreeSurfer ASCII surfaces hold triangles only)"));
    std::array<std::int32_t, 3> face{};
    for (int j = 0; j < 3; ++j) {
      const auto i = detail::to_integer(t[j]);
      if (!i)
        throw core::InputError(
            source, lines.record(),
            core::cat("face ", f, ": vertex index ", printable(t[j]), " is not an integer"));
      if (*i < 0 || *i >= n_vertices)
        throw core::InputError(source, lines.record(),
                               core::cat("face ", f, ": vertex index ", *i, " is out of range [0, ",
                                         n_vertices, "): the file has ", n_vertices, " vertices"));
      face[j] = static_cast<std::int32_t>(*i);
    }
    mesh.faces.push_back(face);
  }
  if (lines.next())
    throw core::InputError(
        source, lines.record(),
        core::cat("unexpected content after the ", n_faces, " declared faces: the counts on line ",
                  counts_line, " are probably wrong"));
  return mesh;
}

TriMesh read_freesurfer_ascii(const std::filesystem::path& path) {
  return parse_freesurfer_ascii(detail::read_file_bytes(path), path.string());
}

}  // namespace spectralbrain::mesh
