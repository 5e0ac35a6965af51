// GIFTI surfaces through gifticlib: metadata first (to check sizes before any allocation),
// then the data; gifticlib's stderr reports become exceptions.
#include "spectralbrain/mesh/gifti.hpp"

extern "C" {
#include <gifti/gifti_io.h>
}
#include <expat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "file_bytes.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {

// gifticlib keeps its parser state and verbosity in globals: one reader at a time.
std::mutex gifticlib_mutex;

struct ImageDeleter {
  void operator()(gifti_image* g) const noexcept { gifti_free_image(g); }
};
using GiftiImage = std::unique_ptr<gifti_image, ImageDeleter>;

// gifticlib prints most of its errors to stderr whatever its verbosity, and carries on after
// some of them (a wrong-sized compressed array is reported, then returned zero-padded). So
// while it runs, stderr (the process's file descriptor 2) goes to a temporary file, and
// anything written there is its report. Output from another thread of this process in that
// window would be caught too and make the read fail; nothing in SpectralBrain prints from
// other threads.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    file_ = std::tmpfile();
    if (!file_) return;  // no capture: gifticlib's messages then reach stderr
    saved_ = ::dup(STDERR_FILENO);
    if (saved_ < 0 || ::dup2(::fileno(file_), STDERR_FILENO) < 0) {
      if (saved_ >= 0) ::close(saved_);
      saved_ = -1;
    }
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;
  ~StderrCapture() {
    restore();
    if (file_) std::fclose(file_);
  }

  /// Restores stderr and returns what was written meanwhile (at most 64 KiB).
  std::string finish() {
    restore();
    std::string text;
    if (!file_) return text;
    std::rewind(file_);
    char buffer[4096];
    std::size_t n = 0;
    while (text.size() < 65536 && (n = std::fread(buffer, 1, sizeof buffer, file_)) > 0)
      text.append(buffer, n);
    return text;
  }

 private:
  void restore() noexcept {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
  }
  std::FILE* file_ = nullptr;
  int saved_ = -1;
};

// Sets gifticlib's verbosity to 0 (quiet except for errors) for the guard's lifetime.
class QuietGifticlib {
 public:
  QuietGifticlib() : previous_(gifti_get_verb()) { gifti_set_verb(0); }
  QuietGifticlib(const QuietGifticlib&) = delete;
  QuietGifticlib& operator=(const QuietGifticlib&) = delete;
  ~QuietGifticlib() { gifti_set_verb(previous_); }

 private:
  int previous_;
};

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// gifticlib's report as one line ("** x\n** y" → "x; y"), and the XML line it names, if any.
[[noreturn]] void throw_gifticlib_failure(const std::string& source, const std::string& report,
                                          const char* what = "not a readable GIFTI file") {
  std::string problem, record;
  std::size_t start = 0;
  while (start < report.size() && problem.size() < 600) {
    std::size_t end = report.find('\n', start);
    if (end == std::string::npos) end = report.size();
    std::string line = report.substr(start, end - start);
    start = end + 1;
    if (blank(line)) continue;
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.starts_with("** ")) line.erase(0, 3);
    if (record.empty()) {
      const std::size_t at = line.find(" at line ");
      if (at != std::string::npos) record = "line " + line.substr(at + 9);
    }
    problem += (problem.empty() ? "" : "; ") + line;
  }
  if (problem.empty()) problem = "gifticlib could not read the file (no reason given)";
  throw core::InputError(source, record, core::cat(what, ": gifticlib: ", problem));
}

// Runs one gifticlib read with stderr captured; a null result or any report is a failure.
GiftiImage read_image(const std::filesystem::path& path, bool read_data) {
  StderrCapture capture;
  GiftiImage image(gifti_read_image(path.c_str(), read_data ? 1 : 0));
  const std::string report = capture.finish();
  if (!image || !blank(report)) throw_gifticlib_failure(path.string(), report);
  return image;
}

std::string describe(int index, const giiDataArray* da) {
  return core::cat("DataArray ", index, " (", gifti_intent_to_string(da->intent), ")");
}

// The index of the one DataArray with `intent`; throws if there is none or several.
int find_array(const gifti_image& image, int intent, const std::string& source, const char* what) {
  int found = -1, count = 0;
  for (int i = 0; i < image.numDA; ++i)
    if (image.darray[i] && image.darray[i]->intent == intent) {
      if (found < 0) found = i;
      ++count;
    }
  if (count == 0)
    throw core::InputError(
        source, "",
        core::cat("has no ", gifti_intent_to_string(intent), " DataArray (", what,
                  "), so it is not a GIFTI surface; data files such as "
                  ".func.gii, .shape.gii or .label.gii hold values on a "
                  "surface, not the surface itself"));
  if (count > 1)
    throw core::InputError(source, "",
                           core::cat("has ", count, " ", gifti_intent_to_string(intent),
                                     " DataArrays; a surface file must have exactly one"));
  return found;
}

