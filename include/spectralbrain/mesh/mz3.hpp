// MZ3, the surface format of Surf Ice and NiiVue: a 16-byte little-endian header, then
// faces (int32) before vertices (float32), then optional per-vertex colours and scalars;
// the whole file may be gzip-compressed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads an MZ3 surface, raw or gzip-compressed.
///
/// Header (little-endian): uint16 magic 0x5A4D ("MZ"), uint16 attributes (bit 0: faces,
/// bit 1: vertices, bit 2: RGBA colours, bit 3: scalars, bit 4: double scalars, bit 5: AO
/// map, bit 6: label lookup; larger values are a future version and rejected), uint32 face
/// count F, uint32 vertex count N, uint32 bytes to skip after the header. Then F×3 int32
/// zero-based indices and N×3 float32 coordinates. Colours and scalars, if present, are not
/// needed and not read. A file without faces or without vertices (an overlay of scalars for
/// another mesh) is rejected. A gzip-compressed file is decompressed with zlib, only as far
/// as the mesh needs; the counts are checked against what the file can hold before anything
/// is allocated, and a stream that would expand more than 256-fold (far beyond what mesh data
/// compress to) is rejected as corrupt.
///
/// @param path  the .mz3 file
/// @return N×3 coordinates (float32 widened to double) and F×3 indices, in file order
/// @throws core::InputError naming the file, the record ("header", "gzip stream") and the
///   problem
TriMesh read_mz3(const std::filesystem::path& path);

/// Parses MZ3 bytes already in memory, raw or gzip-compressed (what read_mz3() does after
/// reading the file; for tests and fuzzing).
///
/// @param bytes   the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_mz3()
/// @throws core::InputError as read_mz3()
TriMesh parse_mz3(std::string_view bytes, const std::string& source);

}  // namespace spectralbrain::mesh
