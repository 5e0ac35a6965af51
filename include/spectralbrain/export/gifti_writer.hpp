// GIFTI files for surface viewers (FreeView, Connectome Workbench): per-vertex data and the
// surface itself, written with gifticlib.
//
// Per-vertex data ("metric" files, .func.gii / .shape.gii) hold one 1-D float32 DataArray
// of N values per column, each named by its "Name" metadata, all with the same intent.
// That is the layout both viewers read: FreeView (FreeSurfer's GIFTI reader) loads the
// DataArrays of the first intent it finds among TIME_SERIES, SHAPE, NONE as the frames of an
// overlay and rejects arrays with more than one column; Workbench shows each DataArray as a
// map of a metric file, titled by its Name. A single N×C array would be read by neither.
// Data are gzip-compressed base64 (GZipBase64Binary), little-endian.
//
// The namespace is `exports`: `export` is a C++ keyword.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::exports {

/// The NIFTI intent of per-vertex data arrays.
enum class GiftiIntent {
  none,         ///< NIFTI_INTENT_NONE: plain values (.func.gii), e.g. eigenfunctions
  shape,        ///< NIFTI_INTENT_SHAPE: shape measures like curvature (.shape.gii)
  time_series,  ///< NIFTI_INTENT_TIME_SERIES: frames of a time series (.func.gii)
};

/// (name, value) metadata pairs.
using GiftiMetadata = std::vector<std::pair<std::string, std::string>>;

/// One column of per-vertex data, filled by the caller.
struct GiftiColumn {
  std::string name;           ///< the DataArray's "Name" metadata
  std::vector<float> values;  ///< N values, input vertex order
};

/// Writes per-vertex columns as a GIFTI file (see the file comment for the layout), under a
/// temporary name first and renamed when complete.
/// @param file      final name (…func.gii / …shape.gii by convention); its folder must exist
/// @param columns   C ≥ 1 columns of equal length N ≥ 1
/// @param intent    intent of every DataArray
/// @param metadata  file-level metadata (e.g. AnatomicalStructurePrimary = CortexLeft)
/// @throws core::InputError naming the file if columns are empty or unequal, or gifticlib
///         cannot write it (the message carries gifticlib's report)
void write_gifti_columns(const std::filesystem::path& file, const std::vector<GiftiColumn>& columns,
                         GiftiIntent intent, const GiftiMetadata& metadata = {});

/// Writes a surface as GIFTI (.surf.gii): a NIFTI_INTENT_POINTSET float32 N×3 array and a
/// NIFTI_INTENT_TRIANGLE int32 F×3 array, input order; atomically like write_gifti_columns.
/// @throws core::InputError naming the file if gifticlib cannot write it
void write_gifti_surface(const std::filesystem::path& file, const mesh::TriMesh& mesh,
                         const GiftiMetadata& metadata = {});

/// "NIFTI_INTENT_NONE" | "NIFTI_INTENT_SHAPE" | "NIFTI_INTENT_TIME_SERIES".
const char* intent_name(GiftiIntent intent) noexcept;

}  // namespace spectralbrain::exports
