// HDF5 attribute, path and hyperslab helpers; MPI agreement and broadcasts.
#include "h5_detail.hpp"

#include <chrono>
#include <cstdio>
#include <limits>
#include <thread>

#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::io::detail {

// ---- MPI ----------------------------------------------------------------------------------

std::string agreed_problem(MPI_Comm comm, const std::string& local_problem, bool name_rank) {
  const int me = core::rank(comm), n = core::size(comm);
  int first = local_problem.empty() ? n : me;
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == n) return {};
  std::string message = broadcast(comm, local_problem, first);
  return name_rank && n > 1 ? core::cat("rank ", first, ": ", message) : message;
}

std::string broadcast(MPI_Comm comm, std::string s, int root) {
  long long n = static_cast<long long>(s.size());
  SB_MPI(MPI_Bcast(&n, 1, MPI_LONG_LONG, root, comm));
  s.resize(static_cast<std::size_t>(n));
  if (n > 0) SB_MPI(MPI_Bcast(s.data(), static_cast<int>(n), MPI_CHAR, root, comm));
  return s;
}

std::vector<double> broadcast(MPI_Comm comm, std::vector<double> v, int root) {
  long long n = static_cast<long long>(v.size());
  SB_MPI(MPI_Bcast(&n, 1, MPI_LONG_LONG, root, comm));
  v.resize(static_cast<std::size_t>(n));
  if (n > 0) SB_MPI(MPI_Bcast(v.data(), static_cast<int>(n), MPI_DOUBLE, root, comm));
  return v;
}

AttributeValue broadcast(MPI_Comm comm, AttributeValue v, int root) {
  int index = static_cast<int>(v.index());
  SB_MPI(MPI_Bcast(&index, 1, MPI_INT, root, comm));
  switch (index) {
    case 0: {
      long long x = std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0;
      SB_MPI(MPI_Bcast(&x, 1, MPI_LONG_LONG, root, comm));
      return static_cast<std::int64_t>(x);
    }
    case 1: {
      double x = std::holds_alternative<double>(v) ? std::get<double>(v) : 0.0;
      SB_MPI(MPI_Bcast(&x, 1, MPI_DOUBLE, root, comm));
      return x;
    }
    case 2: {
      std::string* s = std::get_if<std::string>(&v);
      return broadcast(comm, s ? std::move(*s) : std::string(), root);
    }
    default: {
      std::vector<double>* x = std::get_if<std::vector<double>>(&v);
      return broadcast(comm, x ? std::move(*x) : std::vector<double>(), root);
    }
  }
}

bool wait_for_all(MPI_Comm comm, double warn_seconds, double abort_seconds,
                  const char* what) noexcept {
  MPI_Request request;
  if (MPI_Ibarrier(comm, &request) != MPI_SUCCESS) return false;
  // Polled with short sleeps instead of MPI_Wait, which spins: kinder to the other
  // processes of an oversubscribed node, and it lets us say why we are waiting.
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  auto next_warning = start + std::chrono::duration<double>(warn_seconds);
  const auto give_up = start + std::chrono::duration<double>(abort_seconds);
  int rank = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (;;) {
    int done = 0;
    if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) return false;
    if (done) return true;
    const auto now = clock::now();
    const double waited = std::chrono::duration<double>(now - start).count();
    if (now >= give_up) {
      std::fprintf(stderr,
                   "spectralbrain: error [rank %d]: the other ranks did not reach %s within %.0f "
                   "s: they diverged (a rank failed alone); aborting the job\n",
                   rank, what, waited);
      std::fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (now >= next_warning) {
      std::fprintf(stderr,
                   "spectralbrain: warning [rank %d]: still waiting after %.0f s for the other "
                   "ranks to reach %s\n",
                   rank, waited, what);
      std::fflush(stderr);
      next_warning += std::chrono::duration<double>(warn_seconds);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// ---- paths --------------------------------------------------------------------------------

std::string path_problem(std::string_view path) {
  if (path.empty() || path.front() != '/')
    return core::cat("object path \"", path, "\" must be absolute (start with '/')");
  if (path.size() > 1 && path.back() == '/')
    return core::cat("object path \"", path, "\" must not end with '/'");
  if (path.find("//") != std::string_view::npos)
    return core::cat("object path \"", path, "\" has an empty component");
  return {};
}

bool exists(hid_t file, std::string_view path) {
  if (path == "/") return true;
  // H5Lexists fails (rather than returning false) when an intermediate link is missing,
  // so test each prefix in turn.
  for (std::size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    const std::string prefix(path.substr(0, end));
    if (SB_HDF5(H5Lexists(file, prefix.c_str(), H5P_DEFAULT)) <= 0) return false;
    if (end == std::string_view::npos) return true;
    // An intermediate link must be a group for the next component to be looked up.
    H5O_info_t info;
    SB_HDF5(H5Oget_info_by_name2(file, prefix.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT));
    if (info.type != H5O_TYPE_GROUP) return false;
  }
}

core::H5Dataset create_dataset(hid_t file, std::string_view path, hid_t file_type,
                               const std::vector<hsize_t>& dims) {
  core::H5PropList lcpl(SB_HDF5(H5Pcreate(H5P_LINK_CREATE)));
  SB_HDF5(H5Pset_create_intermediate_group(lcpl.get(), 1));
  core::H5PropList dcpl(SB_HDF5(H5Pcreate(H5P_DATASET_CREATE)));
  SB_HDF5(H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS));
  SB_HDF5(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY));
  // Every element is written, so writing fill values first would only double the I/O.
  SB_HDF5(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER));
  core::H5Dataspace space(
      SB_HDF5(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr)));
  const std::string name(path);
  return core::H5Dataset(SB_HDF5(
      H5Dcreate2(file, name.c_str(), file_type, space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT)));
}

