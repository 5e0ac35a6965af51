// Shape distance between two subjects' spectra (BrainPrint's asymmetry measure).
//
// The distance is the Euclidean norm of the difference of the two ShapeDNA vectors,
// ‖a − b‖₂, over the first K eigenvalues in the chosen normalisation and reweighting; per
// mode it reports a_i, b_i and a_i − b_i. BrainPrint uses it between left and right
// structures (lh vs rh pial, Left- vs Right-Hippocampus) as a lateral asymmetry.
//
// Which vectors: if neither normalisation nor reweighting is asked for and both files store
// /descriptors/shapedna, the stored vectors are compared, and their conventions must agree.
// Otherwise both are recomputed from /eigen/values with the asked convention (defaults:
// surface, none), using each file's area attribute and, for volume normalisation, the
// enclosed volume of its /mesh.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "spectralbrain/descriptors/shapedna.hpp"

namespace spectralbrain::descriptors {

/// What to compare.
struct CompareOptions {
  std::optional<ShapeDnaNormalization> normalization;  ///< recompute with this normalisation
  std::optional<ShapeDnaReweighting> reweighting;      ///< recompute with this reweighting
  std::optional<int> k;  ///< use the first K eigenpairs of both; default: both files' k, equal
};

/// The comparison of two subjects.
struct ShapeDnaComparison {
  ShapeDnaConvention convention;   ///< the convention of a and b
  bool stored = false;             ///< true: the files' /descriptors/shapedna were compared
  std::int64_t k = 0;              ///< eigenpairs used
  std::vector<std::int64_t> mode;  ///< eigenpair index of each entry (0-based)
  std::vector<double> a, b;        ///< the two vectors
  std::vector<double> difference;  ///< a − b
  double distance = 0;             ///< ‖a − b‖₂
};

/// Compares the spectra of two complete subject files (serial; any rank may call it).
/// @throws core::InputError naming the file and the problem if a file is missing or
///         incomplete, the files' k differ and no K is given, K exceeds either file's k or
///         is < 1 (< 2 for index reweighting), the stored conventions differ, the mass
///         matrices differ (consistent vs lumped eigenvalues are not comparable), or a
///         normalisation needs an area/volume the file cannot give
ShapeDnaComparison compare_shapedna(const std::filesystem::path& a, const std::filesystem::path& b,
                                    const CompareOptions& options = {});

}  // namespace spectralbrain::descriptors
