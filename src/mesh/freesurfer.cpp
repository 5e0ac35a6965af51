// FreeSurfer binary triangle surfaces: big-endian header, float32 coordinates, int32 faces.
#include "spectralbrain/mesh/freesurfer.hpp"

#include <bit>
#include <cstdint>

#include "file_bytes.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
std::uint32_t big_endian_u32(const char* p) {
  const auto b = [p](int i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}
std::int32_t big_endian_i32(const char* p) {
  return std::bit_cast<std::int32_t>(big_endian_u32(p));
}
float big_endian_f32(const char* p) { return std::bit_cast<float>(big_endian_u32(p)); }
}  // namespace

TriMesh parse_freesurfer(std::string_view bytes, const std::string& source) {
  const std::size_t size = bytes.size();
  if (size == 0) throw core::InputError(source, "", "file is empty (0 bytes)");
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (size < 3 && byte(0) == 0xFF && (size == 1 || byte(1) == 0xFF))
    throw core::InputError(
        source, "header",
        core::cat("file is truncated: it ends inside the magic number (", size, " bytes)"));
  if (size < 3 || byte(0) != 0xFF || byte(1) != 0xFF || byte(2) != 0xFE) {
    if (size >= 3 && byte(0) == 0xFF && byte(1) == 0xFF && (byte(2) == 0xFF || byte(2) == 0xFD))
      throw core::InputError(source, "header",
                             "is a FreeSurfer quadrangle surface, which is not supported; "
                             "convert it to a triangle surface (e.g. mris_convert)");
    throw core::InputError(
        source, "header",
        core::cat("not a FreeSurfer binary triangle surface: wrong magic "
                  "bytes (the file begins with ",
                  detail::printable(bytes.substr(0, 3), 3), ", expected '\\xFF\\xFF\\xFE')"));
  }

  // Creator line, then (normally) an empty line. Like nibabel, accept a missing empty line.
  const std::size_t newline = bytes.find('\n', 3);
  if (newline == std::string_view::npos)
    throw core::InputError(source, "header",
                           core::cat("file is truncated: it ends inside the header (the creator "
                                     "line has no terminating newline; ",
                                     size, " bytes)"));
  std::size_t pos = newline + 1;
  if (pos < size && bytes[pos] == '\n') ++pos;

  if (size - pos < 8)
    throw core::InputError(source, "header",
                           core::cat("file is truncated: it ends inside the header, before the "
                                     "vertex and face counts (",
                                     size, " bytes)"));
  const std::int32_t n_vertices = big_endian_i32(bytes.data() + pos);
  const std::int32_t n_faces = big_endian_i32(bytes.data() + pos + 4);
  pos += 8;
  if (n_vertices < 0)
    throw core::InputError(
        source, "header",
        core::cat("vertex count is negative (", n_vertices, "): the header is corrupt"));
  if (n_faces < 0)
    throw core::InputError(
        source, "header",
        core::cat("face count is negative (", n_faces, "): the header is corrupt"));

  // Sizes in 64 bits: 12 × (2^31 − 1) does not fit in 32. Checked before allocating.
  const std::uint64_t vertex_bytes = 12 * static_cast<std::uint64_t>(n_vertices);
  const std::uint64_t face_bytes = 12 * static_cast<std::uint64_t>(n_faces);
  const std::uint64_t needed = pos + vertex_bytes + face_bytes;
  if (size < needed) {
    const char* where = size < pos + vertex_bytes ? "vertex coordinates" : "face list";
    throw core::InputError(
        source, "header",
        core::cat("file is truncated or its header is corrupt: the header "
                  "declares ",
                  n_vertices, " vertices and ", n_faces, " faces, which need ", needed,
                  " bytes, but the file has ", size, " (it ends inside the ", where, ")"));
  }

  TriMesh mesh;
  mesh.vertices.resize(static_cast<std::size_t>(n_vertices));
  const char* p = bytes.data() + pos;
  for (auto& v : mesh.vertices)
    for (double& x : v) {
      x = big_endian_f32(p);
      p += 4;
    }
  mesh.faces.resize(static_cast<std::size_t>(n_faces));
  for (auto& f : mesh.faces)
    for (std::int32_t& i : f) {
      i = big_endian_i32(p);
      p += 4;
    }
  // Whatever follows (volume geometry, tags) is not needed for the surface.
  return mesh;
}

TriMesh read_freesurfer(const std::filesystem::path& path) {
  return parse_freesurfer(detail::read_file_bytes(path), path.string());
}

}  // namespace spectralbrain::mesh
