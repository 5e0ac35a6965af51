// FreeSurfer ASCII surfaces (.asc), as written by `mris_convert lh.white lh.white.asc`:
// a "#!ascii ..." comment line, a counts line "N F", N lines "x y z flag" and F lines
// "i j k flag" with zero-based indices.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a FreeSurfer ASCII surface.
///
/// Lines starting with '#' are comments (the first is normally "#!ascii version of ...").
/// The counts line holds the vertex count N and the face count F. Each vertex line holds
/// x y z and, usually, a fourth value (FreeSurfer's "ripped" flag), which is ignored; each
/// face line holds three zero-based indices and, usually, a flag, ignored too. Content after
/// the declared faces is an error (the counts are then probably wrong). The counts are
/// checked against the text's length before anything is allocated.
///
/// @param path  the .asc file
/// @return N×3 coordinates and F×3 indices, in file order
/// @throws core::InputError naming the file, the line ("line 12") and the problem
TriMesh read_freesurfer_ascii(const std::filesystem::path& path);

/// Parses FreeSurfer ASCII text already in memory (what read_freesurfer_ascii() does after
/// reading the file; for tests and fuzzing).
///
/// @param text    the whole file content
/// @param source  the name used in error messages (normally the file path)
/// @return as read_freesurfer_ascii()
/// @throws core::InputError as read_freesurfer_ascii()
TriMesh parse_freesurfer_ascii(std::string_view text, const std::string& source);

}  // namespace spectralbrain::mesh
