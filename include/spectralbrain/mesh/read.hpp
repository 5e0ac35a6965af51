// Reading a mesh file of any supported format into a checked TriMesh.
#pragma once

#include <filesystem>

#include "spectralbrain/mesh/format.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a mesh file: detect_format(), the format's reader (read_freesurfer(),
/// read_gifti(), read_off()), then validate_mesh().
///
/// @param path  the mesh file (FreeSurfer binary surface, GIFTI, or OFF)
/// @return a valid triangle mesh: N ≥ 1 finite N×3 coordinates, F ≥ 1 F×3 indices in [0, N)
///   with three distinct vertices per face, both in file order (OFF polygons are split into
///   triangles, see read_off())
/// @throws core::InputError naming the file, the record and the problem for anything wrong
///   with the file: missing, unreadable, unknown format, truncated, inconsistent or invalid
TriMesh read_mesh(const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
