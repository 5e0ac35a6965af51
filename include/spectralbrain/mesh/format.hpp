// Mesh file formats and how a file's format is recognised (magic bytes first, then name).
#pragma once

#include <filesystem>
#include <string_view>

namespace spectralbrain::mesh {

/// The mesh file formats SpectralBrain reads.
enum class MeshFormat {
  freesurfer,  ///< FreeSurfer binary triangle surface (lh.white, lh.pial, *.surf)
  gifti,       ///< GIFTI surface (.surf.gii, .gii), any encoding gifticlib reads
  off,         ///< Object File Format, ASCII (.off)
};

/// Human-readable name of a format, for messages ("FreeSurfer binary surface", ...).
/// @param format  any MeshFormat value
/// @return a static string; never throws
std::string_view format_name(MeshFormat format) noexcept;

/// Recognises the format of a mesh file.
///
/// Looks at the file's first bytes before its name: 0xFF 0xFF 0xFE is a FreeSurfer triangle
/// surface; "<?xml" or "<GIFTI" (after an optional byte-order mark and whitespace) with a
/// <GIFTI> element near the start is GIFTI; "OFF" (after optional '#' comment lines) is OFF.
/// Only when the content is not recognised does the name decide: ".gii" → GIFTI, ".off" →
/// OFF, FreeSurfer names ("lh.*", "rh.*", "*.surf", "*.white", "*.pial", ...) → FreeSurfer.
/// A file that the name assigns but the content contradicts is rejected later by that
/// format's reader, with a message about the content.
///
/// @param path  the mesh file
/// @return its format
/// @throws core::InputError naming the file if it does not exist, is not a regular file,
///   cannot be read, is empty, is gzip-compressed (e.g. a .gii.gz), is a FreeSurfer
///   quadrangle surface, is XML but not GIFTI, or is not recognised (the message then lists
///   the supported formats)
MeshFormat detect_format(const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
