// Legacy VTK polydata: keyword lines, then ASCII numbers or big-endian binary blocks.
#include "spectralbrain/mesh/vtk.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "file_bytes.hpp"
#include "parse_util.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
using detail::Endian;
using detail::printable;

constexpr long long max_count = std::numeric_limits<std::int32_t>::max();

// A cursor over the file: keywords and ASCII numbers as tokens, binary blocks as raw bytes.
class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  std::string_view token() {
    while (pos_ < bytes_.size() && detail::is_space(bytes_[pos_])) ++pos_;
    start_ = pos_;
    while (pos_ < bytes_.size() && !detail::is_space(bytes_[pos_])) ++pos_;
    return bytes_.substr(start_, pos_ - start_);
  }
  // The rest of the current line (after the last token), without its end.
  std::string_view rest_of_line() {
    const std::size_t nl = bytes_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? bytes_.size() : nl;
    std::string_view s = bytes_.substr(pos_, end - pos_);
    pos_ = nl == std::string_view::npos ? bytes_.size() : nl + 1;
    if (s.ends_with('\r')) s.remove_suffix(1);
    return s;
  }
  // Binary data start after the end of the keyword line.
  void to_next_line() { rest_of_line(); }
  std::size_t bytes_left() const { return bytes_.size() - pos_; }
  const char* raw(std::size_t n, const std::string& what) {
    if (bytes_left() < n)
      throw core::InputError(source_, what,
                             core::cat("file is truncated: the binary block needs ", n,
                                       " bytes but only ", bytes_left(), " remain"));
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string record() const { return core::cat("line ", detail::line_at(bytes_, start_)); }
  std::size_t position() const noexcept { return pos_; }
  void seek(std::size_t pos) noexcept { pos_ = pos; }
  bool at_end() {
    while (pos_ < bytes_.size() && detail::is_space(bytes_[pos_])) ++pos_;
    return pos_ >= bytes_.size();
  }

 private:
  std::string_view bytes_;
  const std::string& source_;
  std::size_t pos_ = 0, start_ = 0;
};

struct Reader {
  Cursor& c;
  bool binary;
  const std::string& source;

  [[noreturn]] void fail(const std::string& record, const std::string& problem) const {
    throw core::InputError(source, record, problem);
  }

  long long count(std::string_view what) {
    const std::string_view t = c.token();
    const auto v = detail::to_integer(t);
    if (!v || *v < 0 || *v > max_count)
      fail(c.record(),
           core::cat("the ", what, " ", printable(t), " is not an integer in [0, 2^31-1]"));
    return *v;
  }

  // Reads n integers of VTK type `type` ("int", "vtktypeint64", ...) into `out`.
  void integers(long long n, std::string_view type, const std::string& what,
                std::vector<long long>& out) {
    std::size_t size = 0;
    bool is_signed = true;
    if (type == "int" || type == "vtktypeint32") {
      size = 4;
    } else if (type == "unsigned_int" || type == "vtktypeuint32") {
      size = 4, is_signed = false;
    } else if (type == "long" || type == "vtktypeint64" || type == "vtkIdType") {
      size = 8;
    } else if (type == "unsigned_long" || type == "vtktypeuint64") {
      size = 8, is_signed = false;
    } else {
      fail(c.record(), core::cat(what, ": unsupported index type ", printable(type),
                                 " (expected int or vtktypeint64)"));
    }
    check_fits(n, binary ? size : 2, what);
    out.clear();
    out.reserve(static_cast<std::size_t>(n));
    if (binary) {
      c.to_next_line();
      const char* p = c.raw(static_cast<std::size_t>(n) * size, what);
      for (long long i = 0; i < n; ++i, p += size) {
        if (size == 4)
          out.push_back(is_signed ? detail::load<std::int32_t>(p, Endian::big)
                                  : detail::load<std::uint32_t>(p, Endian::big));
        else {
          const auto u = detail::load<std::uint64_t>(p, Endian::big);
          out.push_back(is_signed || u <= static_cast<std::uint64_t>(max_count)
                            ? static_cast<long long>(u)
                            : std::numeric_limits<long long>::max());
        }
      }
      return;
    }
    for (long long i = 0; i < n; ++i) {
      const std::string_view t = c.token();
      if (t.empty())
        fail("end of file",
             core::cat("file is truncated: it ends after ", i, " of ", n, " values of ", what));
      const auto v = detail::to_integer(t);
      if (!v) fail(c.record(), core::cat(what, ": ", printable(t), " is not an integer"));
      out.push_back(*v);
    }
  }

