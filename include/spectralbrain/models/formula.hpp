// Formula: the parsed form of a brms-style model formula such as
//
//   volume | se(volume_se) ~ 1 + age + sex + age:sex + (1 + age | site)
//
// Grammar (whitespace is free; names are [A-Za-z._][A-Za-z0-9._]* or `backquoted`):
//
//   formula     := response [ "|" "se" "(" name [ "," "sigma" "=" bool ] ")" ] "~" terms
//   terms       := [ "+" | "-" ] summand { ( "+" | "-" ) summand }
//   summand     := "0" | "1" | group | product
//   product     := interaction { "*" interaction }          a*b = a + b + a:b
//   interaction := variable { ":" variable }
//   variable    := name | "factor" "(" name ")"             factor(x): x is categorical
//   group       := "(" terms ( "|" | "||" ) grouping ")"    group terms only at top level
//   grouping    := factors { "/" factors }                  a/b = (… | a) + (… | a:b)
//   factors     := name { ":" name }
//   bool        := TRUE | FALSE | true | false
//
// "0", "- 1" and "+ 0" remove the intercept; "- term" removes a term. Terms are ordered as R
// orders them: by degree (main effects, then two-way interactions, ...), then as written.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

/// A column named in the formula.
struct FormulaVariable {
  std::string name;          ///< the column name
  bool as_factor = false;    ///< written factor(name): treat a numeric column as categorical
  std::size_t position = 0;  ///< 0-based offset of the name in the formula text
};

/// A population- or group-level term: one variable, or an interaction of several.
struct FormulaTerm {
  std::vector<FormulaVariable> variables;  ///< distinct names, in written order
  std::size_t position = 0;                ///< 0-based offset of the term

  /// "x", "x1:sex" (names joined by ':').
  std::string label() const;
  /// Number of variables (1 for a main effect).
  std::size_t degree() const { return variables.size(); }
};

/// The terms of one right-hand side (population level, or inside a group term).
struct TermList {
  bool intercept = true;           ///< false after "0", "- 1" or "+ 0"
  std::vector<FormulaTerm> terms;  ///< without the intercept; distinct; ordered by degree
};

/// A group term "(terms | grouping)": varying effects of `terms` by the levels of a
/// grouping factor (one column, or the interaction of several).
struct GroupSpec {
  TermList terms;
  std::vector<FormulaVariable> factors;  ///< the grouping columns (site, or site and sex)
  bool double_bar = false;               ///< written "||" (the same here: sds are independent)
  std::size_t position = 0;              ///< 0-based offset of the "("

  /// "site", or "site:sex" for an interaction.
  std::string name() const;
};

/// A parsed formula.
struct Formula {
  std::string text;                   ///< as given
  FormulaVariable response;           ///< left of "~"
  std::optional<FormulaVariable> se;  ///< se(column): known standard errors of the response
  bool se_sigma = false;              ///< se(s, sigma = TRUE): also estimate a residual sigma
  TermList population;                ///< population-level terms
  std::vector<GroupSpec> groups;      ///< group terms, in written order (a/b expanded)
};

/// Parse `text` by the grammar above.
/// @throws core::InputError (file "--formula", record "position P", 1-based) whose message
///         says what was expected, quotes the formula and points at the place with a caret
Formula parse_formula(std::string_view text);

/// The error used for formulas, also for errors found after parsing (an unknown column):
/// what() is "--formula: position P: problem", then the formula and a caret under offset
/// `at` (0-based; P = at + 1).
/// @return the exception to throw
core::InputError formula_error(std::string_view text, std::size_t at, const std::string& problem);

}  // namespace spectralbrain::models