// Shape, type, order and encoding of one array, and its declared size against the largest
// the file could hold, all from the metadata alone (nothing decoded or allocated yet).
void check_array(const giiDataArray* da, int index, bool coordinates, std::uintmax_t file_size,
                 const std::string& source) {
  const std::string record = describe(index, da);
  if (da->num_dim != 2 || da->dims[1] != 3 || da->dims[0] < 1) {
    std::string shape;
    for (int d = 0; d < da->num_dim && d < GIFTI_DARRAY_DIM_LEN; ++d)
      shape += (d ? "×" : "") + std::to_string(da->dims[d]);
    throw core::InputError(
        source, record,
        core::cat("has shape ", shape.empty() ? "(none)" : shape, "; expected ",
                  coordinates ? "N×3 (vertices)" : "F×3 (faces)", " with at least one row"));
  }
  if (coordinates && da->datatype != NIFTI_TYPE_FLOAT32 && da->datatype != NIFTI_TYPE_FLOAT64)
    throw core::InputError(source, record,
                           core::cat("has data type ", gifti_datatype2str(da->datatype),
                                     "; coordinates must be NIFTI_TYPE_FLOAT32 or "
                                     "NIFTI_TYPE_FLOAT64"));
  if (!coordinates && da->datatype != NIFTI_TYPE_INT32)
    throw core::InputError(source, record,
                           core::cat("has data type ", gifti_datatype2str(da->datatype),
                                     "; triangle indices must be NIFTI_TYPE_INT32"));
  if (da->ind_ord != GIFTI_IND_ORD_ROW_MAJOR && da->ind_ord != GIFTI_IND_ORD_COL_MAJOR)
    throw core::InputError(source, record,
                           "has no valid ArrayIndexingOrder (RowMajorOrder or ColumnMajorOrder)");
  if (da->encoding == GIFTI_ENCODING_EXTBIN || (da->ext_fname && *da->ext_fname))
    throw core::InputError(source, record,
                           "keeps its data in an external file (ExternalFileBinary), which is "
                           "not supported; save the surface as a self-contained GIFTI file");

  // The most bytes of values each encoding can yield from a file this size: ASCII needs at
  // least 2 characters ("0 ") per value of at most 8 bytes; base64 yields 3 bytes per 4
  // characters; deflate expands at most 1032:1 (zlib's technical maximum).
  std::uint64_t limit = 0;
  switch (da->encoding) {
    case GIFTI_ENCODING_ASCII:
      limit = 4 * static_cast<std::uint64_t>(file_size);
      break;
    case GIFTI_ENCODING_B64BIN:
      limit = static_cast<std::uint64_t>(file_size);
      break;
    case GIFTI_ENCODING_B64GZ:
      limit = 1032 * static_cast<std::uint64_t>(file_size);
      break;
    default:
      throw core::InputError(source, record,
                             "has no valid Encoding (ASCII, Base64Binary or GZipBase64Binary)");
  }
  const std::uint64_t bytes =
      static_cast<std::uint64_t>(da->dims[0]) * 3 * (da->datatype == NIFTI_TYPE_FLOAT64 ? 8 : 4);
  if (bytes > limit)
    throw core::InputError(source, record,
                           core::cat("declares ", da->dims[0], "×3 values (", bytes,
                                     " bytes), more than a ", file_size, "-byte file can hold in ",
                                     gifti_list_index2string(gifti_encoding_list, da->encoding),
                                     " encoding: the Dim0 attribute is corrupt"));
}

// gifticlib trusts the element structure: a <Data> outside a <DataArray> (e.g. inside a
// misspelt element) makes it dereference a null pointer (found by fuzzing, gifticlib 1.0.9).
// So the structure is checked with expat first: every element must be one GIFTI defines, in
// the parent GIFTI allows, and the XML must be well-formed. Streaming, no tree is built.
struct StructureCheck {
  XML_Parser parser = nullptr;
  std::vector<std::string> stack;
  std::string problem;
  std::size_t line = 0;

  static const char* parent_of(std::string_view element) {
    static constexpr std::pair<std::string_view, const char*> allowed[] = {
        {"GIFTI", ""},
        {"MetaData", "GIFTI DataArray"},
        {"MD", "MetaData"},
        {"Name", "MD"},
        {"Value", "MD"},
        {"LabelTable", "GIFTI"},
        {"Label", "LabelTable"},
        {"DataArray", "GIFTI"},
        {"CoordinateSystemTransformMatrix", "DataArray"},
        {"DataSpace", "CoordinateSystemTransformMatrix"},
        {"TransformedSpace", "CoordinateSystemTransformMatrix"},
        {"MatrixData", "CoordinateSystemTransformMatrix"},
        {"Data", "DataArray"},
    };
    for (const auto& [name, parents] : allowed)
      if (element == name) return parents;
    return nullptr;
  }

