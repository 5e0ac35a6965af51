// Object File Format (OFF), ASCII: "OFF", a counts line "N F E", N vertex lines "x y z",
// F face lines "k i1 ... ik [colour]" with zero-based indices; '#' starts a comment.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads an ASCII OFF mesh.
///
/// One record per line, as every common writer produces; blank lines and '#' comments are
/// skipped. The counts may follow "OFF" on the same line (also the "OFF8 6 0" form some
/// datasets contain); the edge count is optional and ignored. Vertex lines must hold exactly
/// three numbers. A face line holds k ≥ 3 distinct indices in [0, N), optionally followed by
/// a colour, which is ignored. Polygons with k > 3 are fan-triangulated: (i1, ij, ij+1) for
/// j = 2..k-1, so a k-gon becomes k−2 consecutive triangles and the mesh's face count is
/// larger than the file's; face order is otherwise kept. Content after the declared faces is
/// an error (the counts are then probably wrong). Variants with per-vertex extras (COFF,
/// NOFF, STOFF, 4OFF, nOFF) and binary OFF are rejected.
///
/// Checks the structure; finite coordinates and the remaining mesh checks are done by
/// validate_mesh(), which read_mesh() calls.
///
/// @param path  the .off file
/// @return N×3 coordinates and the triangles, in file order
/// @throws core::InputError naming the file, the line ("line 12") and the problem
TriMesh read_off(const std::filesystem::path& path);

/// Parses OFF text already in memory (what read_off() does after reading the file; for tests
/// and fuzzing). The counts are checked against the text's length before allocating.
///
/// @param text    the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_off()
/// @throws core::InputError as read_off()
TriMesh parse_off(std::string_view text, const std::string& source);

/// Writes a mesh as ASCII OFF: "OFF", the counts line "N F 0", one "x y z" line per vertex
/// with 17 significant digits (so doubles read back exactly) and one "3 i j k" line per face.
/// The file is written under a temporary name in the same folder and renamed when complete,
/// so a failure leaves no partial file.
///
/// @param mesh  the mesh to write (N×3 coordinates, F×3 indices; not checked)
/// @param path  the file to create or replace
/// @throws core::InputError naming the file if it cannot be written
void write_off(const TriMesh& mesh, const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
