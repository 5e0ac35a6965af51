// Writing a mesh in the format its file name asks for (OFF, PLY or GIFTI).
#pragma once

#include <filesystem>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Writes a mesh in the format the file name's extension names: ".off" → write_off(),
/// ".ply" → write_ply() (binary little-endian), ".gii" (e.g. ".surf.gii") → write_gifti()
/// (float32 coordinates). The extension is matched case-insensitively. Every writer writes
/// under a temporary name beside the target and renames it when complete, so a failure
/// never leaves a partial file under the name asked for.
///
/// @param mesh  the mesh to write (N×3 coordinates, F×3 indices)
/// @param path  the file to create or replace
/// @throws core::InputError naming the file if the extension names no writable format or the
///   file cannot be written
void write_mesh(const TriMesh& mesh, const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
