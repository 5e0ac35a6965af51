// MZ3: little-endian header, faces then vertices; gzip through zlib.
#include "spectralbrain/mesh/mz3.hpp"

#include <cstdint>
#include <limits>

#include "file_bytes.hpp"
#include "gzip.hpp"
#include "parse_util.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
using detail::Endian;
constexpr std::size_t header_bytes = 16;
constexpr std::uint64_t max_expansion = 256;
}  // namespace

TriMesh parse_mz3(std::string_view bytes, const std::string& source) {
  if (bytes.empty()) throw core::InputError(source, "", "file is empty (0 bytes)");
  std::string inflated;
  std::string_view data = bytes;
  const bool compressed = detail::is_gzip(bytes);
  if (compressed) {
    inflated = detail::gunzip(bytes, header_bytes, source);
    data = inflated;
  }
  if (data.size() < header_bytes)
    throw core::InputError(
        source, "header",
        core::cat("file is truncated: it ends inside the 16-byte header (", data.size(),
                  compressed ? " bytes after decompression)" : " bytes)"));
  if (detail::load<std::uint16_t>(data.data(), Endian::little) != 0x5A4D)
    throw core::InputError(source, "header",
                           core::cat("not an MZ3 file: wrong magic bytes (found ",
                                     detail::printable(data.substr(0, 2)), ", expected 'MZ')"));
  const auto attributes = detail::load<std::uint16_t>(data.data() + 2, Endian::little);
  const auto n_faces = detail::load<std::uint32_t>(data.data() + 4, Endian::little);
  const auto n_vertices = detail::load<std::uint32_t>(data.data() + 8, Endian::little);
  const auto n_skip = detail::load<std::uint32_t>(data.data() + 12, Endian::little);
  if (attributes > 127)
    throw core::InputError(source, "header",
                           core::cat("attribute bits ", attributes,
                                     " are from a newer MZ3 version, which is not supported"));
  if ((attributes & 1) == 0 || n_faces == 0)
    throw core::InputError(source, "header",
                           "holds no faces: it is an MZ3 overlay (scalars or colours for another "
                           "mesh), not a surface");
  if ((attributes & 2) == 0 || n_vertices == 0)
    throw core::InputError(source, "header",
                           "holds no vertices: it is an MZ3 overlay (scalars or colours for "
                           "another mesh), not a surface");
  constexpr auto max_count = static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max());
  if (n_faces > max_count || n_vertices > max_count)
    throw core::InputError(source, "header",
                           core::cat("the header declares ", n_faces, " faces and ", n_vertices,
                                     " vertices, more than int32 indices address: it is corrupt"));

  const std::uint64_t needed = header_bytes + std::uint64_t{n_skip} + 12 * std::uint64_t{n_faces} +
                               12 * std::uint64_t{n_vertices};
  const std::uint64_t can_hold = compressed ? max_expansion * bytes.size() : bytes.size();
  if (needed > can_hold)
    throw core::InputError(
        source, "header",
        core::cat("the header declares ", n_faces, " faces and ", n_vertices, " vertices (", needed,
                  " bytes of data), but the file has ", bytes.size(),
                  compressed ? " compressed bytes, which cannot hold that much"
                             : " bytes: it is truncated or the header is corrupt"));
  if (compressed) {
    inflated = detail::gunzip(bytes, static_cast<std::size_t>(needed), source);
    data = inflated;
    if (data.size() < needed)
      throw core::InputError(source, "gzip stream",
                             core::cat("the decompressed data end after ", data.size(),
                                       " bytes, but the header declares ", n_faces, " faces and ",
                                       n_vertices, " vertices, which need ", needed));
  }

  TriMesh mesh;
  const char* p = data.data() + header_bytes + n_skip;
  mesh.faces.resize(n_faces);
  for (auto& f : mesh.faces)
    for (std::int32_t& i : f) {
      i = detail::load<std::int32_t>(p, Endian::little);
      p += 4;
    }
  mesh.vertices.resize(n_vertices);
  for (auto& v : mesh.vertices)
    for (double& x : v) {
      x = detail::load<float>(p, Endian::little);
      p += 4;
    }
  return mesh;
}

TriMesh read_mz3(const std::filesystem::path& path) {
  return parse_mz3(detail::read_file_bytes(path), path.string());
}

}  // namespace spectralbrain::mesh
