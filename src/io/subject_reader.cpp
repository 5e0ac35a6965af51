// SubjectReader: serial, read-only access to complete subject files.
#include "spectralbrain/io/subject_reader.hpp"

#include <algorithm>

#include "h5_detail.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/hdf5.hpp"

namespace spectralbrain::io {

namespace fs = std::filesystem;
using core::cat;

namespace {

core::H5PropList reader_fapl() {
  core::H5PropList fapl(SB_HDF5(H5Pcreate(H5P_FILE_ACCESS)));
  // Files are published whole by rename, so readers need no lock; and flock fails on some
  // cluster file systems.
  SB_HDF5(H5Pset_file_locking(fapl.get(), false, true));
  return fapl;
}

// True if `file` carries the root attribute complete = 1.
bool marked_complete(hid_t file) {
  if (!detail::has_attribute(file, "complete")) return false;
  const AttributeValue v = detail::read_attribute(file, "complete");
  const auto* i = std::get_if<std::int64_t>(&v);
  return i && *i == 1;
}

}  // namespace

struct SubjectReader::Impl {
  fs::path path;
  core::H5File file;
  SubjectAttributes attributes;

  [[noreturn]] void fail(std::string record, std::string problem) const {
    throw core::InputError(path.string(), std::move(record), std::move(problem));
  }

  AttributeValue root_attribute(std::string_view name) const {
    if (!detail::has_attribute(file.get(), name))
      fail(cat("attribute ", name), "missing from the root group");
    try {
      return detail::read_attribute(file.get(), name);
    } catch (const core::Error& e) {
      fail(cat("attribute ", name), e.what());
    }
  }
  template <class T>
  T root(std::string_view name) const {
    AttributeValue v = root_attribute(name);
    if (auto* x = std::get_if<T>(&v)) return std::move(*x);
    if constexpr (std::is_same_v<T, double>)
      if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    fail(cat("attribute ", name), "has the wrong type");
  }

