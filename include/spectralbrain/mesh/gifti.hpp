// GIFTI surfaces (.surf.gii), read through gifticlib: one NIFTI_INTENT_POINTSET array (N×3
// coordinates) and one NIFTI_INTENT_TRIANGLE array (F×3 vertex indices).
#pragma once

#include <filesystem>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::mesh {

/// Reads a GIFTI surface.
///
/// gifticlib decodes the XML and every internal encoding (ASCII, Base64Binary,
/// GZipBase64Binary) and byte order. This function then requires exactly one POINTSET array
/// of shape N×3 (float32 or float64) and exactly one TRIANGLE array of shape F×3 (int32),
/// and honours each array's ArrayIndexingOrder (row- or column-major). Before any data is
/// decoded, the sizes the Dim attributes declare are checked against what the file could
/// possibly hold, so a corrupt Dim fails at once instead of allocating it. The POINTSET's
/// coordinate-system transform, if any, is not applied (coordinates are returned as stored).
/// Data in external files (ExternalFileBinary) is not supported.
///
/// gifticlib's own messages are kept off stderr: anything it reports while reading is an
/// error here and becomes part of the exception's message. gifticlib is not reentrant, so
/// concurrent calls in one process are serialised.
///
/// Checks the structure only; index ranges, finite coordinates and degenerate faces are
/// checked by validate_mesh(), which read_mesh() calls.
///
/// @param path  the .gii file
/// @return N×3 coordinates (as stored, widened to double) and F×3 indices, in file order
/// @throws core::InputError naming the file, the record ("DataArray 1", "line 12", ...) and
///   the problem, including gifticlib's own message when gifticlib fails
TriMesh read_gifti(const std::filesystem::path& path);

/// Writes a mesh as a GIFTI surface through gifticlib: a NIFTI_INTENT_POINTSET array of
/// N×3 float32 coordinates (GIFTI surfaces are float32 by convention, as FreeSurfer, Connectome
/// Workbench and nibabel write them; coordinates are rounded to float32) and a
/// NIFTI_INTENT_TRIANGLE array of F×3 int32 indices, both row-major, GZipBase64Binary,
/// little-endian. The file is written under a temporary name in the same folder and renamed
/// when complete, so a failure leaves no partial file.
///
/// @param mesh  the mesh to write (N×3 coordinates, F×3 indices; not checked)
/// @param path  the file to create or replace (normally *.surf.gii)
/// @throws core::InputError naming the file if it cannot be written, including gifticlib's
///   message
void write_gifti(const TriMesh& mesh, const std::filesystem::path& path);

}  // namespace spectralbrain::mesh
