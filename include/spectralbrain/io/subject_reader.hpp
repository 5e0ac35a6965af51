// SubjectReader: reads a complete subject file back (eigenpairs, mesh, attributes, extras).
//
// Serial and read-only: any number of ranks may each open the same file and read their own
// row range, which is how a later stage recomputes descriptors in parallel. A file without
// the root attribute `complete` = 1 (unfinished, crashed, still being written) is refused.
//
//   io::SubjectReader in("out/sub-01.h5");
//   auto eig = in.eigenpairs({.begin = 0, .count = 1000});   // rows 0..999, all k columns
//   double area = in.attributes().area;
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/io/subject_schema.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::io {

/// Rows [begin, begin + count) of a row-distributed dataset; count < 0 means "to the end".
struct RowRange {
  std::int64_t begin = 0;
  std::int64_t count = -1;
};

/// A dataset read into memory as float64 (whatever its stored float type), row-major.
struct Array {
  std::vector<std::int64_t> shape;  ///< dimensions of what was read (rows = the range read)
  std::vector<double> data;         ///< product(shape) values, row-major
};

/// An open, complete subject file. Move-only; the file is closed on destruction.
class SubjectReader {
 public:
  /// Opens `file` read-only and reads its root attributes.
  /// @throws core::InputError naming the file if it does not exist, is not HDF5, lacks
  ///         `complete` = 1, has another format_version, or misses a root attribute.
  explicit SubjectReader(const std::filesystem::path& file);
  SubjectReader(SubjectReader&&) noexcept;
  SubjectReader& operator=(SubjectReader&&) noexcept;
  ~SubjectReader();

  /// The file this reader opened.
  const std::filesystem::path& file() const noexcept;
  /// Every root attribute (see SubjectAttributes).
  const SubjectAttributes& attributes() const noexcept;

  /// /eigen/values (k,) and /eigen/residuals (k,), with rows `rows` of /eigen/vectors
  /// (N,k) converted to float64, as a spectral::Eigenpairs whose row_begin/n_rows_local
  /// describe the range read (n_rows_global = N).
  /// @throws core::InputError naming the file and dataset if one is missing or has the
  ///         wrong shape, or if `rows` is outside [0, N].
  spectral::Eigenpairs eigenpairs(RowRange rows = {}) const;

  /// /mesh/vertices and /mesh/faces as a TriMesh (input order).
  /// @throws core::InputError naming the file and dataset if missing or misshapen.
  mesh::TriMesh mesh() const;

  /// Any float dataset (e.g. "/descriptors/hks"), rows `rows` of its first dimension
  /// (all of a 0-D dataset), converted to float64.
  /// @throws core::InputError naming the file and dataset if it is missing, not a float
  ///         dataset, or `rows` is out of range.
  Array read(std::string_view dataset, RowRange rows = {}) const;

  /// True if a group or dataset exists at absolute path `object` (e.g. "/descriptors").
  bool has(std::string_view object) const;

  /// Attribute `name` of `object` (a group or dataset; "/" for the root).
  /// @throws core::InputError naming the file, object and attribute if either is missing
  ///         or its type is not one of AttributeValue's.
  AttributeValue attribute(std::string_view object, std::string_view name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Everything needed to recompute descriptors: attributes and eigenpairs.
struct SubjectData {
  SubjectAttributes attributes;
  spectral::Eigenpairs eigen;  ///< values, residuals, and the rows of vectors read
};

/// Reads `file`'s attributes and eigenpairs (rows `rows` of the vectors) in one call.
/// @throws as SubjectReader's constructor and SubjectReader::eigenpairs.
SubjectData read_subject(const std::filesystem::path& file, RowRange rows = {});

/// Cheap check for batch resume: true iff `file` exists, opens as HDF5 and carries the root
/// attribute `complete` = 1 (datasets are not read). Never throws; false on any problem.
bool subject_file_complete(const std::filesystem::path& file) noexcept;

}  // namespace spectralbrain::io
