// GIFTI surfaces: real files against their FreeSurfer twin and the XML's own Dim attributes,
// every supported type and ordering on generated files, and corrupted files.
#include "spectralbrain/mesh/gifti.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "mesh_test_util.hpp"
#include "spectralbrain/mesh/freesurfer.hpp"
#include "spectralbrain/mesh/geometry.hpp"
#include "spectralbrain/mesh/read.hpp"

using namespace spectralbrain::mesh;
using namespace spectralbrain::mesh::testing;

namespace {
const std::string hippocampus =
    mesh_data("hippocampus/tpl-avg_space-canonical_den-2mm_label-hipp_midthickness.surf.gii")
        .string();

// Dim<k> of the DataArray with `intent`, read from the XML text with plain string search
// (independent of gifticlib).
long xml_dim(const std::string& xml, const std::string& intent, int k) {
  const std::size_t at = xml.find("Intent=\"" + intent + "\"");
  const std::size_t begin = xml.rfind("<DataArray", at), end = xml.find('>', at);
  const std::string tag = xml.substr(begin, end - begin);
  const std::string key = "Dim" + std::to_string(k) + "=\"";
  return std::stol(tag.substr(tag.find(key) + key.size()));
}

struct Array {
  std::string intent, type, order, dims, data, encoding = "ASCII";
};
// A GIFTI file with the given DataArrays; dims is the attribute text, e.g. Dim0="4" Dim1="3".
std::string gifti(const std::vector<Array>& arrays) {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE GIFTI SYSTEM \"http://www.nitrc.org/frs/download.php/115/gifti.dtd\">\n"
      "<GIFTI Version=\"1.0\" NumberOfDataArrays=\"" +
      std::to_string(arrays.size()) + "\">\n<MetaData/>\n<LabelTable/>\n";
  for (const auto& a : arrays) {
    const int n_dims = a.dims.find("Dim1") == std::string::npos ? 1 : 2;
    s += "<DataArray Intent=\"NIFTI_INTENT_" + a.intent + "\" DataType=\"NIFTI_TYPE_" + a.type +
         "\" ArrayIndexingOrder=\"" + a.order + "\" Dimensionality=\"" + std::to_string(n_dims) +
         "\" " + a.dims + " Encoding=\"" + a.encoding +
         "\" Endian=\"LittleEndian\" ExternalFileName=\"\" ExternalFileOffset=\"\">\n"
         "<MetaData/>\n<Data>" +
         a.data + "</Data>\n</DataArray>\n";
  }
  return s + "</GIFTI>\n";
}

// A tetrahedron with corners (0,0,0), (0.1,0,0), (0,2,0), (0,0,3) and outward faces; 0.1 is
// not a float32 value, so FLOAT32 and FLOAT64 data differ.
const std::vector<std::array<double, 3>> tet_vertices = {
    {0, 0, 0}, {0.1, 0, 0}, {0, 2, 0}, {0, 0, 3}};
const std::vector<std::array<std::int32_t, 3>> tet_faces = {
    {0, 2, 1}, {0, 1, 3}, {0, 3, 2}, {1, 2, 3}};
Array tet_points(const std::string& type, bool row_major) {
  return {"POINTSET", type, row_major ? "RowMajorOrder" : "ColumnMajorOrder",
          "Dim0=\"4\" Dim1=\"3\"",
          row_major ? "0 0 0\n0.1 0 0\n0 2 0\n0 0 3" : "0 0.1 0 0\n0 0 2 0\n0 0 0 3"};
}
Array tet_triangles(bool row_major) {
  return {"TRIANGLE", "INT32", row_major ? "RowMajorOrder" : "ColumnMajorOrder",
          "Dim0=\"4\" Dim1=\"3\"",
          row_major ? "0 2 1\n0 1 3\n0 3 2\n1 2 3" : "0 0 0 1\n2 1 3 2\n1 3 2 3"};
}
}  // namespace

// The same fsaverage5 pial surface as GIFTI and as FreeSurfer binary (different sources).
TEST(Gifti, Fsaverage5PialMatchesItsFreeSurferTwin) {
  const TriMesh g = read_gifti(mesh_data("fsaverage5/lh.pial.surf.gii"));
  const TriMesh f = read_freesurfer(mesh_data("fsaverage5/lh.pial"));
  const std::string xml = read_bytes(mesh_data("fsaverage5/lh.pial.surf.gii"));
  ASSERT_EQ(g.n_vertices(), static_cast<std::size_t>(xml_dim(xml, "NIFTI_INTENT_POINTSET", 0)));
  ASSERT_EQ(g.n_faces(), static_cast<std::size_t>(xml_dim(xml, "NIFTI_INTENT_TRIANGLE", 0)));
  ASSERT_EQ(g.n_vertices(), f.n_vertices());
  ASSERT_EQ(g.n_faces(), f.n_faces());
  for (std::size_t i = 0; i < g.n_vertices(); ++i)
    for (int j = 0; j < 3; ++j) ASSERT_FLOAT_EQ(g.vertices[i][j], f.vertices[i][j]) << i;
  EXPECT_EQ(g.faces, f.faces);
  EXPECT_EQ(euler_characteristic(g), 2);
}

