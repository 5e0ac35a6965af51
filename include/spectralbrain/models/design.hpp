// Design: a formula applied to a table — the response, its known standard errors, the
// population-level design matrix and the group-level blocks, with brms's coefficient names.
//
// Coding of categorical variables (R's model.matrix rules, treatment contrasts):
//  - levels are the distinct values in the rows used, sorted (numerically for a numeric
//    column written factor(x), else by byte order); the reference level is the first;
//  - a categorical variable in a term is coded by treatment contrasts (one 0/1 column per
//    non-reference level) when the term without it is in the model earlier (the intercept
//    counts as the empty term), and by one indicator per level otherwise; without an
//    intercept, the first categorical variable of the first term that has one gets one
//    indicator per level (so `0 + sex` estimates a mean per sex);
//  - an interaction's columns are the products of its variables' columns, the first
//    variable varying fastest, named "x:sexM".
// Coefficient names follow brms: variable name + level with characters other than
// letters, digits, '_' and '.' removed ("sex" level "M" → "sexM").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "spectralbrain/models/formula.hpp"
#include "spectralbrain/models/table.hpp"

namespace spectralbrain::models {

/// A column of a design matrix.
struct DesignColumn {
  std::string name;            ///< coefficient name without class prefix: "x1", "sexM", "x1:sexM"
  std::vector<double> values;  ///< n values
};

/// How a categorical variable was coded.
struct FactorCoding {
  std::string variable;             ///< the column
  std::vector<std::string> levels;  ///< sorted levels present in the rows used
  std::string reference;            ///< the reference level (first), used for contrasts
};

/// The group-level effects of one grouping factor: r[level, term] = sd[term]·z[level, term].
struct GroupBlock {
  std::string name;                 ///< "site", or "site:sex" for an interaction
  std::vector<std::string> levels;  ///< sorted; interaction levels joined by '_'
  std::vector<std::size_t> level;   ///< per row, index into levels
  std::vector<DesignColumn> terms;  ///< "Intercept" (all ones), "x", "sexM", ...
};

/// The data of a regression, ready for the model.
struct Design {
  std::string response;               ///< the response column
  std::vector<double> y;              ///< n responses
  std::string se_name;                ///< the se() column, empty if none
  std::vector<double> se;             ///< n known standard errors (> 0), empty if none
  bool se_sigma = false;              ///< se(…, sigma = TRUE)
  bool intercept = true;              ///< population-level intercept
  std::vector<DesignColumn> columns;  ///< population-level columns, without the intercept
  std::vector<GroupBlock> groups;     ///< one per grouping factor
  std::vector<FactorCoding> factors;  ///< categorical variables used, in first-use order
  std::vector<std::size_t> rows;      ///< the table rows used (after dropping)
  std::vector<std::string> dropped;   ///< dropped rows: "table.csv line 7: column 'age' is missing"

  /// Number of observations.
  std::size_t n() const { return y.size(); }
};

/// What to do with rows that have a missing value in a column the formula uses.
struct DesignOptions {
  bool drop_missing = false;  ///< drop them (listed in Design::dropped) instead of failing
};

/// Build the design of `formula` on `table`.
/// @throws core::InputError: a column the formula names is not in the table (formula
///         position and the list of columns); a missing cell in a used column unless
///         options.drop_missing (naming the file, line and column); no rows left; a
///         non-numeric or non-finite response, se or numeric predictor (naming the cell);
///         an se that is not > 0; a categorical variable with a single level; a grouping
///         factor used twice with the same term; two coefficients with the same name
Design build_design(const Formula& formula, const Table& table, const DesignOptions& options = {});

/// brms's cleaning of a coefficient name part: keeps letters, digits, '_' and '.'.
std::string clean_name(const std::string& s);

}  // namespace spectralbrain::models
