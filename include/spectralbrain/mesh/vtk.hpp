// Legacy VTK polydata (.vtk), ASCII or binary: what LaPy, BrainPrint, ParaView and
// nibabel-free pipelines write for surfaces.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a legacy VTK file holding POLYDATA.
///
/// Layout: "# vtk DataFile Version x.y", a title line, "ASCII" or "BINARY", "DATASET
/// POLYDATA", then sections. "POINTS n float|double" is followed by n×3 coordinates;
/// "POLYGONS n size" by n cells "k i1 ... ik" (size = n + Σk integers) in the classic
/// layout, or, as VTK ≥ 9 writes ("# vtk DataFile Version 5.1"), by "OFFSETS type" with n
/// offsets and "CONNECTIVITY type" with size indices. Binary data are big-endian (int32 in
/// the classic cell layout; int32 or int64 offsets and connectivity in the new one).
/// VERTICES and LINES sections and a METADATA block are read past and ignored; reading
/// stops at POINT_DATA, CELL_DATA or FIELD (attributes are not needed). Polygons with k > 3
/// are fan-triangulated. TRIANGLE_STRIPS and datasets other than POLYDATA
/// (UNSTRUCTURED_GRID, ...) are rejected, as is the XML format (.vtp).
///
/// @param path  the .vtk file
/// @return N×3 coordinates (widened to double) and the triangles, in file order
/// @throws core::InputError naming the file, the record ("line 7" in ASCII, "POLYGONS cell 3"
///   in binary data) and the problem
TriMesh read_vtk(const std::filesystem::path& path);

/// Parses legacy VTK bytes already in memory (what read_vtk() does after reading the file;
/// for tests and fuzzing).
///
/// @param bytes   the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_vtk()
/// @throws core::InputError as read_vtk()
TriMesh parse_vtk(std::string_view bytes, const std::string& source);

}  // namespace spectralbrain::mesh
