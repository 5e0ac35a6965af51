// Wavefront OBJ, ASCII: "v x y z" vertex lines and "f a b c ..." face lines with one-based
// (or negative, relative) indices; texture, normal, group and material records are ignored.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a Wavefront OBJ mesh.
///
/// Records, one per line ('#' starts a comment, blank lines are skipped):
/// - `v x y z [w | r g b]`: a vertex; only x y z are kept (a homogeneous w or the per-vertex
///   colour some writers append is ignored).
/// - `f i j k ...`: a polygon of k ≥ 3 distinct vertices; each corner is `v`, `v/vt`,
///   `v//vn` or `v/vt/vn`, and only `v` is used. Indices are one-based; a negative index
///   counts back from the last vertex defined so far (-1 is the latest). Polygons with k > 3
///   are fan-triangulated, (i1, ij, ij+1) for j = 2..k−1, so the mesh's face count can be
///   larger than the file's.
/// - `vt`, `vn`, `vp`, `o`, `g`, `s`, `l`, `p`, `mtllib`, `usemtl`: accepted and ignored (lines
///   and points are not surface elements).
/// Any other statement is an error naming its line (it is likely not an OBJ file), as is a
/// line continued with a trailing backslash.
///
/// @param path  the .obj file
/// @return N×3 coordinates and the triangles (zero-based), in file order
/// @throws core::InputError naming the file, the line ("line 12") and the problem
TriMesh read_obj(const std::filesystem::path& path);

/// Parses OBJ text already in memory (what read_obj() does after reading the file; for tests
/// and fuzzing).
///
/// @param text    the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_obj()
/// @throws core::InputError as read_obj()
TriMesh parse_obj(std::string_view text, const std::string& source);

}  // namespace spectralbrain::mesh
