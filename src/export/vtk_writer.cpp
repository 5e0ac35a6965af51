// VTK legacy polydata, binary (big-endian), streamed.
#include "spectralbrain/export/vtk_writer.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <vector>

#include "spectralbrain/core/atomic_file.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::exports {

namespace fs = std::filesystem;
using core::cat;

namespace {

template <class T>
T big_endian(T value) {
  if constexpr (std::endian::native == std::endian::big) return value;
  if constexpr (sizeof(T) == 4) {
    return std::bit_cast<T>(__builtin_bswap32(std::bit_cast<std::uint32_t>(value)));
  } else {
    return std::bit_cast<T>(__builtin_bswap64(std::bit_cast<std::uint64_t>(value)));
  }
}

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

VtkPolyDataWriter::VtkPolyDataWriter(fs::path file, const mesh::TriMesh& mesh,
                                     std::string_view title, int n_arrays)
    : file_(std::move(file)),
      n_vertices_(static_cast<std::int64_t>(mesh.n_vertices())),
      n_arrays_(n_arrays) {
  if (n_arrays < 0) throw core::Error("VtkPolyDataWriter: negative number of arrays");
  target_ = std::make_unique<core::AtomicFile>(file_);
  out_.open(target_->temp(), std::ios::binary | std::ios::trunc);
  if (!out_) throw core::InputError(file_.string(), "", cat("cannot open ", target_->temp()));

  std::string line(title.substr(0, std::min<std::size_t>(title.size(), 255)));
  std::replace(line.begin(), line.end(), '\n', ' ');
  out_ << "# vtk DataFile Version 3.0\n" << line << "\nBINARY\nDATASET POLYDATA\n";
  out_ << "POINTS " << n_vertices_ << " double\n";
  std::vector<double> points(3 * mesh.n_vertices());
  for (std::size_t i = 0; i < mesh.n_vertices(); ++i)
    for (int j = 0; j < 3; ++j) points[3 * i + j] = big_endian(mesh.vertices[i][j]);
  write_bytes(points.data(), points.size() * sizeof(double));
  out_ << "\nPOLYGONS " << mesh.n_faces() << ' ' << 4 * mesh.n_faces() << '\n';
  std::vector<std::int32_t> cells(4 * mesh.n_faces());
  for (std::size_t i = 0; i < mesh.n_faces(); ++i) {
    cells[4 * i] = big_endian(std::int32_t{3});
    for (int j = 0; j < 3; ++j) cells[4 * i + 1 + j] = big_endian(mesh.faces[i][j]);
  }
  write_bytes(cells.data(), cells.size() * sizeof(std::int32_t));
  out_ << '\n';
  if (n_arrays_ > 0)
    out_ << "POINT_DATA " << n_vertices_ << "\nFIELD FieldData " << n_arrays_ << '\n';
  if (!out_) throw core::InputError(file_.string(), "", cat("cannot write ", target_->temp()));
}

// The AtomicFile member removes the temporary file unless committed.
VtkPolyDataWriter::~VtkPolyDataWriter() = default;

void VtkPolyDataWriter::write_bytes(const void* data, std::size_t n) {
  out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
  if (!out_) throw core::InputError(file_.string(), "", cat("cannot write ", target_->temp()));
}

void VtkPolyDataWriter::begin_array(std::string_view name, std::int64_t n_components) {
  if (array_open_) throw core::Error(cat(file_.string(), ": begin_array while an array is open"));
  if (arrays_done_ >= n_arrays_)
    throw core::Error(cat(file_.string(), ": more than the ", n_arrays_, " announced arrays"));
  if (!valid_name(name))
    throw core::Error(
        cat(file_.string(), ": array name '", name, "' must be letters, digits, '_', '-', '.'"));
  if (n_components < 1) throw core::Error(cat(file_.string(), ": array with no components"));
  out_ << name << ' ' << n_components << ' ' << n_vertices_ << " float\n";
  array_open_ = true;
  components_ = n_components;
  tuples_written_ = 0;
}

void VtkPolyDataWriter::append_rows(std::span<const double> rows) {
  if (!array_open_) throw core::Error(cat(file_.string(), ": append_rows without begin_array"));
  const auto n = static_cast<std::int64_t>(rows.size());
  if (n % components_ != 0 || tuples_written_ + n / components_ > n_vertices_)
    throw core::Error(cat(file_.string(), ": append_rows: ", n, " values do not make whole tuples",
                          " of ", components_, " within ", n_vertices_, " points"));
  std::vector<float> buffer(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) buffer[i] = big_endian(static_cast<float>(rows[i]));
  write_bytes(buffer.data(), buffer.size() * sizeof(float));
  tuples_written_ += n / components_;
}

void VtkPolyDataWriter::end_array() {
  if (!array_open_) throw core::Error(cat(file_.string(), ": end_array without begin_array"));
  if (tuples_written_ != n_vertices_)
    throw core::Error(
        cat(file_.string(), ": array has ", tuples_written_, " of ", n_vertices_, " tuples"));
  out_ << '\n';
  array_open_ = false;
  ++arrays_done_;
}

void VtkPolyDataWriter::commit() {
  if (array_open_ || arrays_done_ != n_arrays_)
    throw core::Error(
        cat(file_.string(), ": commit with ", arrays_done_, " of ", n_arrays_, " arrays written"));
  out_.close();
  if (!out_)
    throw core::InputError(file_.string(), "", cat("cannot finish writing ", target_->temp()));
  target_->commit();
}

}  // namespace spectralbrain::exports
