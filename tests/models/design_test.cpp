// Design matrices from formulas: numeric columns, treatment contrasts, R's coding rules for
// interactions and intercept-free models, group blocks, missing values, and input errors.
#include <gtest/gtest.h>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/models/design.hpp"

using namespace spectralbrain::models;
using spectralbrain::core::InputError;

namespace {

const char* kData =
    "subject,y,x,sex,site,s,grade\n"
    "a,1.0,0.5,F,B,1,3\n"
    "b,2.0,1.5,M,A,2,1\n"
    "c,2.5,2.0,F,C,1,2\n"
    "d,4.0,3.0,M,B,3,10\n"
    "e,3.5,1.0,M,A,1,2\n";

Table data() { return Table(parse_csv(kData, "d.csv")); }

Design design(const std::string& f, const Table& t = data(), bool drop = false) {
  return build_design(parse_formula(f), t, DesignOptions{drop});
}

std::vector<std::string> names(const std::vector<DesignColumn>& cols) {
  std::vector<std::string> out;
  for (const auto& c : cols) out.push_back(c.name);
  return out;
}

std::string error_of(const std::string& f, const Table& t = data()) {
  try {
    design(f, t);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Design, NumericAndContrasts) {
  const Design d = design("y ~ 1 + x + sex + x:sex");
  EXPECT_TRUE(d.intercept);
  EXPECT_EQ(d.n(), 5u);
  EXPECT_EQ(d.y, (std::vector<double>{1, 2, 2.5, 4, 3.5}));
  EXPECT_EQ(names(d.columns), (std::vector<std::string>{"x", "sexM", "x:sexM"}));
  EXPECT_EQ(d.columns[1].values, (std::vector<double>{0, 1, 0, 1, 1}));
  EXPECT_EQ(d.columns[2].values, (std::vector<double>{0, 1.5, 0, 3, 1}));
  ASSERT_EQ(d.factors.size(), 1u);
  EXPECT_EQ(d.factors[0].levels, (std::vector<std::string>{"F", "M"}));
  EXPECT_EQ(d.factors[0].reference, "F");
}

TEST(Design, NoInterceptCodesTheFirstFactorFully) {
  Design d = design("y ~ 0 + sex + site");
  EXPECT_FALSE(d.intercept);
  EXPECT_EQ(names(d.columns), (std::vector<std::string>{"sexF", "sexM", "siteB", "siteC"}));
  d = design("y ~ x - 1");
  EXPECT_EQ(names(d.columns), (std::vector<std::string>{"x"}));
}

TEST(Design, InteractionWithoutMarginIsCodedFully) {
  // x:sex without sex: the term without sex (x) is in the model, so contrasts; sex:site
  // with sex but not site: site is coded fully, sex by contrasts; R varies the first fastest.
  EXPECT_EQ(names(design("y ~ x + x:sex").columns), (std::vector<std::string>{"x", "x:sexM"}));
  EXPECT_EQ(names(design("y ~ sex:x").columns), (std::vector<std::string>{"sexF:x", "sexM:x"}));
  const Table all(parse_csv("y,sex,site\n1,F,A\n2,M,A\n3,F,B\n4,M,B\n5,F,C\n6,M,C\n", "all.csv"));
  EXPECT_EQ(
      names(design("y ~ sex + sex:site", all).columns),
      (std::vector<std::string>{"sexM", "sexF:siteB", "sexM:siteB", "sexF:siteC", "sexM:siteC"}));
}

TEST(Design, FactorOfANumericColumnSortsNumerically) {
  const Design d = design("y ~ factor(grade)");
  EXPECT_EQ(d.factors[0].levels, (std::vector<std::string>{"1", "2", "3", "10"}));
  EXPECT_EQ(names(d.columns), (std::vector<std::string>{"grade2", "grade3", "grade10"}));
}

TEST(Design, GroupBlocks) {
  const Design d = design("y ~ x + (1 + x | site) + (1 | sex)");
  ASSERT_EQ(d.groups.size(), 2u);
  const GroupBlock& g = d.groups[0];
  EXPECT_EQ(g.name, "site");
  EXPECT_EQ(g.levels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(g.level, (std::vector<std::size_t>{1, 0, 2, 1, 0}));
  EXPECT_EQ(names(g.terms), (std::vector<std::string>{"Intercept", "x"}));
  EXPECT_EQ(g.terms[1].values, (std::vector<double>{0.5, 1.5, 2.0, 3.0, 1.0}));
  EXPECT_EQ(d.groups[1].name, "sex");
}

TEST(Design, GroupingByInteractionAndRepeatedFactorsMerge) {
  Design d = design("y ~ 1 + (1 | sex:site)");
  EXPECT_EQ(d.groups[0].name, "sex:site");
  EXPECT_EQ(d.groups[0].levels, (std::vector<std::string>{"F_B", "F_C", "M_A", "M_B"}));
  d = design("y ~ 1 + (1 | site) + (0 + x | site)");
  ASSERT_EQ(d.groups.size(), 1u);
  EXPECT_EQ(names(d.groups[0].terms), (std::vector<std::string>{"Intercept", "x"}));
  EXPECT_NE(error_of("y ~ 1 + (1 | site) + (1 | site)").find("both called 'Intercept'"),
            std::string::npos);
}

TEST(Design, CategoricalSlopeInGroup) {
  const Design d = design("y ~ 1 + (1 + sex | site)");
  EXPECT_EQ(names(d.groups[0].terms), (std::vector<std::string>{"Intercept", "sexM"}));
}

TEST(Design, KnownStandardErrors) {
  const Design d = design("y | se(s) ~ 1");
  EXPECT_EQ(d.se, (std::vector<double>{1, 2, 1, 3, 1}));
  EXPECT_FALSE(d.se_sigma);
  EXPECT_NE(error_of("y | se(x) ~ 1", Table(parse_csv("y,x\n1,0\n", "z.csv")))
                .find("z.csv: line 2: column 'x': a standard error must be > 0"),
            std::string::npos);
}

TEST(Design, UnknownColumnNamesThePositionAndTheColumns) {
  const std::string e = error_of("y ~ x + agee");
  EXPECT_NE(e.find("--formula: position 9: no column 'agee' in the data (columns: subject, y, x, "
                   "sex, site, s, grade)"),
            std::string::npos)
      << e;
  EXPECT_NE(error_of("y ~ x + (1 | sitee)").find("position 14: no column 'sitee'"),
            std::string::npos);
}

TEST(Design, MissingValuesFailOrDrop) {
  const Table t(parse_csv("subject,y,x,g\na,1,2,u\nb,2,,u\nc,3,4,NA\nd,4,5,v\ne,5,1,v\n", "m.csv"));
  EXPECT_EQ(error_of("y ~ x", t),
            "m.csv: line 3: column 'x': missing value ('') (use --drop-missing to drop such rows)");
  EXPECT_EQ(
      error_of("y ~ 1 + (1 | g)", t),
      "m.csv: line 4: column 'g': missing value ('NA') (use --drop-missing to drop such rows)");
  const Design d = design("y ~ x + (1 | g)", t, true);
  EXPECT_EQ(d.n(), 3u);
  EXPECT_EQ(d.rows, (std::vector<std::size_t>{0, 3, 4}));
  ASSERT_EQ(d.dropped.size(), 2u);
  EXPECT_EQ(d.dropped[0], "m.csv line 3: column 'x': missing value ('')");
  // A column the formula does not use may have gaps.
  EXPECT_EQ(design("y ~ 1 + (1 | g)", Table(parse_csv("y,x,g\n1,,u\n2,,v\n", "n.csv"))).n(), 2u);
}

TEST(Design, MissingCovariatesNameTheSubject) {
  const Table left(parse_csv("subject,y\na,1\nb,2\n", "cohort.csv"));
  const Table right(parse_csv("subject,age\na,30\n", "cov.csv"));
  const Table t = Table::left_join(left, right, "subject");
  EXPECT_EQ(error_of("y ~ age", t),
            "cohort.csv: line 3 (subject 'b' has no row in cov.csv): column 'age': missing "
            "value (use --drop-missing to drop such rows)");
}

TEST(Design, TypeErrors) {
  EXPECT_NE(
      error_of("sex ~ x").find("the response 'sex' must be numeric, but d.csv line 2 has 'F'"),
      std::string::npos);
  EXPECT_NE(error_of("y ~ x", Table(parse_csv("y,x\n1,2\n2,inf\n", "i.csv")))
                .find("i.csv: line 3: column 'x': 'inf' is not a finite number"),
            std::string::npos);
  EXPECT_NE(error_of("y ~ sex", Table(parse_csv("y,sex\n1,F\n2,F\n", "f.csv")))
                .find("'sex' has a single level ('F')"),
            std::string::npos);
  EXPECT_NE(error_of("y ~ x", Table(parse_csv("y,x\n1,2\n2,2\n", "c.csv")))
                .find("'x' is the same (2) in every row used"),
            std::string::npos);
  // An interaction column without any non-zero entry says nothing: an error, not a silent 0.
  EXPECT_NE(error_of("y ~ sex + sex:site").find("'sexM:siteC' is zero in every row used"),
            std::string::npos);
}

TEST(Design, AColumnCalledInterceptIsAmbiguous) {
  const Table t(parse_csv("y,Intercept\n1,2\n2,3\n3,5\n", "i.csv"));
  EXPECT_NE(error_of("y ~ Intercept", t).find("position 5: a column called 'Intercept'"),
            std::string::npos);
  EXPECT_EQ(design("y ~ 0 + Intercept", t).columns[0].name, "Intercept");
}

TEST(Design, CleanNames) {
  EXPECT_EQ(clean_name("Left-Hippocampus"), "LeftHippocampus");
  EXPECT_EQ(clean_name("a b/c_d.e"), "abc_d.e");
}
