// From a formula and a table to design matrices: which rows, which columns, how each
// categorical variable is coded, and the errors a user can act on.
#include "spectralbrain/models/design.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

using core::cat;
using core::InputError;

namespace {

// An error about one cell: its own file and line, the column, and the problem.
InputError cell_error(const Table& t, std::size_t row, const Column& c,
                      const std::string& problem) {
  const std::string what = cat("column '", c.name, "': ", problem);
  const auto& lines = t.origin(row).lines;
  if (!c.reason[row].empty() || c.source >= t.sources().size())
    return InputError(
        t.sources().empty() ? "data" : t.sources().front(),
        cat("line ", lines.front(), c.reason[row].empty() ? "" : " (" + c.reason[row] + ")"), what);
  return InputError(t.sources()[c.source], cat("line ", lines[c.source]), what);
}

// The used columns, each with where the formula first names it.
struct Use {
  std::string name;
  std::size_t position;
};

void collect(const TermList& list, std::vector<Use>& uses) {
  for (const auto& t : list.terms)
    for (const auto& v : t.variables) uses.push_back({v.name, v.position});
}

// Categorical levels of a column over the rows used: sorted numerically when the column is
// numeric (written factor(x)), else by bytes.
std::vector<std::string> levels_of(const Column& c) {
  std::vector<std::string> levels(c.text.begin(), c.text.end());
  if (c.numeric) {
    std::vector<std::pair<double, std::string>> v;
    for (std::size_t i = 0; i < c.text.size(); ++i) v.emplace_back(c.values[i], c.text[i]);
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    levels.clear();
    for (auto& [x, s] : v) levels.push_back(s);
    return levels;
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

/// Builds the columns of term lists over one (already subset) table.
class Coder {
 public:
  Coder(const Formula& f, const Table& t, Design& d) : formula_(f), table_(t), design_(d) {}

  bool categorical(const FormulaVariable& v) const {
    return v.as_factor || !table_.column(v.name).numeric;
  }

  const FactorCoding& factor(const FormulaVariable& v) {
    for (const auto& f : design_.factors)
      if (f.variable == v.name) return f;
    FactorCoding f;
    f.variable = v.name;
    f.levels = levels_of(table_.column(v.name));
    f.reference = f.levels.front();
    design_.factors.push_back(std::move(f));
    return design_.factors.back();
  }

  // The columns of a variable: numeric → itself; categorical → indicators of its levels
  // (all, or all but the reference for treatment contrasts).
  std::vector<DesignColumn> variable_columns(const FormulaVariable& v, bool contrasts) {
    const Column& c = table_.column(v.name);
    const std::size_t n = table_.n_rows();
    if (!categorical(v)) {
      for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(c.values[i]))
          throw cell_error(table_, i, c, cat("'", c.text[i], "' is not a finite number"));
      return {DesignColumn{v.name, c.values}};
    }
    const FactorCoding& f = factor(v);
    if (contrasts && f.levels.size() < 2)
      throw formula_error(formula_.text, v.position,
                          cat("'", v.name, "' has a single level ('", f.levels.front(),
                              "') in the rows used, so it has no contrast to estimate"));
    std::vector<DesignColumn> out;
    for (std::size_t l = contrasts ? 1 : 0; l < f.levels.size(); ++l) {
      DesignColumn col{v.name + clean_name(f.levels[l]), std::vector<double>(n, 0.0)};
      for (std::size_t i = 0; i < n; ++i) col.values[i] = c.text[i] == f.levels[l] ? 1.0 : 0.0;
      out.push_back(std::move(col));
    }
    return out;
  }

  // The columns of a term list, by R's coding rules (see design.hpp).
  std::vector<DesignColumn> code(const TermList& list) {
    std::vector<std::set<std::string>> present;
    for (const auto& t : list.terms) {
      std::set<std::string> k;
      for (const auto& v : t.variables) k.insert(v.name);
      present.push_back(std::move(k));
    }
    bool full_used = list.intercept;  // the no-intercept rule has been applied
    std::vector<DesignColumn> out;
    for (std::size_t ti = 0; ti < list.terms.size(); ++ti) {
      const FormulaTerm& term = list.terms[ti];
      std::vector<DesignColumn> cols{DesignColumn{"", std::vector<double>(table_.n_rows(), 1.0)}};
      for (const auto& v : term.variables) {
        bool contrasts = true;
        if (categorical(v)) {
          std::set<std::string> margin = present[ti];
          margin.erase(v.name);
          if (!full_used) {
            contrasts = false;
            full_used = true;
          } else if (!margin.empty()) {
            contrasts =
                std::find(present.begin(), present.begin() + ti, margin) != present.begin() + ti;
          }
        }
        const auto vcols = variable_columns(v, contrasts);
        std::vector<DesignColumn> next;  // first variable varies fastest
        for (const auto& b : vcols)
          for (const auto& a : cols) {
            DesignColumn p{a.name.empty() ? b.name : a.name + ":" + b.name, a.values};
            for (std::size_t i = 0; i < p.values.size(); ++i) p.values[i] *= b.values[i];
            next.push_back(std::move(p));
          }
        cols = std::move(next);
      }
      for (auto& c : cols) out.push_back(std::move(c));
    }
    return out;
  }

 private:
  const Formula& formula_;
  const Table& table_;
  Design& design_;
};

void check_unique(const std::vector<DesignColumn>& cols, const std::string& what, const Formula& f,
                  std::size_t position) {
  std::set<std::string> seen;
  for (const auto& c : cols)
    if (!seen.insert(c.name).second)
      throw formula_error(f.text, position,
                          cat("two ", what, " coefficients are both called '", c.name,
                              "' (level names that differ only in punctuation?)"));
}

}  // namespace

std::string clean_name(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
        static_cast<unsigned char>(c) >= 0x80)
      out += c;
  return out;
}

