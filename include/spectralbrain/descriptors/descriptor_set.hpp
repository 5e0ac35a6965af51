// The descriptors one run computes, their parameters, and writing them into a subject file.
//
// Layout under /descriptors (every parameter actually used is stored as an attribute):
//
//   /descriptors          attrs computed ("shapedna,hks,..."), zero_tolerance, n_zero_modes
//   shapedna      (k,) | (k−1,) float64   attrs normalization, reweighting, area, volume (if used),
//   convention hks           (N,T)    attrs convention, scaling, n_times, t_min, t_max, time_rule,
//   units hks_times     (T,)     float64, mesh units² heat_trace    (T,)     float64, Z(t) = Σ_i
//   e^(−λ_i t) at hks_times si_hks        (N,F)    attrs convention, alpha, tau_min, tau_max,
//   tau_step, n_tau, n_frequencies wks           (N,E)    attrs convention, normalization, sigma,
//   variance_factor, e_min, e_max wks_energies  (E,)     float64, log-energies gps (N,k−z)  attrs
//   convention, first_mode (= z, the number of zero modes)
//
// Per-vertex datasets (N rows, input vertex order) are stored in the precision of
// /eigen/vectors (float64, or float32 with --precision single).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/descriptors/hks.hpp"
#include "spectralbrain/descriptors/kernel_signature.hpp"
#include "spectralbrain/descriptors/shapedna.hpp"
#include "spectralbrain/descriptors/si_hks.hpp"
#include "spectralbrain/descriptors/wks.hpp"
#include "spectralbrain/io/subject_schema.hpp"
#include "spectralbrain/io/subject_writer.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::descriptors {

/// A descriptor that can be requested by name.
enum class Descriptor { shapedna, hks, si_hks, wks, gps };

/// Which descriptors to compute and with which parameters. Default: none.
struct DescriptorSettings {
  std::vector<Descriptor> which;  ///< in the order of `Descriptor`, no repeats; empty: none
  ShapeDnaConvention shapedna;    ///< convention of /descriptors/shapedna
  HksOptions hks;                 ///< times and scaling of /descriptors/hks
  SiHksOptions si_hks;            ///< grid of /descriptors/si_hks
  WksOptions wks;                 ///< energies and width of /descriptors/wks
  std::int64_t block_rows = default_block_rows;  ///< rows per BLAS block (memory bound)

  /// True if nothing is requested.
  bool empty() const noexcept { return which.empty(); }
  /// True if `d` is requested.
  bool has(Descriptor d) const noexcept;
};

/// "shapedna" | "hks" | "si-hks" | "wks" | "gps".
std::string_view name(Descriptor d) noexcept;

/// Parses a comma-separated list ("shapedna,hks,wks,gps"; "all" for every descriptor;
/// "none" or "" for none) into canonical order without repeats.
/// @throws core::InputError naming `option` and the unknown word
std::vector<Descriptor> parse_descriptor_list(std::string_view list, std::string_view option);

/// Comma-separated names of `which` ("shapedna,hks").
std::string descriptor_list(const std::vector<Descriptor>& which);

/// Checks the parameters that do not depend on the spectrum (time and energy counts, widths,
/// explicit ranges, the SI-HKS grid, block_rows), so a bad option fails before any solve.
/// @throws core::InputError naming the option
void validate(const DescriptorSettings& settings);

/// True if the settings need the enclosed volume (ShapeDNA with volume normalisation).
bool needs_volume(const DescriptorSettings& settings) noexcept;

/// The volume enclosed by a closed, outward-oriented surface (mesh::signed_volume), checked.
/// @param source  the mesh's file, for the message
/// @throws core::InputError naming `source` if an edge does not have exactly two faces (the
///         surface has a boundary or is non-manifold) or the signed volume is not > 0 (faces
///         oriented inward)
double enclosed_volume(const mesh::TriMesh& mesh, const std::string& source);

/// Area and enclosed volume of the surface, for ShapeDNA's normalisations.
struct SurfaceMeasures {
  double area = 0;    ///< mesh units²
  double volume = 0;  ///< mesh units³ (signed_volume; only used by volume normalisation)
};

/// Computes the requested descriptors from this rank's eigenpair rows and writes them under
/// /descriptors (layout in the file comment). Collective over the writer's communicator.
/// Per-vertex descriptors are computed, written and freed one at a time, so the extra
/// memory is one N_local × columns result plus one BLAS block.
/// @param writer     an open subject file (mesh and eigenpairs may be written before or after)
/// @param eigen      this rank's row block; values identical on every rank
/// @param measures   surface area and volume
/// @param precision  storage of the per-vertex datasets
/// @throws core::InputError if the spectrum cannot support a requested default (no nonzero
///         eigenvalue, ...) or ShapeDNA's normalisation lacks a positive area/volume;
///         core::Error / LibraryError from the writer
void write_descriptors(io::SubjectWriter& writer, const spectral::Eigenpairs& eigen,
                       const SurfaceMeasures& measures, const DescriptorSettings& settings,
                       io::Precision precision);

}  // namespace spectralbrain::descriptors
