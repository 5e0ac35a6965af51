// PLY: header of typed elements, then ASCII tokens or binary records in either byte order.
#include "spectralbrain/mesh/ply.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "file_bytes.hpp"
#include "parse_util.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
using detail::Endian;
using detail::printable;

enum class Type { i8, u8, i16, u16, i32, u32, f32, f64 };

std::optional<Type> type_named(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, Type>, 16> names = {{
      {"char", Type::i8},
      {"int8", Type::i8},
      {"uchar", Type::u8},
      {"uint8", Type::u8},
      {"short", Type::i16},
      {"int16", Type::i16},
      {"ushort", Type::u16},
      {"uint16", Type::u16},
      {"int", Type::i32},
      {"int32", Type::i32},
      {"uint", Type::u32},
      {"uint32", Type::u32},
      {"float", Type::f32},
      {"float32", Type::f32},
      {"double", Type::f64},
      {"float64", Type::f64},
  }};
  for (const auto& [name, type] : names)
    if (s == name) return type;
  return std::nullopt;
}

std::size_t size_of(Type t) {
  switch (t) {
    case Type::i8:
    case Type::u8:
      return 1;
    case Type::i16:
    case Type::u16:
      return 2;
    case Type::i32:
    case Type::u32:
    case Type::f32:
      return 4;
    case Type::f64:
      return 8;
  }
  return 8;
}

bool is_integer(Type t) { return t != Type::f32 && t != Type::f64; }

struct Property {
  std::string name;
  bool list = false;
  Type count_type = Type::u8;  // lists only
  Type type = Type::f32;
};

struct Element {
  std::string name;
  long long count = 0;
  std::vector<Property> properties;
  std::size_t line = 0;  // header line declaring it
  // Fewest bytes one record can take: binary sizes, or one byte per value in ASCII.
  std::size_t min_record_bytes(bool ascii) const {
    std::size_t n = 0;
    for (const auto& p : properties) n += ascii ? 2 : size_of(p.list ? p.count_type : p.type);
    return n;
  }
};

// The data section: ASCII tokens or binary values, read one property value at a time.
class Data {
 public:
  Data(std::string_view bytes, std::size_t start, bool ascii, Endian endian,
       const std::string& source)
      : bytes_(bytes),
        tokens_(bytes, start),
        pos_(start),
        ascii_(ascii),
        endian_(endian),
        source_(source) {}

  std::size_t bytes_left() const { return ascii_ ? tokens_.bytes_left() : bytes_.size() - pos_; }

  // `what` says which record, e.g. "vertex 12", for messages.
  double number(Type t, const std::string& what) {
    if (ascii_) {
      const std::string_view token = tokens_.next();
      if (token.empty()) truncated(what);
      if (is_integer(t)) {
        const auto v = detail::to_integer(token);
        if (!v) fail(what, core::cat("value ", printable(token), " is not an integer"));
        return static_cast<double>(*v);
      }
      const auto v = detail::to_double(token);
      if (!v) fail(what, core::cat("value ", printable(token), " is not a number"));
      return *v;
    }
    const std::size_t n = size_of(t);
    if (bytes_.size() - pos_ < n) truncated(what);
    const char* p = bytes_.data() + pos_;
    pos_ += n;
    switch (t) {
      case Type::i8:
        return static_cast<double>(static_cast<std::int8_t>(p[0]));
      case Type::u8:
        return static_cast<double>(static_cast<unsigned char>(p[0]));
      case Type::i16:
        return detail::load<std::int16_t>(p, endian_);
      case Type::u16:
        return detail::load<std::uint16_t>(p, endian_);
      case Type::i32:
        return detail::load<std::int32_t>(p, endian_);
      case Type::u32:
        return detail::load<std::uint32_t>(p, endian_);
      case Type::f32:
        return detail::load<float>(p, endian_);
      case Type::f64:
        return detail::load<double>(p, endian_);
    }
    return 0;
  }

  // A list's length, checked against what the rest of the data could hold.
  long long list_length(const Property& p, const std::string& what) {
    const double v = number(p.count_type, what);
    const std::size_t item = ascii_ ? 2 : size_of(p.type);
    if (v < 0 || v > static_cast<double>(bytes_left() / item + 1))
      fail(what, core::cat("list '", p.name, "' declares ", static_cast<long long>(v),
                           " items, more than the ", bytes_left(),
                           " bytes that follow can hold: the file is truncated or corrupt"));
    return static_cast<long long>(v);
  }

  [[noreturn]] void fail(const std::string& what, const std::string& problem) const {
    if (ascii_) throw core::InputError(source_, tokens_.record(), core::cat(what, ": ", problem));
    throw core::InputError(source_, what, problem);
  }
  [[noreturn]] void truncated(const std::string& what) const {
    throw core::InputError(source_, what,
                           core::cat("file is truncated: it ends inside this record (", what,
                                     ") while the header declares more data"));
  }

