// detect_format: content before name, the name as a fallback, and clear refusals.
#include "spectralbrain/mesh/format.hpp"

#include <gtest/gtest.h>

#include "mesh_test_util.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

TEST(DetectFormat, RealFilesByContent) {
  EXPECT_EQ(detect_format(mesh_data("fsaverage5/lh.pial")), MeshFormat::freesurfer);
  EXPECT_EQ(detect_format(mesh_data("icbm152_aseg/Left-Accumbens-area.surf")),
            MeshFormat::freesurfer);
  EXPECT_EQ(detect_format(mesh_data("fsaverage5/lh.white.surf.gii")), MeshFormat::gifti);
  EXPECT_EQ(detect_format(mesh_data("conte69/conte69_5k_lh.surf.gii")), MeshFormat::gifti);
}

TEST(DetectFormat, ContentWinsOverName) {
  TempDir dir;
  EXPECT_EQ(
      detect_format(write_bytes(dir / "surface.off", read_bytes(mesh_data("fsaverage5/lh.pial")))),
      MeshFormat::freesurfer);
  EXPECT_EQ(detect_format(write_bytes(dir / "surface.dat",
                                      read_bytes(mesh_data("fsaverage5/lh.white.surf.gii")))),
            MeshFormat::gifti);
  EXPECT_EQ(detect_format(write_bytes(dir / "mesh.txt", "# comment\n\nOFF\n3 1 0\n")),
            MeshFormat::off);
  EXPECT_EQ(detect_format(write_bytes(dir / "bom.gii", "\xEF\xBB\xBF  <GIFTI Version=\"1.0\">")),
            MeshFormat::gifti);
}

// Unrecognised content with a telling name goes to that format's reader, which then says
// what is wrong with the content.
TEST(DetectFormat, NameDecidesWhenContentIsUnknown) {
  TempDir dir;
  const std::string junk = "\x01\x02\x03 junk";
  EXPECT_EQ(detect_format(write_bytes(dir / "a.surf.gii", junk)), MeshFormat::gifti);
  EXPECT_EQ(detect_format(write_bytes(dir / "A.OFF", junk)), MeshFormat::off);
  EXPECT_EQ(detect_format(write_bytes(dir / "lh.white", junk)), MeshFormat::freesurfer);
  EXPECT_EQ(detect_format(write_bytes(dir / "rh.sphere.reg", junk)), MeshFormat::freesurfer);
  EXPECT_EQ(detect_format(write_bytes(dir / "brainstem.surf", junk)), MeshFormat::freesurfer);
}

TEST(DetectFormat, RefusalsNameTheFileAndTheProblem) {
  TempDir dir;
  auto path = write_bytes(dir / "mesh.xyz", "\x01\x02\x03 junk");
  EXPECT_INPUT_ERROR(detect_format(path), path.string(), "unrecognised mesh format",
                     "'\\x01\\x02\\x03 junk'", "FreeSurfer binary triangle surface", "GIFTI",
                     "OFF");
  path = write_bytes(dir / "lh.white", "");
  EXPECT_INPUT_ERROR(detect_format(path), path.string(), "file is empty");
  EXPECT_INPUT_ERROR(detect_format(dir / "missing.gii"), "missing.gii", "file not found");
  EXPECT_INPUT_ERROR(detect_format(dir.path()), dir.path().string(), "is a directory");
  path = write_bytes(dir / "lh.quad", std::string("\xFF\xFF\xFF", 3) + std::string(20, '\0'));
  EXPECT_INPUT_ERROR(detect_format(path), path.string(), "quadrangle surface");
  path = write_bytes(dir / "white_left.gii.gz", std::string("\x1F\x8B\x08\x00", 4));
  EXPECT_INPUT_ERROR(detect_format(path), path.string(), "gzip-compressed", "gunzip");
  path = write_bytes(dir / "mesh.vtp", "<?xml version=\"1.0\"?>\n<VTKFile type=\"PolyData\">");
  EXPECT_INPUT_ERROR(detect_format(path), path.string(), "XML file but not GIFTI");
}

TEST(DetectFormat, Names) {
  EXPECT_EQ(format_name(MeshFormat::freesurfer), "FreeSurfer binary triangle surface");
  EXPECT_EQ(format_name(MeshFormat::gifti), "GIFTI surface");
  EXPECT_EQ(format_name(MeshFormat::off), "OFF mesh");
}
