// Reading a mesh file of any supported format into a checked TriMesh.
#pragma once

#include <filesystem>

#include "spectralbrain/mesh/format.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a mesh file: detect_format(), the format's reader (read_freesurfer(),
/// read_gifti(), read_off(), read_obj(), read_ply(), read_vtk(), read_mz3(),
/// read_freesurfer_ascii()), then validate_mesh().
///
/// @param path  the mesh file, in any format of MeshFormat
/// @return a valid triangle mesh: N ≥ 1 finite N×3 coordinates, F ≥ 1 F×3 indices in [0, N)
///   with three distinct vertices per face, both in file order (polygons of OFF, OBJ, PLY
///   and VTK are split into triangle fans, see each reader)
/// @throws core::InputError naming the file, the record and the problem for anything wrong
///   with the file: missing, unreadable, unknown format, truncated, inconsistent or invalid
TriMesh read_mesh(const std::filesystem::path& path);

/// Reads a mesh file as the given format, skipping detection, then validate_mesh().
///
/// @param path    the mesh file
/// @param format  the format to read it as
/// @return as read_mesh()
/// @throws core::InputError as read_mesh()
TriMesh read_mesh_as(const std::filesystem::path& path, MeshFormat format);

}  // namespace spectralbrain::mesh