 private:
  std::string_view bytes_;
  detail::Tokens tokens_;
  std::size_t pos_;
  bool ascii_;
  Endian endian_;
  const std::string& source_;
};

constexpr long long max_count = std::numeric_limits<std::int32_t>::max();

}  // namespace

TriMesh parse_ply(std::string_view bytes, const std::string& source) {
  if (bytes.empty()) throw core::InputError(source, "", "file is empty (0 bytes)");
  if (!bytes.starts_with("ply\n") && !bytes.starts_with("ply\r\n"))
    throw core::InputError(source, "line 1",
                           core::cat("not a PLY file: it does not begin with the line 'ply' but "
                                     "with ",
                                     printable(bytes.substr(0, 16), 16)));

  // Header: one statement per line up to "end_header".
  std::size_t pos = 0, line_number = 0;
  std::optional<bool> ascii;
  Endian endian = Endian::little;
  std::vector<Element> elements;
  bool ended = false;
  while (!ended) {
    if (pos >= bytes.size())
      throw core::InputError(source, "header",
                             "file is truncated: it ends inside the header (no 'end_header' line)");
    const std::size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos)
      throw core::InputError(source, "header",
                             "file is truncated: it ends inside the header (no 'end_header' line)");
    std::string_view line = bytes.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_number;
    const std::string record = core::cat("line ", line_number);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::vector<std::string_view> t;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && detail::is_space(line[i])) ++i;
      const std::size_t start = i;
      while (i < line.size() && !detail::is_space(line[i])) ++i;
      if (i > start) t.push_back(line.substr(start, i - start));
    }
    if (line_number == 1 || t.empty()) continue;
    const std::string_view keyword = t[0];
    if (keyword == "comment" || keyword == "obj_info") continue;
    if (keyword == "format") {
      if (t.size() != 3) throw core::InputError(source, record, "expected 'format <type> 1.0'");
      if (t[1] == "ascii") {
        ascii = true;
      } else if (t[1] == "binary_little_endian") {
        ascii = false, endian = Endian::little;
      } else if (t[1] == "binary_big_endian") {
        ascii = false, endian = Endian::big;
      } else {
        throw core::InputError(source, record,
                               core::cat("unknown PLY format ", printable(t[1]),
                                         " (expected ascii, binary_little_endian or "
                                         "binary_big_endian)"));
      }
      if (t[2] != "1.0" && t[2] != "1")
        throw core::InputError(
            source, record,
            core::cat("unsupported PLY version ", printable(t[2]), " (expected 1.0)"));
    } else if (keyword == "element") {
      if (t.size() != 3)
        throw core::InputError(source, record, "expected 'element <name> <count>'");
      const auto count = detail::to_integer(t[2]);
      if (!count || *count < 0 || *count > max_count)
        throw core::InputError(source, record,
                               core::cat("element '", t[1], "': count ", printable(t[2]),
                                         " is not an integer in [0, 2^31-1]"));
      elements.push_back({std::string(t[1]), *count, {}, line_number});
    } else if (keyword == "property") {
      if (elements.empty())
        throw core::InputError(source, record, "'property' before any 'element' line");
      Property p;
      if (t.size() == 5 && t[1] == "list") {
        const auto count_type = type_named(t[2]), type = type_named(t[3]);
        if (!count_type || !type || !is_integer(*count_type))
          throw core::InputError(source, record,
                                 core::cat("list property '", t[4], "': unknown or invalid types ",
                                           printable(t[2]), " ", printable(t[3])));
        p = {std::string(t[4]), true, *count_type, *type};
      } else if (t.size() == 3) {
        const auto type = type_named(t[1]);
        if (!type)
          throw core::InputError(
              source, record, core::cat("property '", t[2], "': unknown type ", printable(t[1])));
        p = {std::string(t[2]), false, Type::u8, *type};
      } else {
        throw core::InputError(source, record,
                               "expected 'property <type> <name>' or 'property list "
                               "<count type> <item type> <name>'");
      }
      elements.back().properties.push_back(std::move(p));
    } else if (keyword == "end_header") {
      ended = true;
    } else {
      throw core::InputError(source, record,
                             core::cat("unknown header statement ", printable(keyword)));
    }
  }
  if (!ascii) throw core::InputError(source, "header", "no 'format' line in the header");

  // Which element and properties hold the mesh.
  const Element* vertex = nullptr;
  const Element* face = nullptr;
  for (const auto& e : elements) {
    if (e.name == "vertex" && !vertex) vertex = &e;
    if (e.name == "face" && !face) face = &e;
  }
  if (!vertex) throw core::InputError(source, "header", "no 'vertex' element in the header");
  if (!face)
    throw core::InputError(source, "header",
                           "no 'face' element in the header (a point cloud, not a surface)");
  std::array<int, 3> xyz = {-1, -1, -1};
  for (std::size_t i = 0; i < vertex->properties.size(); ++i)
    for (int a = 0; a < 3; ++a)
      if (vertex->properties[i].name == std::string(1, "xyz"[a])) {
        if (vertex->properties[i].list)
          throw core::InputError(source, core::cat("line ", vertex->line),
                                 core::cat("vertex property '", "xyz"[a], "' is a list"));
        if (xyz[a] < 0) xyz[a] = static_cast<int>(i);
      }
  for (int a = 0; a < 3; ++a)
    if (xyz[a] < 0)
      throw core::InputError(source, core::cat("line ", vertex->line),
                             core::cat("the vertex element has no '", "xyz"[a], "' property"));
  int indices = -1;
  for (std::size_t i = 0; i < face->properties.size(); ++i)
    if (face->properties[i].name == "vertex_indices" || face->properties[i].name == "vertex_index")
      indices = static_cast<int>(i);
  if (indices < 0 || !face->properties[indices].list || !is_integer(face->properties[indices].type))
    throw core::InputError(source, core::cat("line ", face->line),
                           "the face element has no integer list property 'vertex_indices'");

  // Data, element by element in header order.
  Data data(bytes, pos, *ascii, endian, source);
  TriMesh mesh;
  std::vector<std::int32_t> polygon, scratch;
  for (const Element& e : elements) {
    const std::size_t min_bytes = e.min_record_bytes(*ascii);
    if (min_bytes == 0) continue;  // no properties: its records take no bytes
    if (static_cast<std::uint64_t>(e.count) * min_bytes > data.bytes_left() + 1)
      throw core::InputError(
          source, core::cat("line ", e.line),
          core::cat("the header declares ", e.count, " '", e.name, "' records of at least ",
                    min_bytes, " bytes, but only ", data.bytes_left(),
                    " bytes follow: the file is truncated or the count is "
                    "wrong"));
    const bool is_vertex = &e == vertex, is_face = &e == face;
    if (is_vertex) mesh.vertices.reserve(static_cast<std::size_t>(e.count));
    if (is_face) {
      // A triangle takes 12 bytes here but may take as few as 4 in the file (uint8 indices).
      const std::size_t item = *ascii ? 2 : size_of(e.properties[indices].type);
      mesh.faces.reserve(std::min(static_cast<std::size_t>(e.count),
                                  data.bytes_left() / (min_bytes + 3 * item) + 1));
    }
    for (long long r = 0; r < e.count; ++r) {
      const std::string what = core::cat(e.name, " ", r);
      std::array<double, 3> p{};
      for (std::size_t i = 0; i < e.properties.size(); ++i) {
        const Property& prop = e.properties[i];
        if (!prop.list) {
          const double v = data.number(prop.type, what);
          if (is_vertex)
            for (int a = 0; a < 3; ++a)
              if (xyz[a] == static_cast<int>(i)) p[a] = v;
          continue;
        }
        const long long k = data.list_length(prop, what);
        const bool wanted = is_face && static_cast<int>(i) == indices;
        if (wanted) {
          if (k < 3) data.fail(what, core::cat("lists ", k, " vertices; a face needs at least 3"));
          polygon.clear();
        }
        for (long long j = 0; j < k; ++j) {
          const double v = data.number(prop.type, what);
          if (!wanted) continue;
          if (v < 0 || v >= static_cast<double>(vertex->count))
            data.fail(what, core::cat("vertex index ", v, " is out of range [0, ", vertex->count,
                                      "): the file has ", vertex->count, " vertices"));
          polygon.push_back(static_cast<std::int32_t>(v));
        }
        if (wanted) {
          if (const auto dup = detail::repeated_vertex(polygon, scratch))
            data.fail(what, core::cat("repeats vertex ", *dup, "; a face needs distinct vertices"));
          detail::append_fan(polygon, mesh.faces);
        }
      }
      if (is_vertex) mesh.vertices.push_back(p);
    }
  }
  return mesh;
}

TriMesh read_ply(const std::filesystem::path& path) {
  return parse_ply(detail::read_file_bytes(path), path.string());
}

void write_ply(const TriMesh& mesh, const std::filesystem::path& path) {
  std::string out = core::cat(
      "ply\nformat binary_little_endian 1.0\ncomment written by SpectralBrain\nelement vertex ",
      mesh.n_vertices(), "\nproperty double x\nproperty double y\nproperty double z\nelement face ",
      mesh.n_faces(), "\nproperty list uchar int vertex_indices\nend_header\n");
  const std::size_t header = out.size();
  out.resize(header + 24 * mesh.n_vertices() + 13 * mesh.n_faces());
  char* p = out.data() + header;
  const auto put = [&p](auto value) {
    detail::store(p, value, Endian::little);
    p += sizeof(value);
  };
  for (const auto& v : mesh.vertices)
    for (const double x : v) put(x);
  for (const auto& f : mesh.faces) {
    *p++ = 3;
    for (const std::int32_t i : f) put(i);
  }
  detail::write_file_atomically(path, out);
}

}  // namespace spectralbrain::mesh
