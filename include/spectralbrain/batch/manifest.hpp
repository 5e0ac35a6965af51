// The cohort manifest: which meshes make up the batch, one row per subject (and structure).
//
// A text table with a header row, tab-separated (.tsv, or any file whose header has a tab)
// or comma-separated (CSV quoting with "..." allowed). Columns, in any order:
//   subject    the subject id (required; letters, digits and . _ - + only: it names files)
//   mesh       the surface file (required); relative paths are against the manifest's folder
//   structure  optional, e.g. lh_white, Left-Hippocampus (same characters as subject)
// Other columns are ignored. Blank lines and lines starting with '#' are skipped.
//
//   subject  structure         mesh
//   sub-01   lh_white          sub-01/surf/lh.white
//   sub-01   Left-Hippocampus  sub-01/aseg/Left-Hippocampus.surf
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace spectralbrain::batch {

/// One row of the manifest.
struct ManifestEntry {
  std::string subject;         ///< subject id
  std::string structure;       ///< structure name; empty if the manifest has no such column
  std::filesystem::path mesh;  ///< the mesh file, resolved against the manifest's folder
  std::int64_t line = 0;       ///< 1-based line number in the manifest (for messages)

  /// "sub-01" or "sub-01/lh_white": the id in logs and messages.
  std::string key() const;
  /// Output file name: "sub-01.h5" or "sub-01_lh_white.h5".
  std::string output_name() const;
};

/// The parsed manifest.
struct Manifest {
  std::filesystem::path file;          ///< the manifest as given
  bool has_structure = false;          ///< the header has a `structure` column
  std::vector<ManifestEntry> entries;  ///< in file order
};

/// Reads and checks a manifest. Nothing else is touched (mesh files are not opened: a
/// missing mesh fails that subject only, later).
/// @throws core::InputError naming the manifest, the line and the problem: the file is
///         missing or unreadable; the header lacks `subject` or `mesh`, or repeats a column;
///         a row has a different number of fields, an empty subject/mesh, or a character
///         not allowed in an id; two rows have the same (subject, structure), or their output
///         files would have the same name ("line 7 repeats line 3"); there are no rows.
Manifest read_manifest(const std::filesystem::path& file);

}  // namespace spectralbrain::batch
