// Viewer files: GIFTI written here is read back by gifticlib with the intended intent, type,
// dimensions, names and values; the surface round-trips through SpectralBrain's own GIFTI
// reader; files appear complete or not at all. (The VTK files are parsed by an independent
// Python reader in tests/app/descriptors_cli_test.py.)
#include <gtest/gtest.h>

extern "C" {
#include <gifti/gifti_io.h>
}

#include <filesystem>
#include <fstream>
#include <memory>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/export/gifti_writer.hpp"
#include "spectralbrain/export/subject_export.hpp"
#include "spectralbrain/export/vtk_writer.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"

using namespace spectralbrain;
namespace fs = std::filesystem;

namespace {

struct ImageDeleter {
  void operator()(gifti_image* g) const noexcept { gifti_free_image(g); }
};
using GiftiImage = std::unique_ptr<gifti_image, ImageDeleter>;

// A fresh folder per test, removed afterwards.
class ExportFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sb_export_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Files in the folder (no temporary leftovers expected).
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path dir_;
};

std::vector<exports::GiftiColumn> columns(std::size_t n, std::size_t c) {
  std::vector<exports::GiftiColumn> out(c);
  for (std::size_t j = 0; j < c; ++j) {
    out[j].name = "hks t=" + std::to_string(j + 1);
    for (std::size_t i = 0; i < n; ++i) out[j].values.push_back(0.5f * i - 3.25f * j);
  }
  return out;
}

}  // namespace

TEST_F(ExportFolder, GiftiColumnsReadBackByGifticlib) {
  const std::size_t n = 1234, c = 3;
  const auto data = columns(n, c);
  for (auto [intent, code] :
       {std::pair{exports::GiftiIntent::shape, NIFTI_INTENT_SHAPE},
        std::pair{exports::GiftiIntent::none, NIFTI_INTENT_NONE},
        std::pair{exports::GiftiIntent::time_series, NIFTI_INTENT_TIME_SERIES}}) {
    const fs::path file = dir_ / "lh.hks.shape.gii";
    exports::write_gifti_columns(file, data, intent,
                                 {{"AnatomicalStructurePrimary", "CortexLeft"}});
    GiftiImage image(gifti_read_image(file.c_str(), 1));
    ASSERT_TRUE(image) << file;
    EXPECT_EQ(gifti_valid_gifti_image(image.get(), 1), 1);
    ASSERT_EQ(image->numDA, static_cast<int>(c));
    for (std::size_t j = 0; j < c; ++j) {
      const giiDataArray* da = image->darray[j];
      EXPECT_EQ(da->intent, code) << exports::intent_name(intent);
      EXPECT_EQ(da->datatype, NIFTI_TYPE_FLOAT32);
      EXPECT_EQ(da->num_dim, 1);  // one 1-D array per column: what FreeView/Workbench read
      EXPECT_EQ(da->dims[0], static_cast<int>(n));
      EXPECT_EQ(da->encoding, GIFTI_ENCODING_B64GZ);
      EXPECT_STREQ(gifti_get_meta_value(&da->meta, "Name"), data[j].name.c_str());
      const auto* v = static_cast<const float*>(da->data);
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(v[i], data[j].values[i]) << j << "," << i;
    }
    EXPECT_STREQ(gifti_get_meta_value(&image->meta, "AnatomicalStructurePrimary"), "CortexLeft");
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"lh.hks.shape.gii"});  // replaced, no temps
}

