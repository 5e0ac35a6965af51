// Viewer files for one subject file: its surface, chosen eigenfunctions and every per-vertex
// descriptor it holds, as GIFTI (FreeView, Workbench) and/or VTK (ParaView), beside it.
//
// For a subject file DIR/NAME.h5 the files are (each written atomically):
//   gifti: DIR/NAME.surf.gii                    the surface (POINTSET + TRIANGLE)
//          DIR/NAME.eigenfunctions.func.gii     NIFTI_INTENT_NONE, one DataArray per mode,
//                                               named "phi_j lambda=…"
//          DIR/NAME.<d>.shape.gii               NIFTI_INTENT_SHAPE, one DataArray per column
//                                               of /descriptors/<d> (d = hks, si_hks, wks, gps),
//                                               named "hks t=…", "wks e=…", "si_hks f=…", "gps j"
//   vtk:   DIR/NAME.vtk                         surface + point data: phi_<j> (1 component
//                                               each) and one array per descriptor with
//                                               its T/E/F/(k−z) columns as components
// Values are float32 in both formats. Files of a name prefixed "lh." or "rh." get
// AnatomicalStructurePrimary = CortexLeft / CortexRight, which Workbench uses to pair them.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace spectralbrain::exports {

/// A viewer file format.
enum class ExportFormat { gifti, vtk };

/// What to export. Default: nothing.
struct ExportSettings {
  std::vector<ExportFormat> formats;  ///< canonical order, no repeats; empty: no export
  /// Eigenfunction indices (0-based columns of /eigen/vectors); empty: 1 .. min(10, k−1),
  /// the first nonconstant modes of a connected surface.
  std::vector<std::int64_t> modes;

  /// True if no format is requested.
  bool empty() const noexcept { return formats.empty(); }
};

/// Parses "gifti,vtk" ("none" or "" for none). @throws core::InputError naming `option`
std::vector<ExportFormat> parse_export_formats(std::string_view list, std::string_view option);

/// Parses mode indices: "1-10,20" (ranges inclusive, 0-based indices, no negatives).
/// @throws core::InputError naming `option` for a malformed entry or a reversed range
std::vector<std::int64_t> parse_mode_list(std::string_view list, std::string_view option);

/// Checks the modes against the number of eigenpairs (every index < k).
/// @throws core::InputError naming --export-modes
void validate(const ExportSettings& settings, std::int64_t k);

/// DIR/NAME for DIR/NAME.h5 (the subject file without its extension).
std::filesystem::path export_stem(const std::filesystem::path& subject_file);

/// Writes the viewer files of `subject_file` (file comment). Collective on `comm`: rank 0
/// reads the file and writes, in row chunks so memory stays near one descriptor in float32;
/// the others wait and every rank throws the same error if rank 0 fails.
/// @return the files written (on every rank), in writing order
/// @throws core::Error carrying the problem (unreadable subject file, a mode ≥ k, a file
///         that cannot be written); files finished before the failure are kept
std::vector<std::filesystem::path> export_subject(MPI_Comm comm,
                                                  const std::filesystem::path& subject_file,
                                                  const ExportSettings& settings);

}  // namespace spectralbrain::exports
