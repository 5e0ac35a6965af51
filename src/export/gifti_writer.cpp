// GIFTI metric and surface files through gifticlib.
#include "spectralbrain/export/gifti_writer.hpp"

extern "C" {
#include <gifti/gifti_io.h>
}

#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "spectralbrain/core/atomic_file.hpp"
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::exports {

namespace fs = std::filesystem;
using core::cat;

namespace {

struct ImageDeleter {
  void operator()(gifti_image* g) const noexcept { gifti_free_image(g); }
};
using GiftiImage = std::unique_ptr<gifti_image, ImageDeleter>;

int nifti_intent(GiftiIntent intent) {
  switch (intent) {
    case GiftiIntent::none:
      return NIFTI_INTENT_NONE;
    case GiftiIntent::shape:
      return NIFTI_INTENT_SHAPE;
    case GiftiIntent::time_series:
      return NIFTI_INTENT_TIME_SERIES;
  }
  return NIFTI_INTENT_NONE;
}

void check_size(const fs::path& file, std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw core::InputError(file.string(), "",
                           cat(what, " ", n, " exceed GIFTI's 32-bit dimensions"));
}

// Storage of every DataArray: gzip-compressed base64, little-endian, row-major.
void set_storage(gifti_image& image) {
  for (int i = 0; i < image.numDA; ++i) {
    giiDataArray* da = image.darray[i];
    da->encoding = GIFTI_ENCODING_B64GZ;
    da->endian = GIFTI_ENDIAN_LITTLE;
    da->ind_ord = GIFTI_IND_ORD_ROW_MAJOR;
  }
}

void add_metadata(giiMetaData& meta, const GiftiMetadata& pairs) {
  for (const auto& [name, value] : pairs)
    if (gifti_add_to_meta(&meta, name.c_str(), value.c_str(), 1) != 0)
      throw core::Error(cat("gifticlib: cannot add metadata ", name));
}

GiftiImage create(int n_arrays, int intent, int datatype, int n_dims, const int* dims,
                  const fs::path& file) {
  GiftiImage image(gifti_create_image(n_arrays, intent, datatype, n_dims, dims, 0));
  if (!image)
    throw core::InputError(file.string(), "", "gifticlib could not create the image in memory");
  return image;
}

void allocate(giiDataArray& da, const fs::path& file) {
  int swap_size = 0;
  gifti_datatype_sizes(da.datatype, &da.nbyper, &swap_size);
  da.nvals = gifti_darray_nvals(&da);
  da.data = std::calloc(static_cast<std::size_t>(da.nvals), static_cast<std::size_t>(da.nbyper));
  if (!da.data)
    throw core::InputError(file.string(), "", cat("out of memory for ", da.nvals, " values"));
}

// Validates, writes to a temporary name and renames.
void write_image(gifti_image& image, const fs::path& file) {
  set_storage(image);
  if (!gifti_valid_gifti_image(&image, 1))
    throw core::Error(cat(file.string(), ": internal error: gifticlib finds the image invalid"));
  core::AtomicFile out(file);
  if (gifti_write_image(&image, out.temp().c_str(), 1) != 0)
    throw core::InputError(file.string(), "",
                           "gifticlib could not write the file (its messages are on stderr)");
  out.commit();
}

}  // namespace

const char* intent_name(GiftiIntent intent) noexcept {
  return gifti_intent_to_string(nifti_intent(intent));
}

void write_gifti_columns(const fs::path& file, const std::vector<GiftiColumn>& columns,
                         GiftiIntent intent, const GiftiMetadata& metadata) {
  if (columns.empty() || columns.front().values.empty())
    throw core::InputError(file.string(), "", "no per-vertex data to write");
  const std::size_t n = columns.front().values.size();
  check_size(file, n, "vertices");
  check_size(file, columns.size(), "columns");
  for (const GiftiColumn& c : columns)
    if (c.values.size() != n)
      throw core::InputError(file.string(), c.name,
                             cat(c.values.size(), " values, but the first column has ", n));
  const int dims[1] = {static_cast<int>(n)};
  GiftiImage image = create(static_cast<int>(columns.size()), nifti_intent(intent),
                            NIFTI_TYPE_FLOAT32, 1, dims, file);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    giiDataArray& da = *image->darray[c];
    allocate(da, file);
    std::memcpy(da.data, columns[c].values.data(), n * sizeof(float));
    add_metadata(da.meta, {{"Name", columns[c].name}});
  }
  add_metadata(image->meta, metadata);
  write_image(*image, file);
}

void write_gifti_surface(const fs::path& file, const mesh::TriMesh& mesh,
                         const GiftiMetadata& metadata) {
  const std::size_t n = mesh.vertices.size(), f = mesh.faces.size();
  if (n == 0 || f == 0) throw core::InputError(file.string(), "", "empty surface");
  check_size(file, n, "vertices");
  check_size(file, f, "faces");
  const int dims[2] = {static_cast<int>(n), 3};
  GiftiImage image = create(2, NIFTI_INTENT_POINTSET, NIFTI_TYPE_FLOAT32, 2, dims, file);
  giiDataArray& points = *image->darray[0];
  giiDataArray& triangles = *image->darray[1];
  triangles.intent = NIFTI_INTENT_TRIANGLE;
  triangles.datatype = NIFTI_TYPE_INT32;
  triangles.dims[0] = static_cast<int>(f);
  allocate(points, file);
  allocate(triangles, file);
  auto* p = static_cast<float*>(points.data);
  for (std::size_t i = 0; i < n; ++i)
    for (int j = 0; j < 3; ++j) p[3 * i + j] = static_cast<float>(mesh.vertices[i][j]);
  auto* t = static_cast<std::int32_t*>(triangles.data);
  for (std::size_t i = 0; i < f; ++i)
    for (int j = 0; j < 3; ++j) t[3 * i + j] = mesh.faces[i][j];
  // Workbench expects the pointset's coordinate system; the mesh's own space is unknown.
  if (gifti_add_empty_CS(&points) != 0) throw core::Error("gifticlib: cannot add a CoordSystem");
  giiCoordSystem& cs = *points.coordsys[points.numCS - 1];
  cs.dataspace = gifti_strdup("NIFTI_XFORM_UNKNOWN");
  cs.xformspace = gifti_strdup("NIFTI_XFORM_UNKNOWN");
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) cs.xform[r][c] = r == c ? 1.0 : 0.0;
  add_metadata(image->meta, metadata);
  write_image(*image, file);
}

}  // namespace spectralbrain::exports
