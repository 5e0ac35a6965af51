// Stanford PLY (polygon file format): ASCII, binary little-endian and binary big-endian.
// A text header declares elements ("vertex", "face", ...) with typed properties; the data
// follow in the declared order.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a PLY mesh.
///
/// The header starts with "ply", then "format ascii|binary_little_endian|binary_big_endian
/// 1.0", then "element NAME COUNT" each followed by its "property TYPE NAME" or "property list
/// COUNT_TYPE ITEM_TYPE NAME" lines ("comment" and "obj_info" lines are skipped), and ends
/// with "end_header". Line ends may be LF or CRLF. All of PLY's types are read (char/int8,
/// uchar/uint8, short/int16, ushort/uint16, int/int32, uint/uint32, float/float32,
/// double/float64). The "vertex" element must have scalar x, y and z properties; the
/// "face" element must have a list property "vertex_indices" (or "vertex_index") of
/// zero-based indices. Every other property (normals, colours, quality, ...) and every other
/// element (edges, materials, ...) is read past and ignored. Faces with k > 3 vertices are
/// fan-triangulated, (i1, ij, ij+1) for j = 2..k−1. Data after the last element is ignored.
/// Every count is checked against the bytes that follow before anything is allocated.
///
/// @param path  the .ply file
/// @return N×3 coordinates (widened to double) and the triangles, in file order
/// @throws core::InputError naming the file, the record ("line 7" in the header or ASCII
///   data, "vertex 12" / "face 3" in binary data) and the problem
TriMesh read_ply(const std::filesystem::path& path);

/// Parses PLY bytes already in memory (what read_ply() does after reading the file; for
/// tests and fuzzing).
///
/// @param bytes   the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_ply()
/// @throws core::InputError as read_ply()
TriMesh parse_ply(std::string_view bytes, const std::string& source);

/// Writes a mesh as binary little-endian PLY: float64 x y z per vertex, and per face a
/// uint8 count (3) and three int32 indices ("property list uchar int vertex_indices"), which
/// MeshLab, Blender, trimesh, Open3D and VTK read. The file is written under a temporary
/// name in the same folder and renamed when complete, so a failure leaves no partial file.
///
/// @param mesh  the mesh to write (N×3 coordinates, F×3 indices; not checked)
/// @param path  the file to create or replace
/// @throws core::InputError naming the file if it cannot be written
void write_ply(const TriMesh& mesh, const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