TEST(Gifti, Fsaverage5WhiteSharesThePialTopology) {
  const TriMesh w = read_mesh(mesh_data("fsaverage5/lh.white.surf.gii"));
  ASSERT_EQ(w.n_vertices(), 10242u);
  EXPECT_EQ(w.faces, read_freesurfer(mesh_data("fsaverage5/lh.pial")).faces);
  EXPECT_EQ(w.vertices[0],
            (std::array<double, 3>{-36.785484313964844, -18.600444793701172, 64.82130432128906}));
  EXPECT_NEAR(surface_area(w), 66661.798838, 1e-3);
}

// Column-major, with the TRIANGLE array stored first: read in the wrong order, the first
// vertex and face would be different numbers.
TEST(Gifti, Conte69ColumnMajor) {
  const auto path = mesh_data("conte69/conte69_5k_lh.surf.gii");
  const std::string xml = read_bytes(path);
  const TriMesh m = read_mesh(path);
  ASSERT_EQ(m.n_vertices(), 5000u);
  ASSERT_EQ(m.n_faces(), 9996u);
  EXPECT_EQ(xml_dim(xml, "NIFTI_INTENT_POINTSET", 0), 5000);
  EXPECT_EQ(xml_dim(xml, "NIFTI_INTENT_TRIANGLE", 0), 9996);
  EXPECT_EQ(m.vertices[0],
            (std::array<double, 3>{-64.46939849853516, -10.36034107208252, 16.303932189941406}));
  EXPECT_EQ(m.vertices.back(),
            (std::array<double, 3>{0.4536832273006439, -36.37254333496094, 11.334053993225098}));
  EXPECT_EQ(m.faces[0], (std::array<std::int32_t, 3>{4760, 4817, 4711}));
  EXPECT_EQ(m.faces.back(), (std::array<std::int32_t, 3>{81, 72, 160}));
  EXPECT_EQ(euler_characteristic(m), 2);
  EXPECT_NEAR(surface_area(m), 56588.552407, 1e-3);
}

// The hippocampal midthickness is an open sheet: a disc, Euler characteristic 1.
TEST(Gifti, HippocampusTemplateIsADisc) {
  const TriMesh m = read_mesh(hippocampus);
  const std::string xml = read_bytes(hippocampus);
  ASSERT_EQ(m.n_vertices(), 419u);
  ASSERT_EQ(m.n_faces(), 774u);
  EXPECT_EQ(xml_dim(xml, "NIFTI_INTENT_POINTSET", 0), 419);
  EXPECT_EQ(xml_dim(xml, "NIFTI_INTENT_TRIANGLE", 0), 774);
  EXPECT_EQ(m.faces[0], (std::array<std::int32_t, 3>{17, 8, 9}));
  EXPECT_EQ(euler_characteristic(m), 1);
  EXPECT_NEAR(surface_area(m), 369.635633, 1e-5);
}

TEST(Gifti, EveryTypeAndOrderGivesTheSameMesh) {
  TempDir dir;
  for (const std::string type : {"FLOAT32", "FLOAT64"})
    for (const bool points_row : {true, false})
      for (const bool faces_row : {true, false}) {
        SCOPED_TRACE(type + (points_row ? " row" : " col") + (faces_row ? " row" : " col"));
        const auto path = write_bytes(
            dir / "tet.surf.gii", gifti({tet_points(type, points_row), tet_triangles(faces_row)}));
        const TriMesh m = read_mesh(path);
        ASSERT_EQ(m.n_vertices(), 4u);
        for (std::size_t i = 0; i < 4; ++i)
          for (int j = 0; j < 3; ++j)
            EXPECT_EQ(m.vertices[i][j],
                      type == "FLOAT32"
                          ? static_cast<double>(static_cast<float>(tet_vertices[i][j]))
                          : tet_vertices[i][j]);
        EXPECT_EQ(m.faces, tet_faces);
      }
}

TEST(Gifti, BinaryJunkWithGiftiNameIsNotXml) {
  TempDir dir;
  std::string junk(3000, '\0');
  for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919 + 13) % 251);
  const auto path = write_bytes(dir / "lh.white.surf.gii", junk);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "not a GIFTI file", "XML");
}

// expat checks the XML before gifticlib reads it (gifticlib crashes on some malformed
// structures), so a cut file is reported by that check.
TEST(Gifti, TruncatedFileReportsTheXmlError) {
  TempDir dir;
  const std::string xml = read_bytes(hippocampus);
  for (const std::size_t cut : {std::size_t{100}, xml.size() / 2, xml.size() - 10}) {
    SCOPED_TRACE(cut);
    const auto path = write_bytes(dir / "cut.surf.gii", xml.substr(0, cut));
    EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "not a readable GIFTI file",
                       "XML is not well-formed", "line");
  }
}