std::vector<hsize_t> dims(hid_t dataset) {
  core::H5Dataspace space(SB_HDF5(H5Dget_space(dataset)));
  const int rank = SB_HDF5(H5Sget_simple_extent_ndims(space.get()));
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  if (rank > 0) SB_HDF5(H5Sget_simple_extent_dims(space.get(), d.data(), nullptr));
  return d;
}

namespace {
// File and memory dataspaces selecting rows [row_begin, row_begin + n_rows) of `dataset`.
std::pair<core::H5Dataspace, core::H5Dataspace> row_spaces(hid_t dataset, std::int64_t row_begin,
                                                           std::int64_t n_rows) {
  core::H5Dataspace file_space(SB_HDF5(H5Dget_space(dataset)));
  const int rank = SB_HDF5(H5Sget_simple_extent_ndims(file_space.get()));
  SB_ASSERT(rank >= 1);
  std::vector<hsize_t> d(static_cast<std::size_t>(rank));
  SB_HDF5(H5Sget_simple_extent_dims(file_space.get(), d.data(), nullptr));
  hsize_t n_elements = static_cast<hsize_t>(n_rows);
  for (int i = 1; i < rank; ++i) n_elements *= d[i];
  core::H5Dataspace mem_space(SB_HDF5(H5Screate_simple(1, &n_elements, nullptr)));
  if (n_elements == 0) {
    SB_HDF5(H5Sselect_none(file_space.get()));
    SB_HDF5(H5Sselect_none(mem_space.get()));
  } else {
    std::vector<hsize_t> start(d.size(), 0), count = d;
    start[0] = static_cast<hsize_t>(row_begin);
    count[0] = static_cast<hsize_t>(n_rows);
    SB_HDF5(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                count.data(), nullptr));
  }
  return {std::move(file_space), std::move(mem_space)};
}
}  // namespace

void write_rows(hid_t dataset, hid_t mem_type, std::int64_t row_begin, std::int64_t n_rows,
                const void* buffer, bool collective) {
  auto [file_space, mem_space] = row_spaces(dataset, row_begin, n_rows);
  core::H5PropList dxpl(SB_HDF5(H5Pcreate(H5P_DATASET_XFER)));
  if (collective) SB_HDF5(H5Pset_dxpl_mpio(dxpl.get(), H5FD_MPIO_COLLECTIVE));
  // HDF5 rejects a null buffer even for an empty selection.
  static const double none = 0;
  SB_HDF5(H5Dwrite(dataset, mem_type, mem_space.get(), file_space.get(), dxpl.get(),
                   buffer ? buffer : &none));
}

void read_rows(hid_t dataset, hid_t mem_type, std::int64_t row_begin, std::int64_t n_rows,
               void* buffer) {
  auto [file_space, mem_space] = row_spaces(dataset, row_begin, n_rows);
  double none = 0;
  SB_HDF5(H5Dread(dataset, mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT,
                  buffer ? buffer : &none));
}

// ---- attributes ---------------------------------------------------------------------------

