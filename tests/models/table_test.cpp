// The CSV reader and the typed table: quoting, line ends, strict errors that name the file
// and line, type detection, missing cells and the join by subject.
#include <gtest/gtest.h>

#include <cmath>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/models/csv.hpp"
#include "spectralbrain/models/table.hpp"

using namespace spectralbrain::models;
using spectralbrain::core::InputError;

namespace {

// The message of the InputError that `f` throws ("" if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Csv, QuotesCrlfAndBom) {
  const auto csv = parse_csv(
      "\xEF\xBB\xBFsubject,note,x\r\n"
      "s1,\"a, b\",1\r\n"
      "\"s2\",\"say \"\"hi\"\"\",2\r\n"
      "s3,\"two\nlines\",3\r\n"
      "\r\n",
      "t.csv");
  ASSERT_EQ(csv.header, (std::vector<std::string>{"subject", "note", "x"}));
  ASSERT_EQ(csv.records.size(), 3u);
  EXPECT_EQ(csv.records[0][1], "a, b");
  EXPECT_EQ(csv.records[1][0], "s2");
  EXPECT_EQ(csv.records[1][1], "say \"hi\"");
  EXPECT_EQ(csv.records[2][1], "two\nlines");
  EXPECT_EQ(csv.lines, (std::vector<std::size_t>{2, 3, 4}));
}

TEST(Csv, EmptyCellsAndNoFinalNewline) {
  const auto csv = parse_csv("a,b\n,\n1,", "t.csv");
  ASSERT_EQ(csv.records.size(), 2u);
  EXPECT_EQ(csv.records[0], (std::vector<std::string>{"", ""}));
  EXPECT_EQ(csv.records[1], (std::vector<std::string>{"1", ""}));
}

TEST(Csv, Tabs) {
  const auto csv = parse_csv("a\tb\n1\t2\n", "t.tsv", '\t');
  EXPECT_EQ(csv.records[0], (std::vector<std::string>{"1", "2"}));
}

TEST(Csv, StrictErrorsNameFileAndLine) {
  EXPECT_EQ(error_of([] { parse_csv("", "t.csv"); }), "t.csv: the file is empty (no header row)");
  EXPECT_EQ(error_of([] { parse_csv("a,,c\n", "t.csv"); }), "t.csv: header: column 2 has no name");
  EXPECT_EQ(error_of([] { parse_csv("a,a\n", "t.csv"); }),
            "t.csv: header: two columns are called 'a'");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n1,2\n3\n", "t.csv"); }),
            "t.csv: line 3: 1 cells, but the header has 2 columns");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n1,\"2\n", "t.csv"); }),
            "t.csv: line 2: a quoted cell is never closed");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n1,\"2\"x\n", "t.csv"); }),
            "t.csv: line 2: text after the closing quote of a cell: 'x'");
  EXPECT_NE(error_of([] { parse_csv("a,b\n1,2\"\n", "t.csv"); }).find("line 2: a quote inside"),
            std::string::npos);
  EXPECT_NE(error_of([] { read_csv("/nonexistent/x.csv"); }).find("cannot be opened"),
            std::string::npos);
}

TEST(Table, TypesAndMissing) {
  const Table t(
      parse_csv("subject,age,sex,score\ns1,30,F,1.5\ns2,NA,M,\ns3, 41 ,F,+2e1\n", "t.csv"));
  ASSERT_EQ(t.n_rows(), 3u);
  EXPECT_FALSE(t.column("subject").numeric);
  EXPECT_TRUE(t.column("age").numeric);
  EXPECT_FALSE(t.column("sex").numeric);
  EXPECT_TRUE(t.column("score").numeric);
  EXPECT_TRUE(t.column("age").missing[1]);
  EXPECT_TRUE(t.column("score").missing[1]);
  EXPECT_DOUBLE_EQ(t.column("age").values[2], 41);
  EXPECT_DOUBLE_EQ(t.column("score").values[2], 20);
  EXPECT_TRUE(std::isnan(t.column("sex").values[0]));
  EXPECT_EQ(t.where(2), "t.csv line 4");
  EXPECT_NE(error_of([&] { t.column("agee"); }).find("no column 'agee' (columns: subject, age"),
            std::string::npos);
}

TEST(Table, LeftJoinBySubject) {
  const Table left(
      parse_csv("subject,structure,area\ns1,lh,10\ns2,lh,11\ns1,rh,12\ns9,lh,13\n", "cohort.csv"));
  const Table right(parse_csv("subject,age,site\ns2,40,B\ns1,30,A\ns3,50,C\n", "cov.csv"));
  const Table t = Table::left_join(left, right, "subject");
  ASSERT_EQ(t.n_rows(), 4u);
  EXPECT_EQ(t.names(), (std::vector<std::string>{"subject", "structure", "area", "age", "site"}));
  EXPECT_EQ(t.column("age").values[0], 30);
  EXPECT_EQ(t.column("age").values[1], 40);
  EXPECT_EQ(t.column("site").text[2], "A");
  EXPECT_TRUE(t.column("age").missing[3]);
  EXPECT_EQ(t.where(1, t.column("age")), "cov.csv line 2");
  EXPECT_EQ(t.where(3, t.column("age")), "cohort.csv line 5 (subject 's9' has no row in cov.csv)");
  EXPECT_TRUE(t.column("age").numeric);

  const Table sub = t.subset({1, 2});
  EXPECT_EQ(sub.n_rows(), 2u);
  EXPECT_EQ(sub.column("site").text[1], "A");
  EXPECT_EQ(sub.where(1, sub.column("age")), "cov.csv line 3");
}

TEST(Table, JoinErrors) {
  const Table left(parse_csv("subject,area\ns1,10\n", "cohort.csv"));
  EXPECT_EQ(error_of([&] {
              Table::left_join(left, Table(parse_csv("id,age\ns1,3\n", "cov.csv")), "subject");
            }),
            "cov.csv: header: no 'subject' column");
  EXPECT_EQ(error_of([&] {
              Table::left_join(left, Table(parse_csv("subject,age\ns1,3\ns1,4\n", "cov.csv")),
                               "subject");
            }),
            "cov.csv: line 3: subject 's1' already has a row (line 2)");
  EXPECT_EQ(error_of([&] {
              Table::left_join(left, Table(parse_csv("subject,area\ns1,3\n", "cov.csv")),
                               "subject");
            }),
            "cov.csv: header: column 'area' is also in cohort.csv (rename one of them)");
}