  static void XMLCALL start(void* self_, const XML_Char* name, const XML_Char**) {
    auto* self = static_cast<StructureCheck*>(self_);
    if (!self->problem.empty()) return;
    const std::string_view element = name;
    const char* parents = parent_of(element);
    const std::string parent = self->stack.empty() ? "" : self->stack.back();
    bool fits = false;
    if (parents) {
      if (*parents == '\0') {
        fits = self->stack.empty();
      } else {
        for (std::string_view p = parents; !p.empty();) {
          const std::size_t sp = p.find(' ');
          if (p.substr(0, sp) == parent) fits = true;
          p = sp == std::string_view::npos ? std::string_view() : p.substr(sp + 1);
        }
      }
    }
    if (!fits) {
      self->line = XML_GetCurrentLineNumber(self->parser);
      self->problem =
          !parents         ? core::cat("unknown element ", detail::printable(element, 40),
                                       " (GIFTI defines GIFTI, MetaData, MD, Name, Value, LabelTable, "
                                               "Label, DataArray, CoordinateSystemTransformMatrix, DataSpace, "
                                               "TransformedSpace, MatrixData, Data)")
          : parent.empty() ? core::cat("<", element, "> must be inside <", parents, ">")
                           : core::cat("<", element, "> is inside <", parent,
                                       ">, but GIFTI allows it only inside <", parents, ">");
      XML_StopParser(self->parser, XML_FALSE);
      return;
    }
    self->stack.emplace_back(element);
  }
  static void XMLCALL end(void* self_, const XML_Char*) {
    auto* self = static_cast<StructureCheck*>(self_);
    if (!self->stack.empty()) self->stack.pop_back();
  }
};

void check_structure(std::string_view bytes, const std::string& source) {
  StructureCheck check;
  check.parser = XML_ParserCreate(nullptr);
  if (!check.parser) throw core::Error("expat: XML_ParserCreate failed (out of memory?)");
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> owner(check.parser,
                                                                                 XML_ParserFree);
  XML_SetUserData(check.parser, &check);
  XML_SetElementHandler(check.parser, StructureCheck::start, StructureCheck::end);
  std::size_t offset = 0;
  bool ok = true;
  do {  // expat takes int lengths
    const std::size_t n = std::min<std::size_t>(bytes.size() - offset, 1 << 30);
    const bool last = offset + n == bytes.size();
    ok = XML_Parse(check.parser, bytes.data() + offset, static_cast<int>(n), last) !=
         XML_STATUS_ERROR;
    offset += n;
  } while (ok && offset < bytes.size());
  if (!check.problem.empty())
    throw core::InputError(source, core::cat("line ", check.line),
                           "not a valid GIFTI file: " + check.problem);
  if (!ok)
    throw core::InputError(
        source, core::cat("line ", XML_GetCurrentLineNumber(check.parser)),
        core::cat("not a readable GIFTI file: the XML is not well-formed (",
                  XML_ErrorString(XML_GetErrorCode(check.parser)), ")",
                  XML_GetCurrentByteIndex(check.parser) + 2 >= static_cast<XML_Index>(bytes.size())
                      ? ": the file is probably truncated"
                      : ""));
}

// Value (row, col) of an N×3 array in either indexing order.
template <class T>
T value_at(const giiDataArray* da, std::size_t row, std::size_t col) {
  const auto* data = static_cast<const T*>(da->data);
  const auto n_rows = static_cast<std::size_t>(da->dims[0]);
  return da->ind_ord == GIFTI_IND_ORD_ROW_MAJOR ? data[row * 3 + col] : data[col * n_rows + row];
}

}  // namespace

