// Typed columns from CSV cells, the join by subject, and row provenance for messages.
#include "spectralbrain/models/table.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

using core::cat;
using core::InputError;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

bool parse_number(const std::string& cell, double& out) {
  std::size_t b = 0, e = cell.size();
  while (b < e && cell[b] == ' ') ++b;
  while (e > b && cell[e - 1] == ' ') --e;
  if (b == e) return false;
  const char* first = cell.data() + b;
  if (*first == '+') ++first;  // from_chars rejects a leading '+'
  const auto [ptr, ec] = std::from_chars(first, cell.data() + e, out);
  return ec == std::errc() && ptr == cell.data() + e;
}

bool is_missing_cell(const std::string& cell) {
  static const std::set<std::string> spellings = {"", "NA", "N/A", "NaN", "nan", "null"};
  return spellings.count(cell) > 0;
}

Table::Table(const CsvFile& csv) {
  sources_.push_back(csv.path);
  origins_.reserve(csv.records.size());
  for (std::size_t line : csv.lines) origins_.push_back(RowOrigin{{line}});
  const std::size_t n = csv.records.size();
  for (std::size_t j = 0; j < csv.header.size(); ++j) {
    Column c;
    c.name = csv.header[j];
    c.text.resize(n);
    c.values.assign(n, nan);
    c.missing.assign(n, false);
    c.reason.resize(n);
    c.numeric = true;
    for (std::size_t i = 0; i < n; ++i) {
      c.text[i] = csv.records[i][j];
      if (is_missing_cell(c.text[i])) {
        c.missing[i] = true;
        continue;
      }
      double v = 0;
      if (parse_number(c.text[i], v))
        c.values[i] = v;
      else
        c.numeric = false;
    }
    if (!c.numeric) c.values.assign(n, nan);
    columns_.push_back(std::move(c));
  }
}

std::vector<std::string> Table::names() const {
  std::vector<std::string> out;
  for (const auto& c : columns_) out.push_back(c.name);
  return out;
}

bool Table::has(const std::string& name) const {
  for (const auto& c : columns_)
    if (c.name == name) return true;
  return false;
}

const Column& Table::column(const std::string& name) const {
  for (const auto& c : columns_)
    if (c.name == name) return c;
  std::string list;
  for (const auto& c : columns_) list += (list.empty() ? "" : ", ") + c.name;
  throw InputError(sources_.empty() ? "data" : sources_.front(), "",
                   cat("no column '", name, "' (columns: ", list, ")"));
}

std::string Table::where(std::size_t row) const {
  if (sources_.empty()) return cat("row ", row + 1);
  return cat(sources_.front(), " line ", origins_[row].lines.front());
}

std::string Table::where(std::size_t row, const Column& column) const {
  if (!column.reason[row].empty()) return cat(where(row), " (", column.reason[row], ")");
  if (column.source >= sources_.size()) return where(row);
  return cat(sources_[column.source], " line ", origins_[row].lines[column.source]);
}

Table Table::subset(const std::vector<std::size_t>& keep) const {
  Table t;
  t.sources_ = sources_;
  for (std::size_t i : keep) t.origins_.push_back(origins_.at(i));
  for (const auto& c : columns_) {
    Column s;
    s.name = c.name;
    s.numeric = c.numeric;
    s.source = c.source;
    for (std::size_t i : keep) {
      s.text.push_back(c.text[i]);
      s.values.push_back(c.values[i]);
      s.missing.push_back(c.missing[i]);
      s.reason.push_back(c.reason[i]);
    }
    t.columns_.push_back(std::move(s));
  }
  return t;
}

Table Table::left_join(const Table& left, const Table& right, const std::string& key) {
  const std::string& right_file = right.sources_.empty() ? "covariates" : right.sources_.front();
  if (!left.has(key))
    throw InputError(left.sources_.empty() ? "data" : left.sources_.front(), "header",
                     cat("no '", key, "' column to join the covariates by"));
  if (!right.has(key)) throw InputError(right_file, "header", cat("no '", key, "' column"));
  for (const auto& c : right.columns_)
    if (c.name != key && left.has(c.name))
      throw InputError(
          right_file, "header",
          cat("column '", c.name, "' is also in ",
              left.sources_.empty() ? "the data" : left.sources_.front(), " (rename one of them)"));

  const Column& rkey = right.column(key);
  std::map<std::string, std::size_t> row_of;
  for (std::size_t i = 0; i < right.n_rows(); ++i) {
    if (rkey.missing[i])
      throw InputError(right_file, cat("line ", right.origins_[i].lines[0]),
                       cat("the '", key, "' cell is empty"));
    const auto [it, added] = row_of.emplace(rkey.text[i], i);
    if (!added)
      throw InputError(right_file, cat("line ", right.origins_[i].lines[0]),
                       cat(key, " '", rkey.text[i], "' already has a row (line ",
                           right.origins_[it->second].lines[0], ")"));
  }

  Table t = left;
  const std::size_t right_source = t.sources_.size();
  t.sources_.insert(t.sources_.end(), right.sources_.begin(), right.sources_.end());
  const Column& lkey = left.column(key);
  std::vector<long> match(left.n_rows(), -1);
  for (std::size_t i = 0; i < left.n_rows(); ++i) {
    const auto it = row_of.find(lkey.text[i]);
    if (it != row_of.end()) match[i] = static_cast<long>(it->second);
    for (std::size_t s = 0; s < right.sources_.size(); ++s)
      t.origins_[i].lines.push_back(match[i] >= 0 ? right.origins_[match[i]].lines[s] : 0);
  }
  for (const auto& rc : right.columns_) {
    if (rc.name == key) continue;
    Column c;
    c.name = rc.name;
    c.source = right_source + rc.source;
    for (std::size_t i = 0; i < left.n_rows(); ++i) {
      if (match[i] >= 0) {
        const auto r = static_cast<std::size_t>(match[i]);
        c.text.push_back(rc.text[r]);
        c.values.push_back(rc.values[r]);
        c.missing.push_back(rc.missing[r]);
        c.reason.push_back(rc.reason[r]);
      } else {
        c.text.emplace_back();
        c.values.push_back(nan);
        c.missing.push_back(true);
        c.reason.push_back(cat(key, " '", lkey.text[i], "' has no row in ", right_file));
      }
    }
    // The type is the right table's: a subject without covariates does not change it.
    c.numeric = rc.numeric;
    t.columns_.push_back(std::move(c));
  }
  return t;
}

Table read_table(const std::filesystem::path& path) { return Table(read_csv(path)); }

}  // namespace spectralbrain::models