TEST_F(ExportFolder, GiftiSurfaceRoundTrips) {
  const mesh::TriMesh sphere = mesh::icosphere(2);
  const fs::path file = dir_ / "sphere.surf.gii";
  exports::write_gifti_surface(file, sphere);
  GiftiImage image(gifti_read_image(file.c_str(), 1));
  ASSERT_TRUE(image);
  ASSERT_EQ(image->numDA, 2);
  EXPECT_EQ(image->darray[0]->intent, NIFTI_INTENT_POINTSET);
  EXPECT_EQ(image->darray[1]->intent, NIFTI_INTENT_TRIANGLE);
  EXPECT_EQ(image->darray[1]->datatype, NIFTI_TYPE_INT32);
  EXPECT_EQ(image->darray[1]->dims[0], static_cast<int>(sphere.n_faces()));
  const mesh::TriMesh back = mesh::read_mesh(file);  // SpectralBrain's GIFTI reader
  ASSERT_EQ(back.n_vertices(), sphere.n_vertices());
  EXPECT_EQ(back.faces, sphere.faces);
  for (std::size_t i = 0; i < back.n_vertices(); ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(back.vertices[i][j], sphere.vertices[i][j], 1e-7);  // stored as float32
}

TEST_F(ExportFolder, NothingIsLeftWhenWritingFails) {
  EXPECT_THROW(exports::write_gifti_columns(dir_ / "missing" / "x.func.gii", columns(5, 1),
                                            exports::GiftiIntent::none),
               core::InputError);
  auto uneven = columns(5, 2);
  uneven[1].values.pop_back();
  EXPECT_THROW(
      exports::write_gifti_columns(dir_ / "x.func.gii", uneven, exports::GiftiIntent::none),
      core::InputError);
  {
    exports::VtkPolyDataWriter vtk(dir_ / "x.vtk", mesh::icosphere(0), "test", 2);
    EXPECT_THROW(vtk.begin_array("has space", 1), core::Error);
    vtk.begin_array("a", 2);
    EXPECT_THROW(vtk.append_rows(std::vector<double>(3, 1.0)), core::Error);  // 1.5 tuples
    vtk.append_rows(std::vector<double>(24, 1.0));
    vtk.end_array();
    EXPECT_THROW(vtk.commit(), core::Error);  // one of two arrays
  }                                           // destroyed without commit: the temporary file goes
  EXPECT_TRUE(listing().empty()) << listing().front();
}

TEST_F(ExportFolder, VtkFileStartsWithTheLegacyHeader) {
  const mesh::TriMesh m = mesh::icosphere(0);
  exports::VtkPolyDataWriter vtk(dir_ / "m.vtk", m, "title\nwith newline", 1);
  vtk.begin_array("phi_1", 1);
  vtk.append_rows(std::vector<double>(m.n_vertices(), 2.0));
  vtk.end_array();
  vtk.commit();
  std::ifstream in(dir_ / "m.vtk", std::ios::binary);
  std::string line;
  std::vector<std::string> head;
  for (int i = 0; i < 5 && std::getline(in, line); ++i) head.push_back(line);
  EXPECT_EQ(head, (std::vector<std::string>{"# vtk DataFile Version 3.0", "title with newline",
                                            "BINARY", "DATASET POLYDATA", "POINTS 12 double"}));
  // 12 points × 3 doubles, 20 faces × 4 ints, 12 floats, and the text lines.
  EXPECT_GT(fs::file_size(dir_ / "m.vtk"), 12u * 24 + 20u * 16 + 12u * 4);
  EXPECT_EQ(listing(), std::vector<std::string>{"m.vtk"});
}

TEST(ExportSettings, Parsing) {
  using exports::ExportFormat;
  EXPECT_EQ(exports::parse_export_formats("vtk, gifti,vtk", "--export"),
            (std::vector<ExportFormat>{ExportFormat::gifti, ExportFormat::vtk}));
  EXPECT_TRUE(exports::parse_export_formats("", "--export").empty());
  EXPECT_THROW(exports::parse_export_formats("obj", "--export"), core::InputError);
  EXPECT_EQ(exports::parse_mode_list("1-3, 7,0", "--export-modes"),
            (std::vector<std::int64_t>{1, 2, 3, 7, 0}));
  EXPECT_THROW(exports::parse_mode_list("3-1", "--export-modes"), core::InputError);
  EXPECT_THROW(exports::parse_mode_list("-2", "--export-modes"), core::InputError);
  EXPECT_THROW(exports::parse_mode_list("a", "--export-modes"), core::InputError);
  exports::ExportSettings s;
  s.modes = {0, 19};
  EXPECT_NO_THROW(exports::validate(s, 20));
  EXPECT_THROW(exports::validate(s, 19), core::InputError);
  EXPECT_EQ(exports::export_stem("out/sub-01_lh.pial.h5"), fs::path("out/sub-01_lh.pial"));
}
