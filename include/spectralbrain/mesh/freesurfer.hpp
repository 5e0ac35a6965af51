// FreeSurfer binary triangle surfaces (surf/lh.white, lh.pial, ...), as written by FreeSurfer's
// MRISwrite and by nibabel.freesurfer.write_geometry.
//
// Layout, all numbers big-endian: magic 0xFF 0xFF 0xFE; a '\n'-terminated creator line and,
// usually, an empty line; int32 vertex count N and face count F; N×3 float32 coordinates;
// F×3 int32 zero-based vertex indices. Anything after the faces (FreeSurfer's volume-geometry
// footer and tags) is ignored.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a FreeSurfer binary triangle surface.
///
/// Checks the structure only: magic bytes, header lines, non-negative counts, and that the
/// file holds all N×3 coordinates and F×3 indices the counts declare (checked against the
/// file size before anything is allocated, so a corrupt count fails at once). Index ranges,
/// finite coordinates and degenerate faces are checked by validate_mesh(), which read_mesh()
/// calls; call it yourself if you use this function directly.
///
/// @param path  the surface file
/// @return N×3 coordinates (float32 widened to double, FreeSurfer's surface RAS in mm) and
///   F×3 indices, in file order
/// @throws core::InputError naming the file, the record ("header", ...) and the problem
TriMesh read_freesurfer(const std::filesystem::path& path);

/// Parses the bytes of a FreeSurfer binary triangle surface already in memory (what
/// read_freesurfer() does after reading the file; for tests and fuzzing).
///
/// @param bytes   the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_freesurfer()
/// @throws core::InputError as read_freesurfer()
TriMesh parse_freesurfer(std::string_view bytes, const std::string& source);

}  // namespace spectralbrain::mesh