TriMesh read_gifti(const std::filesystem::path& path) {
  const std::string source = path.string();
  const std::uintmax_t file_size = detail::checked_file_size(path);
  if (file_size == 0) throw core::InputError(source, "", "file is empty (0 bytes)");

  // gifticlib would only say "not well-formed" about binary junk; say what it is.
  const std::string head = detail::read_file_head(path, 256);
  std::string_view head_view = head;
  if (head_view.starts_with("\xEF\xBB\xBF")) head_view.remove_prefix(3);
  while (!head_view.empty() && std::isspace(static_cast<unsigned char>(head_view.front())))
    head_view.remove_prefix(1);
  if (!head_view.starts_with("<"))
    throw core::InputError(source, "header",
                           core::cat("not a GIFTI file: it does not begin with an XML declaration "
                                     "('<?xml') or a <GIFTI> element, but with ",
                                     detail::printable(head, 16)));

  check_structure(detail::read_file_bytes(path), source);

  const std::lock_guard<std::mutex> lock(gifticlib_mutex);
  const QuietGifticlib quiet;

  const GiftiImage header = read_image(path, false);
  const int i_points = find_array(*header, NIFTI_INTENT_POINTSET, source, "vertex coordinates");
  const int i_faces = find_array(*header, NIFTI_INTENT_TRIANGLE, source, "triangles");
  check_array(header->darray[i_points], i_points, true, file_size, source);
  check_array(header->darray[i_faces], i_faces, false, file_size, source);

  const GiftiImage image = read_image(path, true);
  const giiDataArray* points = image->numDA > i_points ? image->darray[i_points] : nullptr;
  const giiDataArray* faces = image->numDA > i_faces ? image->darray[i_faces] : nullptr;
  for (const auto& [da, index] : {std::pair{points, i_points}, std::pair{faces, i_faces}}) {
    const giiDataArray* before = header->darray[index];
    if (!da || !da->data || da->intent != before->intent || da->num_dim != 2 ||
        da->dims[0] != before->dims[0] || da->dims[1] != 3 || da->datatype != before->datatype)
      throw core::InputError(source, describe(index, before),
                             "gifticlib returned no data or different dimensions for this array");
  }

  TriMesh mesh;
  mesh.vertices.resize(static_cast<std::size_t>(points->dims[0]));
  const bool single = points->datatype == NIFTI_TYPE_FLOAT32;
  for (std::size_t i = 0; i < mesh.vertices.size(); ++i)
    for (std::size_t j = 0; j < 3; ++j)
      mesh.vertices[i][j] = single ? value_at<float>(points, i, j) : value_at<double>(points, i, j);
  mesh.faces.resize(static_cast<std::size_t>(faces->dims[0]));
  for (std::size_t i = 0; i < mesh.faces.size(); ++i)
    for (std::size_t j = 0; j < 3; ++j) mesh.faces[i][j] = value_at<std::int32_t>(faces, i, j);
  return mesh;
}

void write_gifti(const TriMesh& mesh, const std::filesystem::path& path) {
  const std::string target = path.string();
  if (mesh.n_vertices() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 3) ||
      mesh.n_faces() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 3))
    throw core::InputError(target, "", "the mesh is too large for a GIFTI file");
  detail::AtomicPath output(path);

  const std::lock_guard<std::mutex> lock(gifticlib_mutex);
  const QuietGifticlib quiet;
  StderrCapture capture;
  const int vertex_dims[2] = {static_cast<int>(mesh.n_vertices()), 3};
  GiftiImage image(
      gifti_create_image(1, NIFTI_INTENT_POINTSET, NIFTI_TYPE_FLOAT32, 2, vertex_dims, 1));
  if (!image || gifti_add_empty_darray(image.get(), 1) != 0 || image->numDA != 2 ||
      !image->darray[0] || !image->darray[0]->data || !image->darray[1])
    throw_gifticlib_failure(target, capture.finish(), "cannot create the GIFTI image");

  giiDataArray* points = image->darray[0];
  auto* xyz = static_cast<float*>(points->data);
  for (std::size_t i = 0; i < mesh.n_vertices(); ++i)
    for (std::size_t j = 0; j < 3; ++j) xyz[3 * i + j] = static_cast<float>(mesh.vertices[i][j]);

  giiDataArray* triangles = image->darray[1];
  gifti_set_DA_defaults(triangles);
  triangles->intent = NIFTI_INTENT_TRIANGLE;
  triangles->datatype = NIFTI_TYPE_INT32;
  triangles->num_dim = 2;
  triangles->dims[0] = static_cast<int>(mesh.n_faces());
  triangles->dims[1] = 3;
  triangles->nvals = static_cast<long long>(mesh.n_faces()) * 3;
  triangles->nbyper = 4;
  // gifticlib frees every array's data with free().
  triangles->data =
      std::malloc(std::max<std::size_t>(mesh.n_faces(), 1) * 3 * sizeof(std::int32_t));
  if (!triangles->data) throw core::Error("out of memory writing a GIFTI file");
  if (mesh.n_faces() > 0)
    std::memcpy(triangles->data, mesh.faces.data(), mesh.n_faces() * 3 * sizeof(std::int32_t));
  for (giiDataArray* da : {points, triangles}) {
    da->ind_ord = GIFTI_IND_ORD_ROW_MAJOR;
    da->encoding = GIFTI_ENCODING_B64GZ;
    da->endian = GIFTI_ENDIAN_LITTLE;
  }
  const int status = gifti_write_image(image.get(), output.temporary().c_str(), 1);
  const std::string report = capture.finish();
  if (status != 0 || !blank(report))
    throw_gifticlib_failure(target, report, "cannot write the GIFTI file");
  output.commit();
}

}  // namespace spectralbrain::mesh