  void read_attributes() {
    SubjectAttributes& a = attributes;
    a.format_version = root<std::int64_t>("format_version");
    if (a.format_version != subject_format_version)
      fail("attribute format_version",
           cat("format version ", a.format_version, " is not supported (this build reads ",
               subject_format_version, ")"));
    a.spectralbrain_version = root<std::string>("spectralbrain_version");
    a.info.subject = root<std::string>("subject");
    a.info.source_mesh = root<std::string>("source_mesh");
    a.info.sha256 = root<std::string>("sha256");
    a.n_vertices = root<std::int64_t>("n_vertices");
    a.n_faces = root<std::int64_t>("n_faces");
    a.area = root<double>("area");
    a.k = root<std::int64_t>("k");
    a.info.sigma = root<double>("sigma");
    a.info.mass = root<std::string>("mass");
    a.n_ranks = root<std::int64_t>("n_ranks");
    a.info.petsc_options = root<std::string>("petsc_options");
    a.info.precision = parse_precision(root<std::string>("precision"),
                                       cat(path.string(), ": attribute precision"));

    // wall_seconds_* in the order written when the file tracks creation order.
    core::H5Group root_group(SB_HDF5(H5Gopen2(file.get(), "/", H5P_DEFAULT)));
    core::H5PropList gcpl(SB_HDF5(H5Gget_create_plist(root_group.get())));
    unsigned order_flags = 0;
    SB_HDF5(H5Pget_attr_creation_order(gcpl.get(), &order_flags));
    const H5_index_t index =
        (order_flags & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    std::vector<std::string> names;
    auto collect = [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
      static_cast<std::vector<std::string>*>(out)->emplace_back(name);
      return 0;
    };
    SB_HDF5(H5Aiterate2(file.get(), index, H5_ITER_INC, nullptr, collect, &names));
    for (const auto& name : names)
      if (name.starts_with(wall_seconds_prefix))
        a.wall_seconds.emplace_back(name.substr(wall_seconds_prefix.size()), root<double>(name));
  }

  core::H5Dataset open_dataset(std::string_view dataset) const {
    if (!detail::path_problem(dataset).empty()) fail(std::string(dataset), "not an object path");
    if (!detail::exists(file.get(), dataset)) fail(std::string(dataset), "dataset missing");
    H5O_info_t info;
    SB_HDF5(H5Oget_info_by_name2(file.get(), std::string(dataset).c_str(), &info, H5O_INFO_BASIC,
                                 H5P_DEFAULT));
    if (info.type != H5O_TYPE_DATASET) fail(std::string(dataset), "is not a dataset");
    return core::H5Dataset(
        SB_HDF5(H5Dopen2(file.get(), std::string(dataset).c_str(), H5P_DEFAULT)));
  }

  // Opens `dataset` and checks its dimensions against `expected` (-1: any).
  core::H5Dataset open_shaped(std::string_view dataset, std::vector<std::int64_t> expected) const {
    core::H5Dataset d = open_dataset(dataset);
    const std::vector<hsize_t> dims = detail::dims(d.get());
    bool ok = dims.size() == expected.size();
    for (std::size_t i = 0; ok && i < dims.size(); ++i)
      ok = expected[i] < 0 || static_cast<std::int64_t>(dims[i]) == expected[i];
    if (!ok) {
      auto show = [](const auto& v) {
        std::string s = "(";
        for (std::size_t i = 0; i < v.size(); ++i)
          s += cat(i ? "," : "", static_cast<long long>(v[i]) < 0 ? std::string("*") : cat(v[i]));
        return s + (v.size() == 1 ? ",)" : ")");
      };
      fail(std::string(dataset), cat("has shape ", show(dims), ", expected ", show(expected)));
    }
    return d;
  }

  // Resolves a row range against `n_rows`.
  std::pair<std::int64_t, std::int64_t> resolve(RowRange rows, std::int64_t n_rows,
                                                std::string_view dataset) const {
    const std::int64_t count = rows.count < 0 ? n_rows - rows.begin : rows.count;
    if (rows.begin < 0 || rows.begin > n_rows || count < 0 || rows.begin + count > n_rows)
      fail(std::string(dataset), cat("rows [", rows.begin, ", ", rows.begin + count,
                                     ") are outside the ", n_rows, " rows"));
    return {rows.begin, count};
  }

  std::vector<double> read_all_1d(std::string_view dataset, std::int64_t n) const {
    core::H5Dataset d = open_shaped(dataset, {n});
    std::vector<double> v(static_cast<std::size_t>(n));
    detail::read_rows(d.get(), H5T_NATIVE_DOUBLE, 0, n, v.data());
    return v;
  }
};

SubjectReader::SubjectReader(const fs::path& file) : impl_(std::make_unique<Impl>()) {
  Impl& r = *impl_;
  r.path = file;
  std::error_code ec;
  const fs::file_status status = fs::status(file, ec);
  if (!fs::exists(status)) r.fail("", "subject file not found");
  if (fs::is_directory(status)) r.fail("", "is a folder, not a subject file");
  core::H5PropList fapl = reader_fapl();
  if (H5Fis_hdf5(file.c_str()) <= 0) {
    SB_HDF5(H5Eclear2(H5E_DEFAULT));
    r.fail("", "not an HDF5 file (or not readable)");
  }
  try {
    r.file = core::H5File(SB_HDF5(H5Fopen(file.c_str(), H5F_ACC_RDONLY, fapl.get())));
  } catch (const core::LibraryError& e) {
    r.fail("", cat("cannot open: ", e.what()));
  }
  if (!marked_complete(r.file.get()))
    r.fail("",
           "incomplete subject file: the root attribute complete=1 is missing (the run"
           " that wrote it did not finish, or it is still being written)");
  r.read_attributes();
}

SubjectReader::SubjectReader(SubjectReader&&) noexcept = default;
SubjectReader& SubjectReader::operator=(SubjectReader&&) noexcept = default;
SubjectReader::~SubjectReader() = default;

const fs::path& SubjectReader::file() const noexcept { return impl_->path; }
const SubjectAttributes& SubjectReader::attributes() const noexcept { return impl_->attributes; }

spectral::Eigenpairs SubjectReader::eigenpairs(RowRange rows) const {
  const Impl& r = *impl_;
  const std::int64_t n = r.attributes.n_vertices, k = r.attributes.k;
  spectral::Eigenpairs e;
  e.values = r.read_all_1d(h5path::values, k);
  e.residuals = r.read_all_1d(h5path::residuals, k);
  core::H5Dataset vectors = r.open_shaped(h5path::vectors, {n, k});
  const auto [begin, count] = r.resolve(rows, n, h5path::vectors);
  e.n_rows_global = n;
  e.row_begin = begin;
  e.n_rows_local = count;
  e.vectors.resize(static_cast<std::size_t>(count * k));
  detail::read_rows(vectors.get(), H5T_NATIVE_DOUBLE, begin, count, e.vectors.data());
  return e;
}

mesh::TriMesh SubjectReader::mesh() const {
  const Impl& r = *impl_;
  mesh::TriMesh m;
  core::H5Dataset vertices = r.open_shaped(h5path::vertices, {r.attributes.n_vertices, 3});
  core::H5Dataset faces = r.open_shaped(h5path::faces, {r.attributes.n_faces, 3});
  m.vertices.resize(static_cast<std::size_t>(r.attributes.n_vertices));
  m.faces.resize(static_cast<std::size_t>(r.attributes.n_faces));
  detail::read_rows(vertices.get(), H5T_NATIVE_DOUBLE, 0, r.attributes.n_vertices,
                    m.vertices.data());
  detail::read_rows(faces.get(), H5T_NATIVE_INT32, 0, r.attributes.n_faces, m.faces.data());
  return m;
}

Array SubjectReader::read(std::string_view dataset, RowRange rows) const {
  const Impl& r = *impl_;
  core::H5Dataset d = r.open_dataset(dataset);
  core::H5Datatype type(SB_HDF5(H5Dget_type(d.get())));
  const H5T_class_t type_class = SB_HDF5(H5Tget_class(type.get()));
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER)
    r.fail(std::string(dataset), "is not a numeric dataset");
  const std::vector<hsize_t> dims = detail::dims(d.get());
  Array out;
  if (dims.empty()) {  // scalar
    out.data.resize(1);
    SB_HDF5(H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data.data()));
    return out;
  }
  const auto [begin, count] = r.resolve(rows, static_cast<std::int64_t>(dims[0]), dataset);
  out.shape.assign(dims.begin(), dims.end());
  out.shape[0] = count;
  std::int64_t n = 1;
  for (auto s : out.shape) n *= s;
  out.data.resize(static_cast<std::size_t>(n));
  detail::read_rows(d.get(), H5T_NATIVE_DOUBLE, begin, count, out.data.data());
  return out;
}