// gifticlib only prints some failures and returns the array zero-padded or cut; those must
// still be errors, and nothing may reach stderr.
TEST(Gifti, DimsThatDisagreeWithTheDataAreErrorsAndStderrStaysClean) {
  TempDir dir;
  const std::string xml = read_bytes(hippocampus);
  const std::string dim = "Dim0=\"419\"";
  ASSERT_NE(xml.find(dim), std::string::npos);
  for (const std::string wrong : {"Dim0=\"420\"", "Dim0=\"418\""}) {
    SCOPED_TRACE(wrong);
    std::string bad = xml;
    bad.replace(bad.find(dim), dim.size(), wrong);
    const auto path = write_bytes(dir / "bad.surf.gii", bad);
    ::testing::internal::CaptureStderr();
    EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "gifticlib", "uncompress");
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  }
}

TEST(Gifti, HugeDimFailsBeforeAllocating) {
  TempDir dir;
  std::string xml = read_bytes(hippocampus);
  const std::string dim = "Dim0=\"419\"";
  xml.replace(xml.find(dim), dim.size(), "Dim0=\"2147483647\"");
  const auto path = write_bytes(dir / "huge.surf.gii", xml);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "DataArray 0 (NIFTI_INTENT_POINTSET)",
                     "declares 2147483647×3 values", "Dim0 attribute is corrupt");
}

TEST(Gifti, CorruptBase64IsAnError) {
  TempDir dir;
  std::string xml = read_bytes(hippocampus);
  const std::size_t data = xml.find("<Data>") + 6;
  xml[data + 40] = '!';
  const auto path = write_bytes(dir / "b64.surf.gii", xml);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "gifticlib", "base64");
}

TEST(Gifti, WrongStructureIsNamed) {
  TempDir dir;
  const auto path = dir / "x.surf.gii";

  write_bytes(path, gifti({tet_points("FLOAT32", true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "no NIFTI_INTENT_TRIANGLE DataArray");

  write_bytes(path, gifti({tet_triangles(true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "no NIFTI_INTENT_POINTSET DataArray",
                     ".func.gii");

  write_bytes(
      path, gifti({tet_points("FLOAT32", true), tet_points("FLOAT32", true), tet_triangles(true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "2 NIFTI_INTENT_POINTSET DataArrays");

  Array float_faces = tet_triangles(true);
  float_faces.type = "FLOAT32";
  write_bytes(path, gifti({tet_points("FLOAT32", true), float_faces}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "DataArray 1 (NIFTI_INTENT_TRIANGLE)",
                     "NIFTI_TYPE_FLOAT32", "must be NIFTI_TYPE_INT32");

  Array int_points = tet_points("INT32", true);
  write_bytes(path, gifti({int_points, tet_triangles(true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "DataArray 0 (NIFTI_INTENT_POINTSET)",
                     "NIFTI_TYPE_INT32", "coordinates must be");

  Array wide = tet_points("FLOAT32", true);
  wide.dims = "Dim0=\"3\" Dim1=\"4\"";
  write_bytes(path, gifti({wide, tet_triangles(true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "has shape 3×4", "expected N×3");

  Array flat = tet_points("FLOAT32", true);
  flat.dims = "Dim0=\"12\"";
  write_bytes(path, gifti({flat, tet_triangles(true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "has shape 12", "expected N×3");
}

TEST(Gifti, BadIndicesAndCoordinatesAreCaughtByValidation) {
  TempDir dir;
  const auto path = dir / "x.surf.gii";
  Array faces = tet_triangles(true);
  faces.data = "0 2 1\n0 1 3\n0 3 4\n1 2 3";
  write_bytes(path, gifti({tet_points("FLOAT64", true), faces}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "face 2", "vertex index 4", "out of range");

  faces.data = "0 2 1\n0 -1 3\n0 3 2\n1 2 3";
  write_bytes(path, gifti({tet_points("FLOAT64", true), faces}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "face 1", "vertex index -1");

  Array points = tet_points("FLOAT64", true);
  points.data = "0 0 0\n1 0 0\n0 2 nan\n0 0 3";
  write_bytes(path, gifti({points, tet_triangles(true)}));
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "vertex 2", "coordinate z", "not finite");
}

// Found by fuzzing: gifticlib 1.0.9 dereferences a null pointer when <Data> is not inside a
// <DataArray> (here inside a misspelt element); the structure check rejects it first.
TEST(Gifti, ElementsOutsideTheirGiftiParentAreRejectedBeforeGifticlib) {
  TempDir dir;
  std::string xml = read_bytes(hippocampus);
  const std::size_t at = xml.find("<DataArray");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 10, "<DataArra9");
  const std::size_t close = xml.find("</DataArray>");
  xml.replace(close, 12, "</DataArra9>");
  auto path = write_bytes(dir / "misspelt.surf.gii", xml);
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "not a valid GIFTI file",
                     "unknown element 'DataArra9'");
  path = write_bytes(dir / "loose_data.surf.gii",
                     "<?xml version=\"1.0\"?>\n<GIFTI><Data>0 1 2</Data></GIFTI>\n");
  EXPECT_INPUT_ERROR(read_mesh(path), path.string(), "line 2",
                     "<Data> is inside <GIFTI>, but GIFTI allows it only inside <DataArray>");
}
