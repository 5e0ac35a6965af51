// Table: the data a model is fitted to, as named columns that are numeric or categorical,
// with missing cells marked and every row traceable to the line of the file it came from.
//
// Types are detected per column: a column is numeric when every cell that is not missing
// reads as a number (std::from_chars, e.g. "12", "-3.5e2", "inf"); otherwise categorical.
// Missing cells are the empty cell and NA, N/A, NaN, nan, null (case-sensitive list).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "spectralbrain/models/csv.hpp"

namespace spectralbrain::models {

/// One column of a Table.
struct Column {
  std::string name;
  bool numeric = false;             ///< every present cell is a number
  std::vector<std::string> text;    ///< the cells as written (n_rows)
  std::vector<double> values;       ///< numbers (n_rows; NaN where missing or categorical)
  std::vector<bool> missing;        ///< n_rows
  std::size_t source = 0;           ///< index into Table::sources of the file it came from
  std::vector<std::string> reason;  ///< why a cell is missing when it is not in the file (join)
};

/// Where a row came from: one line number per source file (0: no row in that file).
struct RowOrigin {
  std::vector<std::size_t> lines;
};

/// Named columns of equal length.
class Table {
 public:
  /// An empty table.
  Table() = default;

  /// A table from a parsed CSV file; column types detected as above.
  explicit Table(const CsvFile& csv);

  /// Number of rows.
  std::size_t n_rows() const { return origins_.size(); }
  /// The columns, in file order (a joined table: the left table's, then the right's).
  const std::vector<Column>& columns() const { return columns_; }
  /// Column names in order.
  std::vector<std::string> names() const;
  /// True if a column is called `name`.
  bool has(const std::string& name) const;
  /// The column called `name`. @throws core::InputError listing the columns if absent.
  const Column& column(const std::string& name) const;
  /// The files the rows came from (one for a read table, two after a join).
  const std::vector<std::string>& sources() const { return sources_; }
  /// The origin of row `row`.
  const RowOrigin& origin(std::size_t row) const { return origins_[row]; }

  /// Where row `row` is, for messages: "table.csv line 7" (the first source's line).
  std::string where(std::size_t row) const;
  /// Where cell (row, column) is, for messages: the column's own file and line, e.g.
  /// "covariates.csv line 4", or "table.csv line 7 (subject 'x' has no row in c.csv)".
  std::string where(std::size_t row, const Column& column) const;

  /// The rows in `keep` (ascending, each < n_rows()), in that order.
  Table subset(const std::vector<std::size_t>& keep) const;

  /// Left join: every row of `left`, with the columns of `right` (except `key`) taken from
  /// the row of `right` whose `key` cell equals the left row's. A left row whose key has no
  /// row in `right` gets missing cells (the reason is kept for messages). Rows of `right`
  /// that match no left row are ignored.
  /// @throws core::InputError if `key` is missing from either table, a key cell of `right`
  ///         is missing or repeated, or a column other than `key` is in both tables
  static Table left_join(const Table& left, const Table& right, const std::string& key);

 private:
  std::vector<Column> columns_;
  std::vector<std::string> sources_;
  std::vector<RowOrigin> origins_;
};

/// True if `cell` is one of the missing-value spellings: "", NA, N/A, NaN, nan, null.
bool is_missing_cell(const std::string& cell);

/// Read `cell` as a number (std::from_chars, general format; surrounding spaces and a
/// leading '+' allowed). Returns false, leaving `out` unspecified, if anything else is there.
bool parse_number(const std::string& cell, double& out);

/// Read a table from a CSV/TSV file (read_csv, then Table(csv)).
/// @throws core::InputError as read_csv
Table read_table(const std::filesystem::path& path);

}  // namespace spectralbrain::models