bool SubjectReader::has(std::string_view object) const {
  return detail::path_problem(object).empty() && detail::exists(impl_->file.get(), object);
}

AttributeValue SubjectReader::attribute(std::string_view object, std::string_view name) const {
  const Impl& r = *impl_;
  if (!has(object)) r.fail(std::string(object), "object missing");
  detail::H5AnyObject o(SB_HDF5(H5Oopen(r.file.get(), std::string(object).c_str(), H5P_DEFAULT)));
  const std::string record = cat(object, " attribute ", name);
  if (!detail::has_attribute(o.get(), name)) r.fail(record, "missing");
  try {
    return detail::read_attribute(o.get(), name);
  } catch (const core::Error& e) {
    r.fail(record, e.what());
  }
}

SubjectData read_subject(const fs::path& file, RowRange rows) {
  SubjectReader reader(file);
  return {reader.attributes(), reader.eigenpairs(rows)};
}

bool subject_file_complete(const fs::path& file) noexcept {
  try {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return false;
    core::H5PropList fapl = reader_fapl();
    if (H5Fis_hdf5(file.c_str()) <= 0) {
      SB_HDF5(H5Eclear2(H5E_DEFAULT));
      return false;
    }
    core::H5File h5(SB_HDF5(H5Fopen(file.c_str(), H5F_ACC_RDONLY, fapl.get())));
    return marked_complete(h5.get());
  } catch (...) {
    return false;
  }
}

}  // namespace spectralbrain::io
