// Format recognition: content first (magic bytes), the file name only as a fallback.
#include "spectralbrain/mesh/format.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "file_bytes.hpp"
#include "gzip.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh {

namespace {
constexpr std::size_t head_bytes = 4096;

constexpr std::string_view supported =
    "supported formats: FreeSurfer binary triangle surface (lh.white, lh.pial, *.surf), GIFTI "
    "surface (*.surf.gii, *.gii), OFF (*.off), OBJ (*.obj), PLY (*.ply), legacy VTK polydata "
    "(*.vtk), MZ3 (*.mz3), FreeSurfer ASCII (*.asc)";

std::string_view skip_space(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

// "OFF" and its variants: [ST][C][N][4][n]OFF, possibly glued to the first count ("OFF8").
bool is_off_keyword(std::string_view token) {
  const std::size_t p = token.find("OFF");
  if (p == std::string_view::npos) return false;
  const std::string_view prefix = token.substr(0, p), rest = token.substr(p + 3);
  return std::all_of(
             prefix.begin(), prefix.end(),
             [](char c) { return std::string_view("STCN4n").find(c) != std::string_view::npos; }) &&
         std::all_of(rest.begin(), rest.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool looks_like_off(std::string_view s) {
  for (;;) {  // skip blank lines and '#' comment lines
    s = skip_space(s);
    if (s.empty() || s.front() != '#') break;
    const std::size_t nl = s.find('\n');
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  }
  std::size_t n = 0;
  while (n < s.size() && !std::isspace(static_cast<unsigned char>(s[n]))) ++n;
  return n > 0 && is_off_keyword(s.substr(0, n));
}

// The first statement of the text (after blank and '#' lines) is an OBJ keyword.
bool looks_like_obj(std::string_view s) {
  for (;;) {
    s = skip_space(s);
    if (s.empty() || s.front() != '#') break;
    const std::size_t nl = s.find('\n');
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  }
  std::size_t n = 0;
  while (n < s.size() && !std::isspace(static_cast<unsigned char>(s[n]))) ++n;
  if (n == s.size()) return false;  // a keyword must be followed by something
  const std::string_view k = s.substr(0, n);
  return k == "v" || k == "vn" || k == "vt" || k == "f" || k == "o" || k == "g" || k == "mtllib" ||
         k == "usemtl";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// FreeSurfer surfaces have no reliable extension; these are the names FreeSurfer gives them.
bool freesurfer_name(std::string_view name) {
  static constexpr std::array<std::string_view, 10> suffixes = {
      ".surf",   ".white",   ".pial",         ".orig",    ".smoothwm",
      ".sphere", ".qsphere", ".midthickness", ".graymid", ".inflated"};
  if (name.starts_with("lh.") || name.starts_with("rh.")) return true;
  return std::any_of(suffixes.begin(), suffixes.end(),
                     [&](std::string_view s) { return ends_with(name, s); });
}
}  // namespace

std::string_view format_name(MeshFormat format) noexcept {
  switch (format) {
    case MeshFormat::freesurfer:
      return "FreeSurfer binary triangle surface";
    case MeshFormat::gifti:
      return "GIFTI surface";
    case MeshFormat::off:
      return "OFF mesh";
    case MeshFormat::obj:
      return "Wavefront OBJ mesh";
    case MeshFormat::ply:
      return "PLY mesh";
    case MeshFormat::vtk:
      return "legacy VTK polydata";
    case MeshFormat::mz3:
      return "MZ3 surface";
    case MeshFormat::freesurfer_ascii:
      return "FreeSurfer ASCII surface";
  }
  return "unknown format";
}

MeshFormat detect_format(const std::filesystem::path& path) {
  const std::string head = detail::read_file_head(path, head_bytes);
  if (head.empty()) throw core::InputError(path.string(), "", "file is empty (0 bytes)");

  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.size() >= 3 && byte(0) == 0xFF && byte(1) == 0xFF) {
    if (byte(2) == 0xFE) return MeshFormat::freesurfer;
    if (byte(2) == 0xFF || byte(2) == 0xFD)
      throw core::InputError(path.string(), "header",
                             "is a FreeSurfer quadrangle surface, which is not supported; "
                             "convert it to a triangle surface (e.g. mris_convert)");
  }

  std::string name = path.filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });

  if (detail::is_gzip(head)) {
    // MZ3 files are usually gzip-compressed as a whole: look at the first inflated bytes.
    std::string inner;
    try {
      inner = detail::gunzip(detail::read_file_bytes(path), 2, path.string());
    } catch (const core::InputError&) {
      // Corrupt gzip data: the MZ3 reader says what is wrong with a .mz3; anything else is
      // reported as compressed below.
    }
    if (inner == "MZ" || ends_with(name, ".mz3")) return MeshFormat::mz3;
    throw core::InputError(path.string(), "header",
                           "is gzip-compressed; decompress it first (e.g. gunzip), then read the "
                           "mesh file inside");
  }
  if (head.size() >= 4 && head.starts_with("MZ") && byte(3) == 0) return MeshFormat::mz3;
  if (head.starts_with("ply\n") || head.starts_with("ply\r\n")) return MeshFormat::ply;
  if (head.starts_with("# vtk DataFile")) return MeshFormat::vtk;

  std::string_view text = head;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte-order mark
  text = skip_space(text);
  const bool gii_name = ends_with(name, ".gii");
  if (text.starts_with("<?xml") || text.starts_with("<GIFTI") || text.starts_with("<!DOCTYPE")) {
    if (head.find("<GIFTI") != std::string::npos || gii_name) return MeshFormat::gifti;
    throw core::InputError(path.string(), "header",
                           core::cat("is an XML file but not GIFTI (no <GIFTI> element in its "
                                     "first ",
                                     head_bytes, " bytes); ", supported));
  }
  if (looks_like_off(text)) return MeshFormat::off;
  if (text.starts_with("#!ascii")) return MeshFormat::freesurfer_ascii;
  if (looks_like_obj(text)) return MeshFormat::obj;

  if (gii_name) return MeshFormat::gifti;
  if (ends_with(name, ".off")) return MeshFormat::off;
  if (ends_with(name, ".obj")) return MeshFormat::obj;
  if (ends_with(name, ".ply")) return MeshFormat::ply;
  if (ends_with(name, ".vtk")) return MeshFormat::vtk;
  if (ends_with(name, ".mz3")) return MeshFormat::mz3;
  if (ends_with(name, ".asc")) return MeshFormat::freesurfer_ascii;
  if (freesurfer_name(name)) return MeshFormat::freesurfer;

  throw core::InputError(path.string(), "",
                         core::cat("unrecognised mesh format (the file begins with ",
                                   detail::printable(head, 16), "); ", supported));
}

}  // namespace spectralbrain::mesh
