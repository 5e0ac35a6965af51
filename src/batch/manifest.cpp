// Manifest parsing: TSV/CSV with a header, checked before any work starts.
#include "spectralbrain/batch/manifest.hpp"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::batch {

namespace fs = std::filesystem;

std::string ManifestEntry::key() const {
  return structure.empty() ? subject : subject + "/" + structure;
}

std::string ManifestEntry::output_name() const {
  return (structure.empty() ? subject : subject + "_" + structure) + ".h5";
}

namespace {

// Splits one line: tab-separated (no quoting) or comma-separated with CSV quotes.
std::vector<std::string> split_fields(const std::string& line, char sep, const std::string& file,
                                      std::int64_t line_no) {
  std::vector<std::string> fields;
  if (sep == '\t') {
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t')) fields.push_back(field);
    if (!line.empty() && line.back() == '\t') fields.emplace_back();
  } else {
    std::string field;
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          field += c;
        }
      } else if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == sep) {
        fields.push_back(field);
        field.clear();
        was_quoted = false;
      } else {
        field += c;
      }
    }
    if (quoted)
      throw core::InputError(file, core::cat("line ", line_no), "unterminated quoted field");
    fields.push_back(field);
  }
  for (auto& f : fields) {  // surrounding spaces are never meant
    const auto b = f.find_first_not_of(" \r");
    const auto e = f.find_last_not_of(" \r");
    f = b == std::string::npos ? std::string() : f.substr(b, e - b + 1);
  }
  return fields;
}

void check_id(const std::string& value, const char* column, const std::string& file,
              std::int64_t line_no) {
  for (unsigned char c : value)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+'))
      throw core::InputError(
          file, core::cat("line ", line_no),
          core::cat(column, " '", value, "' contains '", static_cast<char>(c),
                    "': ids name output files, so only letters, digits and . _ - + are allowed"));
  if (value == "." || value == "..")
    throw core::InputError(file, core::cat("line ", line_no),
                           core::cat(column, " '", value, "' is not a usable id"));
}

}  // namespace

Manifest read_manifest(const fs::path& file) {
  const std::string name = file.string();
  if (!fs::exists(file)) throw core::InputError(name, "", "manifest not found");
  if (fs::is_directory(file)) throw core::InputError(name, "", "is a folder, not a manifest");
  std::ifstream in(file);
  if (!in) throw core::InputError(name, "", "cannot open the manifest for reading");

  Manifest manifest;
  manifest.file = file;
  const fs::path base = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::optional<std::size_t> col_subject, col_mesh, col_structure;
  std::size_t n_columns = 0;
  char sep = ',';
  bool header_seen = false;
  std::map<std::string, std::int64_t> seen_keys, seen_outputs;

  std::string line;
  std::int64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line[line.find_first_not_of(" \t")] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      sep = line.find('\t') != std::string::npos ? '\t' : ',';
      const auto names = split_fields(line, sep, name, line_no);
      n_columns = names.size();
      std::map<std::string, std::size_t> index;
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].empty()) continue;
        if (!index.emplace(names[i], i).second)
          throw core::InputError(name, core::cat("line ", line_no, " (header)"),
                                 core::cat("column '", names[i], "' appears twice"));
      }
      auto find = [&](const char* c) -> std::optional<std::size_t> {
        auto it = index.find(c);
        if (it == index.end()) return std::nullopt;
        return it->second;
      };
      col_subject = find("subject");
      col_mesh = find("mesh");
      col_structure = find("structure");
      for (auto [col, what] : {std::pair{col_subject, "subject"}, std::pair{col_mesh, "mesh"}})
        if (!col)
          throw core::InputError(
              name, core::cat("line ", line_no, " (header)"),
              core::cat("no '", what,
                        "' column; the header must name the columns subject, mesh "
                        "and optionally structure, separated by tabs or commas"));
      manifest.has_structure = col_structure.has_value();
      continue;
    }
    const auto fields = split_fields(line, sep, name, line_no);
    if (fields.size() != n_columns)
      throw core::InputError(name, core::cat("line ", line_no),
                             core::cat(fields.size(), " fields, the header has ", n_columns));
    ManifestEntry e;
    e.line = line_no;
    e.subject = fields[*col_subject];
    if (col_structure) e.structure = fields[*col_structure];
    const std::string mesh = fields[*col_mesh];
    if (e.subject.empty())
      throw core::InputError(name, core::cat("line ", line_no), "empty subject");
    if (mesh.empty()) throw core::InputError(name, core::cat("line ", line_no), "empty mesh");
    check_id(e.subject, "subject", name, line_no);
    if (!e.structure.empty()) check_id(e.structure, "structure", name, line_no);
    e.mesh = fs::path(mesh).is_absolute() ? fs::path(mesh) : (base / mesh).lexically_normal();
    if (auto [it, fresh] = seen_keys.emplace(e.key(), line_no); !fresh)
      throw core::InputError(
          name, core::cat("line ", line_no),
          core::cat("repeats line ", it->second, " (subject '", e.subject, "'",
                    e.structure.empty() ? "" : ", structure '" + e.structure + "'", ")"));
    if (auto [it, fresh] = seen_outputs.emplace(e.output_name(), line_no); !fresh)
      throw core::InputError(name, core::cat("line ", line_no),
                             core::cat("its output file ", e.output_name(),
                                       " would be the same as line ", it->second, "'s"));
    manifest.entries.push_back(std::move(e));
  }
  if (in.bad()) throw core::InputError(name, "", "read error");
  if (!header_seen) throw core::InputError(name, "", "empty manifest (no header)");
  if (manifest.entries.empty()) throw core::InputError(name, "", "no subjects (only a header)");
  return manifest;
}

}  // namespace spectralbrain::batch
