// The strict CSV reader: a single pass over the text, one state machine per cell.
#include "spectralbrain/models/csv.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

using core::cat;
using core::InputError;

namespace {

/// Reads one record at a time; tracks the current line for messages.
class Parser {
 public:
  Parser(std::string_view text, const std::string& path, char sep)
      : text_(text), path_(path), sep_(sep) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte-order mark
  }

  bool done() const { return pos_ >= text_.size(); }
  std::size_t line() const { return line_; }

  /// The next record's cells; an empty vector for a completely empty line.
  std::vector<std::string> record() {
    std::vector<std::string> cells;
    std::string cell;
    bool any = false;  // the line has content (a separator, a character or quotes)
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"' && cell.empty()) {
        read_quoted(cell);
        any = true;
        continue;
      }
      ++pos_;
      if (c == sep_) {
        cells.push_back(std::move(cell));
        cell.clear();
        any = true;
      } else if (c == '\n' || (c == '\r' && peek() == '\n')) {
        if (c == '\r') ++pos_;
        ++line_;
        break;
      } else if (c == '"') {
        throw InputError(path_, cat("line ", line_),
                         "a quote inside an unquoted cell (quote the whole cell and write a "
                         "quote as \"\")");
      } else {
        cell += c;
        any = true;
      }
    }
    if (any) cells.push_back(std::move(cell));
    return cells;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  // A quoted cell: from the opening quote to the closing one, then a separator or line end.
  void read_quoted(std::string& cell) {
    const std::size_t start_line = line_;
    ++pos_;
    for (;;) {
      if (pos_ >= text_.size())
        throw InputError(path_, cat("line ", start_line), "a quoted cell is never closed");
      const char c = text_[pos_++];
      if (c == '"') {
        if (peek() == '"') {
          cell += '"';
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      cell += c;
    }
    const char next = peek();
    if (!(next == sep_ || next == '\n' || next == '\r' || next == '\0'))
      throw InputError(path_, cat("line ", line_),
                       cat("text after the closing quote of a cell: '", next, "'"));
    if (next == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))
      throw InputError(path_, cat("line ", line_), "a carriage return without a line feed");
  }

  std::string_view text_;
  const std::string& path_;
  char sep_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

CsvFile parse_csv(std::string_view text, const std::string& path, char sep) {
  CsvFile csv;
  csv.path = path;
  Parser parser(text, path, sep);
  while (!parser.done() && csv.header.empty()) csv.header = parser.record();
  if (csv.header.empty()) throw InputError(path, "", "the file is empty (no header row)");
  std::set<std::string> seen;
  for (std::size_t j = 0; j < csv.header.size(); ++j) {
    const std::string& name = csv.header[j];
    if (name.empty()) throw InputError(path, "header", cat("column ", j + 1, " has no name"));
    if (!seen.insert(name).second)
      throw InputError(path, "header", cat("two columns are called '", name, "'"));
  }
  while (!parser.done()) {
    const std::size_t line = parser.line();
    auto cells = parser.record();
    if (cells.empty()) continue;
    if (cells.size() != csv.header.size())
      throw InputError(
          path, cat("line ", line),
          cat(cells.size(), " cells, but the header has ", csv.header.size(), " columns"));
    csv.records.push_back(std::move(cells));
    csv.lines.push_back(line);
  }
  return csv;
}

CsvFile read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "", "cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path.string(), "", "reading failed");
  const std::string ext = path.extension().string();
  const char sep = (ext == ".tsv" || ext == ".tab") ? '\t' : ',';
  return parse_csv(text.str(), path.string(), sep);
}

}  // namespace spectralbrain::models