namespace {
core::H5Datatype utf8_string_type() {
  core::H5Datatype t(SB_HDF5(H5Tcopy(H5T_C_S1)));
  SB_HDF5(H5Tset_size(t.get(), H5T_VARIABLE));
  SB_HDF5(H5Tset_cset(t.get(), H5T_CSET_UTF8));
  return t;
}

core::H5Attribute create_attribute(hid_t object, const std::string& name, hid_t type, hid_t space) {
  if (SB_HDF5(H5Aexists(object, name.c_str())) > 0) SB_HDF5(H5Adelete(object, name.c_str()));
  return core::H5Attribute(
      SB_HDF5(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT)));
}
}  // namespace

void write_attribute(hid_t object, std::string_view name_view, const AttributeValue& value) {
  const std::string name(name_view);
  core::H5Dataspace scalar(SB_HDF5(H5Screate(H5S_SCALAR)));
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    auto a = create_attribute(object, name, H5T_STD_I64LE, scalar.get());
    SB_HDF5(H5Awrite(a.get(), H5T_NATIVE_INT64, i));
  } else if (const auto* x = std::get_if<double>(&value)) {
    auto a = create_attribute(object, name, H5T_IEEE_F64LE, scalar.get());
    SB_HDF5(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, x));
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    auto type = utf8_string_type();
    auto a = create_attribute(object, name, type.get(), scalar.get());
    const char* p = s->c_str();
    SB_HDF5(H5Awrite(a.get(), type.get(), &p));
  } else {
    const auto& v = std::get<std::vector<double>>(value);
    const hsize_t n = v.size();
    core::H5Dataspace space(SB_HDF5(H5Screate_simple(1, &n, nullptr)));
    auto a = create_attribute(object, name, H5T_IEEE_F64LE, space.get());
    static const double none = 0;
    SB_HDF5(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, v.empty() ? &none : v.data()));
  }
}

bool has_attribute(hid_t object, std::string_view name) {
  return SB_HDF5(H5Aexists(object, std::string(name).c_str())) > 0;
}

AttributeValue read_attribute(hid_t object, std::string_view name_view) {
  const std::string name(name_view);
  core::H5Attribute a(SB_HDF5(H5Aopen(object, name.c_str(), H5P_DEFAULT)));
  core::H5Datatype type(SB_HDF5(H5Aget_type(a.get())));
  core::H5Dataspace space(SB_HDF5(H5Aget_space(a.get())));
  const H5S_class_t space_class = SB_HDF5(H5Sget_simple_extent_type(space.get()));
  const hssize_t n_points = SB_HDF5(H5Sget_simple_extent_npoints(space.get()));
  const int n_dims = SB_HDF5(H5Sget_simple_extent_ndims(space.get()));
  const H5T_class_t type_class = SB_HDF5(H5Tget_class(type.get()));
  const bool scalar = space_class == H5S_SCALAR || (n_dims == 1 && n_points == 1);

  if (type_class == H5T_INTEGER && scalar) {
    std::int64_t i = 0;
    SB_HDF5(H5Aread(a.get(), H5T_NATIVE_INT64, &i));
    return i;
  }
  if (type_class == H5T_FLOAT && space_class == H5S_SCALAR) {
    double x = 0;
    SB_HDF5(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &x));
    return x;
  }
  if (type_class == H5T_FLOAT && n_dims <= 1) {
    std::vector<double> v(static_cast<std::size_t>(n_points));
    double none = 0;
    SB_HDF5(H5Aread(a.get(), H5T_NATIVE_DOUBLE, v.empty() ? &none : v.data()));
    return v;
  }
  if (type_class == H5T_STRING && scalar) {
    if (SB_HDF5(H5Tis_variable_str(type.get())) > 0) {
      auto mem = utf8_string_type();
      SB_HDF5(H5Tset_cset(mem.get(), SB_HDF5(H5Tget_cset(type.get()))));
      char* p = nullptr;
      SB_HDF5(H5Aread(a.get(), mem.get(), &p));
      std::string s = p ? p : "";
      if (p) SB_HDF5(H5free_memory(p));
      return s;
    }
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0) core::detail::throw_hdf5_error(0, "H5Tget_size(type)", __FILE__, __LINE__);
    std::string s(size, '\0');
    SB_HDF5(H5Aread(a.get(), type.get(), s.data()));
    s.resize(s.find_last_not_of('\0') == std::string::npos ? 0 : s.find_last_not_of('\0') + 1);
    return s;
  }
  throw core::Error(core::cat("attribute \"", name,
                              "\" is not an integer, a float, a 1-D float array or a string"));
}

}  // namespace spectralbrain::io::detail