  void check_fits(long long n, std::size_t min_bytes, const std::string& what) const {
    if (static_cast<std::uint64_t>(n) * min_bytes > c.bytes_left() + 1)
      fail(c.record(), core::cat(what, " declares ", n, " values, more than the ", c.bytes_left(),
                                 " bytes that follow can hold: the file is truncated or the "
                                 "count is wrong"));
  }
};

// Cells: cell i lists connectivity[ranges[i].first .. ranges[i].second).
struct Cells {
  std::vector<long long> connectivity;
  std::vector<std::pair<long long, long long>> ranges;
};

}  // namespace

TriMesh parse_vtk(std::string_view bytes, const std::string& source) {
  if (bytes.empty()) throw core::InputError(source, "", "file is empty (0 bytes)");
  Cursor c(bytes, source);
  const std::string_view magic = c.rest_of_line();
  if (!magic.starts_with("# vtk DataFile Version"))
    throw core::InputError(source, "line 1",
                           core::cat("not a legacy VTK file: it does not begin with '# vtk "
                                     "DataFile Version' but with ",
                                     printable(magic, 24)));
  c.rest_of_line();  // title
  const std::string_view encoding = c.token();
  Reader r{c, false, source};
  if (encoding == "BINARY") {
    r.binary = true;
  } else if (encoding != "ASCII") {
    throw core::InputError(source, "line 3",
                           core::cat("expected ASCII or BINARY, found ", printable(encoding)));
  }
  if (const auto k = c.token(); k != "DATASET")
    throw core::InputError(source, c.record(),
                           core::cat("expected 'DATASET POLYDATA', found ", printable(k)));
  if (const auto kind = c.token(); kind != "POLYDATA")
    throw core::InputError(source, c.record(),
                           core::cat("dataset type ", printable(kind),
                                     " is not supported: only POLYDATA holds a surface"));

  TriMesh mesh;
  bool have_points = false, have_polygons = false;
  std::vector<long long> values;
  Cells polygons;
  while (!c.at_end()) {
    const std::string_view keyword = c.token();
    const std::string record = c.record();
    if (keyword == "POINTS") {
      if (have_points) r.fail(record, "a second POINTS section");
      const long long n = r.count("point count");
      const std::string_view type = c.token();
      if (type != "float" && type != "double")
        r.fail(c.record(), core::cat("POINTS type ", printable(type),
                                     " is not supported (expected float or double)"));
      const std::size_t size = type == "float" ? 4 : 8;
      r.check_fits(3 * n, r.binary ? size : 2, "POINTS");
      mesh.vertices.resize(static_cast<std::size_t>(n));
      if (r.binary) {
        c.to_next_line();
        const char* p = c.raw(static_cast<std::size_t>(n) * 3 * size, "POINTS");
        for (auto& v : mesh.vertices)
          for (double& x : v) {
            x = size == 4 ? detail::load<float>(p, Endian::big)
                          : detail::load<double>(p, Endian::big);
            p += size;
          }
      } else {
        for (std::size_t i = 0; i < mesh.vertices.size(); ++i)
          for (double& x : mesh.vertices[i]) {
            const std::string_view t = c.token();
            if (t.empty())
              r.fail("end of file", core::cat("file is truncated: it ends inside POINTS, at point ",
                                              i, " of ", n));
            const auto v = detail::to_double(t);
            if (!v)
              r.fail(c.record(), core::cat("point ", i, ": ", printable(t), " is not a number"));
            x = *v;
          }
      }
      have_points = true;
    } else if (keyword == "POLYGONS" || keyword == "VERTICES" || keyword == "LINES") {
      const bool wanted = keyword == "POLYGONS";
      if (wanted && have_polygons) r.fail(record, "a second POLYGONS section");
      const long long n = r.count("cell count");
      const long long size = r.count("cell size");
      const std::string name(keyword);
      Cells cells;
      // VTK >= 9 ("Version 5.x") writes offsets and connectivity arrays after the counts.
      const std::size_t mark = c.position();
      if (c.token() == "OFFSETS") {
        const std::string_view type = c.token();
        r.integers(n, type, name + " OFFSETS", values);
        if (const auto k = c.token(); k != "CONNECTIVITY")
          r.fail(c.record(),
                 core::cat("expected CONNECTIVITY after ", name, " OFFSETS, found ", printable(k)));
        const std::string_view ctype = c.token();
        r.integers(size, ctype, name + " CONNECTIVITY", cells.connectivity);
        if (n == 0 ? size != 0 : values.front() != 0 || values.back() != size)
          r.fail(record,
                 core::cat(name, ": the offsets must run from 0 to the connectivity size ", size));
        for (std::size_t i = 0; i + 1 < values.size(); ++i) {
          if (values[i + 1] < values[i])
            r.fail(record, core::cat(name, ": offset ", i + 1, " is smaller than offset ", i));
          cells.ranges.emplace_back(values[i], values[i + 1]);
        }
      } else {
        c.seek(mark);  // classic layout: "k i1 ... ik" per cell
        r.integers(size, "int", name, cells.connectivity);
        const auto& v = cells.connectivity;
        std::size_t at = 0;
        for (long long i = 0; i < n; ++i) {
          const std::string cell = r.binary ? core::cat(name, " cell ", i) : record;
          if (at >= v.size())
            r.fail(cell, core::cat(name, " declares ", n, " cells in ", size,
                                   " values, but the values end at cell ", i));
          const long long k = v[at];
          if (k < 0 || static_cast<std::uint64_t>(k) > v.size() - at - 1)
            r.fail(cell, core::cat(name, " cell ", i, ": its vertex count ", k,
                                   " does not fit in the declared size ", size));
          cells.ranges.emplace_back(static_cast<long long>(at + 1),
                                    static_cast<long long>(at + 1) + k);
          at += static_cast<std::size_t>(k) + 1;
        }
        if (at != v.size())
          r.fail(record, core::cat(name, " declares size ", size, " but its ", n, " cells use ", at,
                                   " values"));
      }
      if (wanted) {
        polygons = std::move(cells);
        have_polygons = true;
      }
    } else if (keyword == "METADATA") {
      // VTK ≥ 9 metadata: lines up to the next blank line.
      c.rest_of_line();
      while (c.bytes_left() > 0 && !c.rest_of_line().empty()) {
      }
    } else if (keyword == "POINT_DATA" || keyword == "CELL_DATA" || keyword == "FIELD") {
      break;
    } else if (keyword == "TRIANGLE_STRIPS") {
      r.fail(record, "TRIANGLE_STRIPS are not supported; save the surface as POLYGONS");
    } else {
      r.fail(record, core::cat("unknown section ", printable(keyword),
                               " (expected POINTS, POLYGONS, POINT_DATA, ...)"));
    }
  }
  if (!have_points)
    throw core::InputError(source, "", "no POINTS section: the file holds no vertices");
  if (!have_polygons)
    throw core::InputError(source, "",
                           "no POLYGONS section: the file holds no surface (lines or points only)");

  // Polygons → triangle fans, indices checked against the points.
  const long long n_points = static_cast<long long>(mesh.n_vertices());
  std::vector<std::int32_t> polygon, scratch;
  for (std::size_t i = 0; i < polygons.ranges.size(); ++i) {
    const auto [begin, end] = polygons.ranges[i];
    const std::string record = core::cat("POLYGONS cell ", i);
    if (end - begin < 3)
      throw core::InputError(
          source, record, core::cat("has ", end - begin, " vertices; a polygon needs at least 3"));
    polygon.clear();
    for (long long j = begin; j < end; ++j) {
      const long long v = polygons.connectivity[static_cast<std::size_t>(j)];
      if (v < 0 || v >= n_points)
        throw core::InputError(source, record,
                               core::cat("vertex index ", v, " is out of range [0, ", n_points,
                                         "): the file has ", n_points, " points"));
      polygon.push_back(static_cast<std::int32_t>(v));
    }
    if (const auto dup = detail::repeated_vertex(polygon, scratch))
      throw core::InputError(
          source, record,
          core::cat("repeats vertex ", *dup, "; a polygon needs distinct vertices"));
    detail::append_fan(polygon, mesh.faces);
  }
  return mesh;
}

TriMesh read_vtk(const std::filesystem::path& path) {
  return parse_vtk(detail::read_file_bytes(path), path.string());
}

}  // namespace spectralbrain::mesh