Design build_design(const Formula& formula, const Table& full, const DesignOptions& options) {
  // Every column the formula names must exist.
  std::vector<Use> uses{{formula.response.name, formula.response.position}};
  if (formula.se) uses.push_back({formula.se->name, formula.se->position});
  collect(formula.population, uses);
  for (const auto& g : formula.groups) {
    collect(g.terms, uses);
    for (const auto& v : g.factors) uses.push_back({v.name, v.position});
  }
  std::vector<std::string> used;
  for (const auto& u : uses) {
    if (!full.has(u.name)) {
      std::string list;
      for (const auto& n : full.names()) list += (list.empty() ? "" : ", ") + n;
      throw formula_error(formula.text, u.position,
                          cat("no column '", u.name, "' in the data (columns: ", list, ")"));
    }
    if (std::find(used.begin(), used.end(), u.name) == used.end()) used.push_back(u.name);
  }

  // Rows with a missing value in a used column: an error, or dropped.
  Design d;
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < full.n_rows(); ++i) {
    const Column* gap = nullptr;
    for (const auto& name : used) {
      const Column& c = full.column(name);
      if (c.missing[i]) {
        gap = &c;
        break;
      }
    }
    if (!gap) {
      keep.push_back(i);
      continue;
    }
    const std::string problem =
        gap->reason[i].empty() ? cat("missing value ('", gap->text[i], "')") : "missing value";
    if (!options.drop_missing)
      throw cell_error(full, i, *gap, problem + " (use --drop-missing to drop such rows)");
    d.dropped.push_back(cat(full.where(i, *gap), ": column '", gap->name, "': ", problem));
  }
  if (keep.empty())
    throw InputError(full.sources().empty() ? "data" : full.sources().front(), "",
                     full.n_rows() == 0 ? "no data rows"
                                        : "no rows left after dropping rows with missing values");
  const Table table = full.subset(keep);
  d.rows = keep;
  const std::size_t n = table.n_rows();

  // Response and standard errors.
  auto numeric = [&](const FormulaVariable& v, const char* role) {
    const Column& c = table.column(v.name);
    if (v.as_factor)
      throw formula_error(formula.text, v.position, cat("the ", role, " cannot be factor()"));
    if (!c.numeric) {
      std::size_t bad = 0;
      double x = 0;
      while (bad + 1 < n && parse_number(c.text[bad], x)) ++bad;
      throw formula_error(formula.text, v.position,
                          cat("the ", role, " '", v.name, "' must be numeric, but ",
                              table.where(bad, c), " has '", c.text[bad], "'"));
    }
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(c.values[i]))
        throw cell_error(table, i, c, cat("'", c.text[i], "' is not a finite number"));
    return c.values;
  };
  d.response = formula.response.name;
  d.y = numeric(formula.response, "response");
  if (formula.se) {
    d.se_name = formula.se->name;
    d.se = numeric(*formula.se, "se() column");
    const Column& c = table.column(d.se_name);
    for (std::size_t i = 0; i < n; ++i)
      if (!(d.se[i] > 0))
        throw cell_error(table, i, c, cat("a standard error must be > 0, not ", c.text[i]));
    d.se_sigma = formula.se_sigma;
  }

  // Population level.
  Coder coder(formula, table, d);
  d.intercept = formula.population.intercept;
  d.columns = coder.code(formula.population);
  check_unique(d.columns, "population-level", formula, 0);
  for (const auto& t : formula.population.terms)
    if (d.intercept && t.label() == "Intercept")
      throw formula_error(formula.text, t.position,
                          "a column called 'Intercept' would share b_Intercept with the "
                          "intercept; rename the column or drop the intercept");
  for (const auto& c : d.columns) {
    const bool all_zero =
        std::all_of(c.values.begin(), c.values.end(), [](double x) { return x == 0; });
    const bool constant = std::all_of(c.values.begin(), c.values.end(),
                                      [&](double x) { return x == c.values.front(); });
    if (all_zero)
      throw InputError("--formula", "",
                       cat("the column of coefficient '", c.name,
                           "' is zero in every row used, so the data say "
                           "nothing about it; remove the term"));
    if (constant && d.intercept && n > 1)
      throw InputError("--formula", "",
                       cat("'", c.name, "' is the same (", c.values.front(),
                           ") in every row used, so it cannot be told apart "
                           "from the intercept; remove the term"));
  }

  // Group level: one block per grouping factor (terms of repeated factors merged).
  for (const auto& g : formula.groups) {
    const std::string name = g.name();
    if (g.terms.terms.empty() && !g.terms.intercept)
      throw formula_error(formula.text, g.position, "a group term without any term");
    auto it = std::find_if(d.groups.begin(), d.groups.end(),
                           [&](const GroupBlock& b) { return b.name == name; });
    if (it == d.groups.end()) {
      GroupBlock b;
      b.name = name;
      std::vector<std::string> label(n);
      for (std::size_t k = 0; k < g.factors.size(); ++k) {
        const Column& c = table.column(g.factors[k].name);
        for (std::size_t i = 0; i < n; ++i) label[i] += (k ? "_" : "") + c.text[i];
      }
      if (g.factors.size() == 1)
        b.levels = levels_of(table.column(g.factors[0].name));
      else {
        b.levels = label;
        std::sort(b.levels.begin(), b.levels.end());
        b.levels.erase(std::unique(b.levels.begin(), b.levels.end()), b.levels.end());
      }
      std::map<std::string, std::size_t> index;
      for (std::size_t l = 0; l < b.levels.size(); ++l) index[b.levels[l]] = l;
      for (const auto& s : label) b.level.push_back(index.at(s));
      d.groups.push_back(std::move(b));
      it = d.groups.end() - 1;
    }
    if (g.terms.intercept)
      it->terms.push_back(DesignColumn{"Intercept", std::vector<double>(n, 1.0)});
    for (auto& c : coder.code(g.terms)) it->terms.push_back(std::move(c));
    check_unique(it->terms, cat("group-level (", name, ")"), formula, g.position);
  }
  return d;
}

}  // namespace spectralbrain::models
