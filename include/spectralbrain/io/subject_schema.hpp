// The subject file's schema: object names, attribute types and the records that hold them.
//
// One HDF5 file per subject (format_version 1):
//
//   /                 root attributes, see SubjectInfo and SubjectAttributes; `complete` last
//   /mesh/vertices    (N,3) float64   input vertex order
//   /mesh/faces       (F,3) int32     zero-based, input face order
//   /eigen/values     (k,)  float64   ascending
//   /eigen/vectors    (N,k) float64 | float32 (attribute `precision`), row i = input vertex i
//   /eigen/residuals  (k,)  float64   ‖Lφ−λMφ‖₂ / ‖Mφ‖₂
//   /descriptors/...  added by later stages through SubjectWriter::write_rows/write_replicated
//
// Root attribute types: integers are scalar int64, reals scalar float64, text scalar
// variable-length UTF-8 strings. Wall-clock time of each stage of the run is one float64
// attribute `wall_seconds_<stage>` (seconds, the slowest rank's time), in stage order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace spectralbrain::io {

/// Version of the layout above; a reader refuses other versions.
inline constexpr std::int64_t subject_format_version = 1;

/// Object paths inside a subject file.
namespace h5path {
inline constexpr const char* mesh = "/mesh";
inline constexpr const char* vertices = "/mesh/vertices";
inline constexpr const char* faces = "/mesh/faces";
inline constexpr const char* eigen = "/eigen";
inline constexpr const char* values = "/eigen/values";
inline constexpr const char* vectors = "/eigen/vectors";
inline constexpr const char* residuals = "/eigen/residuals";
inline constexpr const char* descriptors = "/descriptors";
}  // namespace h5path

/// Prefix of the per-stage timing attributes: `wall_seconds_read`, `wall_seconds_solve`, ...
inline constexpr std::string_view wall_seconds_prefix = "wall_seconds_";

/// Storage precision of /eigen/vectors (and of row-distributed descriptors).
/// Written as attribute `precision` = "double" | "single", the words of `--precision`.
enum class Precision { float64, float32 };

/// "double" for float64, "single" for float32.
std::string_view precision_name(Precision p) noexcept;
/// Inverse of precision_name. Throws core::InputError naming `what` for any other word.
Precision parse_precision(std::string_view word, std::string_view what = "--precision");

/// A value of an attribute on a subject file object: int64, float64, UTF-8 string or a
/// 1-D float64 array.
using AttributeValue = std::variant<std::int64_t, double, std::string, std::vector<double>>;

/// What the caller knows about a run, written as root attributes by SubjectWriter.
/// The writer adds the rest itself (see SubjectAttributes).
struct SubjectInfo {
  std::string subject;              ///< attribute `subject`: subject id (e.g. "sub-01_lh.white")
  std::string source_mesh;          ///< attribute `source_mesh`: path of the mesh file as given
  std::string sha256;               ///< attribute `sha256`: lowercase hex SHA-256 of the mesh file
  double sigma = -0.01;             ///< attribute `sigma`: shift of shift-and-invert
  std::string mass = "consistent";  ///< attribute `mass`: "consistent" | "lumped"
  std::string petsc_options;        ///< attribute `petsc_options`: "-name value ..." actually used
  Precision precision = Precision::float64;  ///< attribute `precision`: of /eigen/vectors
};

/// Every root attribute of a complete subject file, as read back.
struct SubjectAttributes {
  SubjectInfo info;                   ///< the caller's part
  std::int64_t format_version = 0;    ///< `format_version`
  std::string spectralbrain_version;  ///< `spectralbrain_version` that wrote the file
  std::int64_t n_vertices = 0;        ///< `n_vertices`: N
  std::int64_t n_faces = 0;           ///< `n_faces`: F
  double area = 0;                    ///< `area`: total surface area, in mesh units²
  std::int64_t k = 0;                 ///< `k`: number of eigenpairs stored
  std::int64_t n_ranks = 0;           ///< `n_ranks`: size of the communicator that wrote it
  /// `wall_seconds_<stage>` attributes as (stage, seconds), in the order they were written.
  std::vector<std::pair<std::string, double>> wall_seconds;
};

}  // namespace spectralbrain::io
