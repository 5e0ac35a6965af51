// Mesh file formats and how a file's format is recognised (magic bytes first, then name).
#pragma once

#include <filesystem>
#include <string_view>

namespace spectralbrain::mesh {

/// The mesh file formats SpectralBrain reads.
enum class MeshFormat {
  freesurfer,        ///< FreeSurfer binary triangle surface (lh.white, lh.pial, *.surf)
  gifti,             ///< GIFTI surface (.surf.gii, .gii), any encoding gifticlib reads
  off,               ///< Object File Format, ASCII (.off)
  obj,               ///< Wavefront OBJ (.obj)
  ply,               ///< Stanford PLY, ASCII or binary (.ply)
  vtk,               ///< legacy VTK polydata, ASCII or binary (.vtk)
  mz3,               ///< Surf Ice / NiiVue MZ3, raw or gzip-compressed (.mz3)
  freesurfer_ascii,  ///< FreeSurfer ASCII surface (.asc)
};

/// Human-readable name of a format, for messages ("FreeSurfer binary surface", ...).
/// @param format  any MeshFormat value
/// @return a static string; never throws
std::string_view format_name(MeshFormat format) noexcept;

/// Recognises the format of a mesh file.
///
/// Looks at the file's first bytes before its name: 0xFF 0xFF 0xFE is a FreeSurfer triangle
/// surface; "MZ" (raw, or as the first bytes of a gzip stream) is MZ3; "ply" on the first
/// line is PLY; "# vtk DataFile" is legacy VTK; "<?xml" or "<GIFTI" (after an optional
/// byte-order mark and whitespace) with a <GIFTI> element near the start is GIFTI; "OFF"
/// (after optional '#' comment lines) is OFF; "#!ascii" is a FreeSurfer ASCII surface; a
/// first statement "v", "vn", "vt", "f", "o", "g", "mtllib" or "usemtl" (after optional
/// comments) is OBJ. Only when the content is not recognised does the name decide: ".gii" →
/// GIFTI, ".off" → OFF, ".obj" → OBJ, ".ply" → PLY, ".vtk" → VTK, ".mz3" → MZ3, ".asc" →
/// FreeSurfer ASCII, FreeSurfer names ("lh.*", "rh.*", "*.surf", "*.white", "*.pial", ...)
/// → FreeSurfer. A file that the name assigns but the content contradicts is rejected
/// later by that format's reader, with a message about the content.
///
/// @param path  the mesh file
/// @return its format
/// @throws core::InputError naming the file if it does not exist, is not a regular file,
///   cannot be read, is empty, is gzip-compressed but not MZ3 (e.g. a .gii.gz), is a
///   FreeSurfer quadrangle surface, is XML but not GIFTI (e.g. VTK's .vtp), or is not
///   recognised (the message then lists the supported formats)
MeshFormat detect_format(const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
