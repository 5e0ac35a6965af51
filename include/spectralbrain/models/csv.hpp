// A small, strict CSV reader: a header row naming the columns, then records of the same
// width. RFC 4180 quoting (fields in double quotes may hold the separator, line breaks and
// "" for a quote), LF or CRLF line ends, an optional UTF-8 byte-order mark, and a tab
// separator for .tsv files. Anything else is an input error naming the file and the line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace spectralbrain::models {

/// The cells of a CSV file, as text.
struct CsvFile {
  std::string path;                               ///< the file read (for messages)
  std::vector<std::string> header;                ///< column names, unique, non-empty
  std::vector<std::vector<std::string>> records;  ///< (n_records, header.size()) cells
  std::vector<std::size_t> lines;  ///< 1-based line where each record starts (header: line 1)
};

/// Parse CSV text. `path` only names the source in messages. Separator `sep` (',' or '\t').
/// Completely empty lines are skipped (a trailing newline is not an empty record). Unquoted
/// cells are kept verbatim (spaces included); quoted cells lose their quotes.
/// @throws core::InputError naming `path` and the line for: no header, an empty or
///         duplicate column name, a record with a different number of cells than the
///         header, an unterminated quoted field, or text after a closing quote
CsvFile parse_csv(std::string_view text, const std::string& path, char sep = ',');

/// Read and parse the file at `path`; the separator is a tab for a `.tsv` or `.tab`
/// extension, else a comma.
/// @throws core::InputError if the file cannot be read, or as parse_csv
CsvFile read_csv(const std::filesystem::path& path);

}  // namespace spectralbrain::models
