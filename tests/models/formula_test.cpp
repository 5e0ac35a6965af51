// The formula parser: terms, expansion, intercept removal, group terms, se(), and errors
// that point at the place in the formula.
#include <gtest/gtest.h>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/models/formula.hpp"

using namespace spectralbrain::models;
using spectralbrain::core::InputError;

namespace {

std::vector<std::string> labels(const TermList& t) {
  std::vector<std::string> out;
  for (const auto& term : t.terms) out.push_back(term.label());
  return out;
}

// The InputError of parsing `f` (record and message), or "" if it parses.
std::string error_of(const std::string& f) {
  try {
    parse_formula(f);
  } catch (const InputError& e) {
    return e.record() + ": " + e.problem();
  }
  return "";
}

}  // namespace

TEST(Formula, PopulationTerms) {
  const Formula f = parse_formula("y ~ 1 + x1 + x2 + sex + x1:sex");
  EXPECT_EQ(f.response.name, "y");
  EXPECT_TRUE(f.population.intercept);
  EXPECT_EQ(labels(f.population), (std::vector<std::string>{"x1", "x2", "sex", "x1:sex"}));
  EXPECT_FALSE(f.se);
  EXPECT_TRUE(f.groups.empty());
}

TEST(Formula, OrderedByDegreeAndDeduplicated) {
  const Formula f = parse_formula("y ~ x1:sex + x1 + sex:x1 + sex + x1");
  EXPECT_EQ(labels(f.population), (std::vector<std::string>{"x1", "sex", "x1:sex"}));
}

TEST(Formula, Products) {
  EXPECT_EQ(labels(parse_formula("y ~ a*b").population),
            (std::vector<std::string>{"a", "b", "a:b"}));
  EXPECT_EQ(labels(parse_formula("y ~ a*b*c").population),
            (std::vector<std::string>{"a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"}));
  EXPECT_EQ(labels(parse_formula("y ~ a*b - a:b").population),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(labels(parse_formula("y ~ x:x").population), (std::vector<std::string>{"x"}));
}

TEST(Formula, InterceptRemoval) {
  EXPECT_FALSE(parse_formula("y ~ 0 + x").population.intercept);
  EXPECT_FALSE(parse_formula("y ~ x - 1").population.intercept);
  EXPECT_FALSE(parse_formula("y ~ -1 + x").population.intercept);
  EXPECT_FALSE(parse_formula("y ~ x + 0").population.intercept);
  EXPECT_TRUE(parse_formula("y ~ x").population.intercept);
  EXPECT_TRUE(parse_formula("y ~ 0 + x + 1").population.intercept);
  const Formula f = parse_formula("y ~ 1");
  EXPECT_TRUE(f.population.intercept);
  EXPECT_TRUE(f.population.terms.empty());
}

TEST(Formula, FactorAndBackquotes) {
  const Formula f = parse_formula("`my y` ~ factor(site) + `ev 1`");
  EXPECT_EQ(f.response.name, "my y");
  ASSERT_EQ(f.population.terms.size(), 2u);
  EXPECT_TRUE(f.population.terms[0].variables[0].as_factor);
  EXPECT_EQ(f.population.terms[0].variables[0].name, "site");
  EXPECT_EQ(f.population.terms[1].variables[0].name, "ev 1");
}

TEST(Formula, GroupTerms) {
  const Formula f = parse_formula("y ~ x + (1 | site) + (0 + x || subject) + (x | a:b)");
  EXPECT_EQ(labels(f.population), (std::vector<std::string>{"x"}));
  ASSERT_EQ(f.groups.size(), 3u);
  EXPECT_EQ(f.groups[0].name(), "site");
  EXPECT_TRUE(f.groups[0].terms.intercept);
  EXPECT_TRUE(f.groups[0].terms.terms.empty());
  EXPECT_EQ(f.groups[1].name(), "subject");
  EXPECT_FALSE(f.groups[1].terms.intercept);
  EXPECT_TRUE(f.groups[1].double_bar);
  EXPECT_EQ(labels(f.groups[1].terms), (std::vector<std::string>{"x"}));
  EXPECT_EQ(f.groups[2].name(), "a:b");
  EXPECT_TRUE(f.groups[2].terms.intercept);  // (x | g) keeps the intercept, as in R
  EXPECT_EQ(f.groups[2].position, 42u);      // offset of its '('
}

TEST(Formula, NestedGrouping) {
  const Formula f = parse_formula("y ~ 1 + (1 | site/scanner)");
  ASSERT_EQ(f.groups.size(), 2u);
  EXPECT_EQ(f.groups[0].name(), "site");
  EXPECT_EQ(f.groups[1].name(), "site:scanner");
}

TEST(Formula, KnownStandardErrors) {
  Formula f = parse_formula("y | se(sigma) ~ 1 + (1 | school)");
  ASSERT_TRUE(f.se);
  EXPECT_EQ(f.se->name, "sigma");
  EXPECT_FALSE(f.se_sigma);
  f = parse_formula("y | se(s, sigma = TRUE) ~ x");
  EXPECT_TRUE(f.se_sigma);
}

TEST(Formula, ErrorsPointAtThePlace) {
  EXPECT_EQ(error_of("y ~ x + )"),
            "position 9: expected a term (a column name, 0, 1 or a group "
            "term), found ')'\n    y ~ x + )\n            ^");
  EXPECT_NE(error_of("y x").find("position 3: expected '~' after the response, found 'x'"),
            std::string::npos);
  EXPECT_NE(error_of("~ x").find("position 1: a formula starts with the response"),
            std::string::npos);
  EXPECT_NE(error_of("y ~").find("position 4: nothing after '~'"), std::string::npos);
  EXPECT_NE(error_of("y ~ x | g").find("position 7: '|' outside parentheses"), std::string::npos);
  EXPECT_NE(error_of("y ~ (1 | g")
                .find("position 11: expected ')' to close the group term "
                      "opened at position 5"),
            std::string::npos);
  EXPECT_NE(error_of("y ~ (1 + x)").find("a group term needs '| grouping'"), std::string::npos);
  EXPECT_NE(error_of("y ~ log(x)").find("position 5: function 'log' is not supported"),
            std::string::npos);
  EXPECT_NE(error_of("y ~ 2 + x").find("can only be 0 or 1"), std::string::npos);
  EXPECT_NE(error_of("y ~ x $ z").find("position 7: unexpected character '$'"), std::string::npos);
  EXPECT_NE(error_of("y | weights(w) ~ x").find("only se() is supported"), std::string::npos);
  EXPECT_NE(error_of("y ~ x + ((1 | g) | h)").find("cannot be nested"), std::string::npos);
  EXPECT_NE(error_of("y ~ x - (1 | g)").find("cannot be removed"), std::string::npos);
  EXPECT_NE(error_of("y ~ x + `abc").find("never closed"), std::string::npos);
  EXPECT_NE(error_of("y ~ x y").find("expected '+' or '-' between terms, found 'y'"),
            std::string::npos);
}

TEST(Formula, ErrorIsAnInputErrorOnTheFormulaOption) {
  try {
    parse_formula("y ~ x +");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "--formula");
    EXPECT_EQ(e.record(), "position 8");
  }
}
