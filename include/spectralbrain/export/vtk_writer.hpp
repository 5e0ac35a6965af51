// VTK legacy polydata for ParaView: the surface with per-vertex arrays as point data.
//
//   # vtk DataFile Version 3.0        BINARY, big-endian as the format requires
//   DATASET POLYDATA
//   POINTS N double                   input vertex order
//   POLYGONS F 4F                     "3 a b c" per face, int32
//   POINT_DATA N
//   FIELD FieldData A                 A arrays, each "name components N float" + data
//
// Arrays are streamed: begin_array, then append_rows in vertex order, then end_array, so a
// large N×C array never needs to be in memory at once. The file is written under a
// temporary name and renamed by commit(); a writer destroyed without commit() removes it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "spectralbrain/mesh/tri_mesh.hpp"

namespace spectralbrain::core {
class AtomicFile;
}

namespace spectralbrain::exports {

/// Writes one VTK legacy polydata file (see the file comment).
class VtkPolyDataWriter {
 public:
  /// Creates the temporary file and writes the header, POINTS and POLYGONS.
  /// @param file      final name (.vtk); its folder must exist
  /// @param mesh      the surface
  /// @param title     the header's title line (one line, ≤ 255 characters; truncated)
  /// @param n_arrays  number of point-data arrays that will be added (≥ 0)
  /// @throws core::InputError naming the file if it cannot be created or written
  VtkPolyDataWriter(std::filesystem::path file, const mesh::TriMesh& mesh, std::string_view title,
                    int n_arrays);
  VtkPolyDataWriter(const VtkPolyDataWriter&) = delete;
  VtkPolyDataWriter& operator=(const VtkPolyDataWriter&) = delete;
  /// Removes the temporary file unless committed (never throws).
  ~VtkPolyDataWriter();

  /// Starts a point-data array of N tuples of `n_components` float32 values.
  /// @param name  letters, digits, '_', '-', '.' (VTK legacy names cannot hold spaces)
  /// @throws core::Error if an array is still open, more arrays than announced are begun,
  ///         the name is not allowed, or n_components < 1
  void begin_array(std::string_view name, std::int64_t n_components);
  /// Appends whole tuples of the open array: rows.size() must be a multiple of its
  /// components; values are converted to float32.
  /// @throws core::Error if no array is open or more than N tuples would be written
  void append_rows(std::span<const double> rows);
  /// Ends the open array. @throws core::Error unless exactly N tuples were appended
  void end_array();
  /// Checks that every announced array was written, flushes, and renames the file.
  /// @throws core::Error for a missing array; core::InputError naming the file for I/O errors
  void commit();

 private:
  void write_bytes(const void* data, std::size_t n);
  std::filesystem::path file_;
  std::unique_ptr<core::AtomicFile> target_;
  std::ofstream out_;
  std::int64_t n_vertices_ = 0;
  int n_arrays_ = 0;
  int arrays_done_ = 0;
  bool array_open_ = false;
  std::int64_t components_ = 0;
  std::int64_t tuples_written_ = 0;
};

}  // namespace spectralbrain::exports
