// Manifest parsing: formats, path resolution, and every input error with its line.
#include <gtest/gtest.h>

#include "batch_test_util.hpp"
#include "spectralbrain/batch/manifest.hpp"
#include "spectralbrain/core/error.hpp"

namespace sb = spectralbrain;
using sb::batch::read_manifest;
using sb::batch::testing::ScratchDir;
using sb::batch::testing::write_text;

namespace {
std::string error_of(const std::filesystem::path& file) {
  try {
    read_manifest(file);
  } catch (const sb::core::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Manifest, TsvWithStructureResolvesRelativePaths) {
  ScratchDir dir("manifest_tsv");
  write_text(dir / "study/m.tsv",
             "# a comment\nsubject\tstructure\tmesh\textra\n"
             "sub-01\tlh_white\tsub-01/lh.white\tx\n\n"
             "sub-01\tLeft-Hippocampus\t/abs/hipp.surf\ty\n");
  const auto m = read_manifest(dir / "study/m.tsv");
  ASSERT_EQ(m.entries.size(), 2u);
  EXPECT_TRUE(m.has_structure);
  EXPECT_EQ(m.entries[0].mesh, dir.path() / "study/sub-01/lh.white");
  EXPECT_EQ(m.entries[1].mesh, std::filesystem::path("/abs/hipp.surf"));
  EXPECT_EQ(m.entries[0].key(), "sub-01/lh_white");
  EXPECT_EQ(m.entries[0].output_name(), "sub-01_lh_white.h5");
  EXPECT_EQ(m.entries[1].line, 5);
}

TEST(Manifest, CsvWithQuotesAndNoStructure) {
  ScratchDir dir("manifest_csv");
  write_text(dir / "m.csv", "mesh,subject\r\n\"a, b/lh.pial\",s1\r\nc.surf,s2\r\n");
  const auto m = read_manifest(dir / "m.csv");
  ASSERT_EQ(m.entries.size(), 2u);
  EXPECT_FALSE(m.has_structure);
  EXPECT_EQ(m.entries[0].mesh, dir.path() / "a, b/lh.pial");
  EXPECT_EQ(m.entries[1].output_name(), "s2.h5");
}

TEST(Manifest, ErrorsNameTheFileTheLineAndTheProblem) {
  ScratchDir dir("manifest_errors");
  EXPECT_NE(error_of(dir / "none.tsv").find("manifest not found"), std::string::npos);
  EXPECT_NE(error_of(dir.path()).find("is a folder"), std::string::npos);

  write_text(dir / "nomesh.tsv", "subject\tfile\ns1\ta.surf\n");
  auto e = error_of(dir / "nomesh.tsv");
  EXPECT_NE(e.find("nomesh.tsv: line 1 (header): no 'mesh' column"), std::string::npos) << e;

  write_text(dir / "dup.tsv", "subject\tmesh\ns1\ta.surf\ns2\tb.surf\ns1\tc.surf\n");
  e = error_of(dir / "dup.tsv");
  EXPECT_NE(e.find("dup.tsv: line 4: repeats line 2 (subject 's1')"), std::string::npos) << e;

  write_text(dir / "dup2.csv", "subject,structure,mesh\ns1,lh,a\ns1,rh,b\ns1,lh,c\n");
  e = error_of(dir / "dup2.csv");
  EXPECT_NE(e.find("line 4: repeats line 2"), std::string::npos) << e;

  write_text(dir / "clash.csv", "subject,structure,mesh\na_b,,x\na,b,y\n");
  e = error_of(dir / "clash.csv");
  EXPECT_NE(e.find("line 3: its output file a_b.h5 would be the same as line 2's"),
            std::string::npos)
      << e;

  write_text(dir / "fields.tsv", "subject\tmesh\ns1\n");
  EXPECT_NE(error_of(dir / "fields.tsv").find("line 2: 1 fields, the header has 2"),
            std::string::npos);
  write_text(dir / "slash.tsv", "subject\tmesh\nsub/01\ta.surf\n");
  EXPECT_NE(error_of(dir / "slash.tsv").find("line 2: subject 'sub/01' contains '/'"),
            std::string::npos);
  write_text(dir / "empty.tsv", "subject\tmesh\n\n");
  EXPECT_NE(error_of(dir / "empty.tsv").find("no subjects"), std::string::npos);
  write_text(dir / "twice.tsv", "subject\tmesh\tmesh\ns\ta\tb\n");
  EXPECT_NE(error_of(dir / "twice.tsv").find("column 'mesh' appears twice"), std::string::npos);
}
