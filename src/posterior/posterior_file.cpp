// Posterior file writer and reader: PosteriorDraws ↔ netCDF4-compatible HDF5 (ArviZ layout).
//
// netCDF4 is HDF5 with conventions: a dimension is a dataset marked as a dimension scale
// (CLASS="DIMENSION_SCALE", NAME), a coordinate variable is the scale of the same name, and
// a variable's axes point at their scales (DIMENSION_LIST / REFERENCE_LIST), all set by the
// hdf5_hl H5DS calls. Text attributes are fixed-length NUL-terminated strings and creation
// order is tracked on groups and attributes, as the netCDF library itself writes them.
#include "spectralbrain/io/posterior_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>  // H5DS*: dimension scales

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/hdf5.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/version.hpp"

namespace spectralbrain::io {

namespace fs = std::filesystem;
using core::cat;
using core::H5Attribute;
using core::H5Dataset;
using core::H5Dataspace;
using core::H5Datatype;
using core::H5File;
using core::H5Group;
using core::H5PropList;
using core::InputError;
using stats::PosteriorDraws;
using stats::ValueType;
using stats::Variable;

namespace {

using H5AnyObject = core::H5Object<H5Oclose>;

constexpr const char* group_names[] = {"posterior", "sample_stats", "observed_data"};

// ---------------------------------------------------------------------------------------
// Small HDF5 helpers

/// "2024-06-01T12:34:56.123456+00:00", the form of ArviZ's created_at.
std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[96];
  std::snprintf(out, sizeof out, "%s.%06lld+00:00", buffer, static_cast<long long>(micros));
  return out;
}

H5PropList creation_order_plist(hid_t cls, bool links) {
  H5PropList plist(SB_HDF5(H5Pcreate(cls)));
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  if (links) SB_HDF5(H5Pset_link_creation_order(plist.get(), flags));
  SB_HDF5(H5Pset_attr_creation_order(plist.get(), flags));
  return plist;
}

void write_string_attribute(hid_t object, const char* name, const std::string& value) {
  H5Datatype type(SB_HDF5(H5Tcopy(H5T_C_S1)));
  SB_HDF5(H5Tset_size(type.get(), value.empty() ? 1 : value.size()));
  SB_HDF5(H5Tset_strpad(type.get(), H5T_STR_NULLTERM));
  H5Dataspace space(SB_HDF5(H5Screate(H5S_SCALAR)));
  H5Attribute attribute(
      SB_HDF5(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT)));
  SB_HDF5(H5Awrite(attribute.get(), type.get(), value.c_str()));
}

void write_int_attribute(hid_t object, const char* name, int value) {
  const hsize_t one = 1;
  H5Dataspace space(SB_HDF5(H5Screate_simple(1, &one, nullptr)));
  H5Attribute attribute(
      SB_HDF5(H5Acreate2(object, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT)));
  SB_HDF5(H5Awrite(attribute.get(), H5T_NATIVE_INT, &value));
}

std::optional<std::string> read_string_attribute(hid_t object, const char* name) {
  if (SB_HDF5(H5Aexists(object, name)) == 0) return std::nullopt;
  H5Attribute attribute(SB_HDF5(H5Aopen(object, name, H5P_DEFAULT)));
  H5Datatype type(SB_HDF5(H5Aget_type(attribute.get())));
  if (H5Tget_class(type.get()) != H5T_STRING) return std::nullopt;
  H5Dataspace space(SB_HDF5(H5Aget_space(attribute.get())));
  if (SB_HDF5(H5Sget_simple_extent_npoints(space.get())) != 1) return std::nullopt;
  if (SB_HDF5(H5Tis_variable_str(type.get())) > 0) {
    H5Datatype memory(SB_HDF5(H5Tcopy(H5T_C_S1)));
    SB_HDF5(H5Tset_size(memory.get(), H5T_VARIABLE));
    char* text = nullptr;
    SB_HDF5(H5Aread(attribute.get(), memory.get(), &text));
    std::string out = text ? text : "";
    H5free_memory(text);
    return out;
  }
  std::vector<char> buffer(H5Tget_size(type.get()) + 1, '\0');
  SB_HDF5(H5Aread(attribute.get(), type.get(), buffer.data()));
  return std::string(buffer.data());
}

std::optional<long long> read_int_attribute(hid_t object, const char* name) {
  if (SB_HDF5(H5Aexists(object, name)) == 0) return std::nullopt;
  H5Attribute attribute(SB_HDF5(H5Aopen(object, name, H5P_DEFAULT)));
  H5Datatype type(SB_HDF5(H5Aget_type(attribute.get())));
  if (H5Tget_class(type.get()) != H5T_INTEGER) return std::nullopt;
  H5Dataspace space(SB_HDF5(H5Aget_space(attribute.get())));
  if (SB_HDF5(H5Sget_simple_extent_npoints(space.get())) != 1) return std::nullopt;
  long long value = 0;
  SB_HDF5(H5Aread(attribute.get(), H5T_NATIVE_LLONG, &value));
  return value;
}

/// The attributes ArviZ puts on the root and on every group.
void write_provenance(hid_t object, const std::string& created_at) {
  write_string_attribute(object, "created_at", created_at);
  write_string_attribute(object, "inference_library", "spectralbrain");
  write_string_attribute(object, "inference_library_version", core::version);
  write_string_attribute(object, "creation_library", "spectralbrain");
  write_string_attribute(object, "creation_library_version", core::version);
  write_string_attribute(object, "creation_library_language", "C++");
}

H5Dataset create_dataset(hid_t group, const std::string& name, hid_t file_type,
                         const std::vector<hsize_t>& dims) {
  H5Dataspace space(dims.empty() ? SB_HDF5(H5Screate(H5S_SCALAR))
                                 : SB_HDF5(H5Screate_simple(static_cast<int>(dims.size()),
                                                            dims.data(), nullptr)));
  H5PropList dcpl = creation_order_plist(H5P_DATASET_CREATE, false);
  return H5Dataset(SB_HDF5(H5Dcreate2(group, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                      dcpl.get(), H5P_DEFAULT)));
}

H5Datatype variable_string_type() {
  H5Datatype type(SB_HDF5(H5Tcopy(H5T_C_S1)));
  SB_HDF5(H5Tset_size(type.get(), H5T_VARIABLE));
  SB_HDF5(H5Tset_cset(type.get(), H5T_CSET_UTF8));
  return type;
}

// ---------------------------------------------------------------------------------------
// Writing

/// One dimension of a group: its length and, optionally, string labels.
struct Dimension {
  hsize_t length = 0;
  std::vector<std::string> labels;
  H5Dataset scale;
};

/// Checks one group's variables and collects its dimensions (chain and draw first).
class GroupWriter {
 public:
  GroupWriter(const fs::path& path, std::string group, const std::vector<Variable>& variables,
              const PosteriorDraws& draws)
      : file_(path.string()),
        group_(std::move(group)),
        variables_(variables),
        sampled_(group_ != "observed_data"),
        n_chains_(draws.n_chains),
        n_draws_(draws.n_draws) {}

  void check_and_plan() {
    if (sampled_) {
      add_dimension("chain", n_chains_, {}, "chain");
      add_dimension("draw", n_draws_, {}, "draw");
    }
    std::map<std::string, int> seen;
    for (const auto& v : variables_) {
      const std::string record = group_ + "/" + v.name;
      if (v.name.empty() || v.name.find('/') != std::string::npos || v.name == ".")
        throw InputError(file_, record, "a variable name must be non-empty and without '/'");
      if (seen[v.name]++) throw InputError(file_, record, "two variables have this name");
      if (!v.dim_names.empty() && v.dim_names.size() != v.shape.size())
        throw InputError(file_, record,
                         cat(v.dim_names.size(), " dim names for ", v.shape.size(), " axes"));
      if (!v.coords.empty() && (v.shape.size() != 1 || v.coords.size() != v.shape[0]))
        throw InputError(file_, record, "coords need a 1-D variable and one label per entry");
      std::size_t per_sample = 1;
      for (std::size_t axis = 0; axis < v.shape.size(); ++axis) {
        if (v.shape[axis] == 0) throw InputError(file_, record, "a shape entry is 0");
        per_sample *= v.shape[axis];
        add_dimension(dim_name(v, axis), v.shape[axis], v.coords, record);
      }
      const std::size_t expected = (sampled_ ? n_chains_ * n_draws_ : 1) * per_sample;
      if (v.values.size() != expected)
        throw InputError(file_, record,
                         cat(v.values.size(), " values, expected ", expected,
                             sampled_ ? cat(" (", n_chains_, " chains × ", n_draws_, " draws × ",
                                            per_sample, ")")
                                      : std::string()));
      check_values(v, record);
    }
    for (const auto& v : variables_)
      if (dims_.count(v.name))
        throw InputError(file_, group_ + "/" + v.name,
                         "a variable cannot have the name of a dimension of its group");
  }

  void write(hid_t file, const std::string& created_at) {
    H5PropList gcpl = creation_order_plist(H5P_GROUP_CREATE, true);
    H5Group group(SB_HDF5(H5Gcreate2(file, group_.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT)));
    write_provenance(group.get(), created_at);
    for (const auto& name : dim_order_) write_coordinate(group.get(), name, dims_.at(name));
    for (const auto& v : variables_) write_variable(group.get(), v);
  }

 private:
  static std::string dim_name(const Variable& v, std::size_t axis) {
    return v.dim_names.empty() ? cat(v.name, "_dim_", axis) : v.dim_names[axis];
  }

  void add_dimension(const std::string& name, std::size_t length,
                     const std::vector<std::string>& labels, const std::string& record) {
    if (name.empty() || name.find('/') != std::string::npos)
      throw InputError(file_, record, "a dim name must be non-empty and without '/'");
    auto [it, added] = dims_.try_emplace(name);
    Dimension& dim = it->second;
    if (added) {
      dim.length = length;
      dim_order_.push_back(name);
    } else if (dim.length != length) {
      throw InputError(file_, record,
                       cat("dim '", name, "' has length ", length, " here but ", dim.length,
                           " elsewhere in ", group_));
    }
    if (!labels.empty()) {
      if (!dim.labels.empty() && dim.labels != labels)
        throw InputError(file_, record, cat("dim '", name, "' has two different sets of coords"));
      dim.labels = labels;
    }
  }

  void check_values(const Variable& v, const std::string& record) const {
    if (v.type == ValueType::float64) return;
    for (std::size_t i = 0; i < v.values.size(); ++i) {
      const double x = v.values[i];
      const bool ok = v.type == ValueType::boolean
                          ? (x == 0.0 || x == 1.0)
                          : (std::isfinite(x) && std::nearbyint(x) == x && std::abs(x) < 9.2e18);
      if (!ok)
        throw InputError(file_, record,
                         cat("value ", i, " is ", x, ", not ",
                             v.type == ValueType::boolean ? "0 or 1" : "an integer"));
    }
  }

  void write_coordinate(hid_t group, const std::string& name, Dimension& dim) {
    if (dim.labels.empty()) {
      dim.scale = create_dataset(group, name, H5T_STD_I64LE, {dim.length});
      std::vector<std::int64_t> index(dim.length);
      for (hsize_t i = 0; i < dim.length; ++i) index[i] = static_cast<std::int64_t>(i);
      SB_HDF5(
          H5Dwrite(dim.scale.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, index.data()));
    } else {
      H5Datatype type = variable_string_type();
      dim.scale = create_dataset(group, name, type.get(), {dim.length});
      std::vector<const char*> text;
      for (const auto& label : dim.labels) text.push_back(label.c_str());
      SB_HDF5(H5Dwrite(dim.scale.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()));
    }
    SB_HDF5(H5DSset_scale(dim.scale.get(), name.c_str()));
  }

  void write_variable(hid_t group, const Variable& v) {
    std::vector<hsize_t> dims;
    std::vector<std::string> names;
    if (sampled_) {
      dims = {n_chains_, n_draws_};
      names = {"chain", "draw"};
    }
    for (std::size_t axis = 0; axis < v.shape.size(); ++axis) {
      dims.push_back(v.shape[axis]);
      names.push_back(dim_name(v, axis));
    }
    H5Dataset dataset;
    switch (v.type) {
      case ValueType::float64:
        dataset = create_dataset(group, v.name, H5T_IEEE_F64LE, dims);
        SB_HDF5(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                         v.values.data()));
        break;
      case ValueType::int64: {
        dataset = create_dataset(group, v.name, H5T_STD_I64LE, dims);
        std::vector<std::int64_t> data(v.values.begin(), v.values.end());
        SB_HDF5(
            H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()));
        break;
      }
      case ValueType::boolean: {
        // netCDF has no boolean: xarray stores int8 and marks it so it decodes to bool.
        dataset = create_dataset(group, v.name, H5T_STD_I8LE, dims);
        std::vector<std::int8_t> data(v.values.begin(), v.values.end());
        SB_HDF5(
            H5Dwrite(dataset.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()));
        write_string_attribute(dataset.get(), "dtype", "bool");
        break;
      }
    }
    for (std::size_t axis = 0; axis < names.size(); ++axis)
      SB_HDF5(H5DSattach_scale(dataset.get(), dims_.at(names[axis]).scale.get(),
                               static_cast<unsigned>(axis)));
  }

  std::string file_;
  std::string group_;
  const std::vector<Variable>& variables_;
  bool sampled_;
  hsize_t n_chains_;
  hsize_t n_draws_;
  std::map<std::string, Dimension> dims_;
  std::vector<std::string> dim_order_;
};

fs::path temporary_path(const fs::path& path) {
  fs::path tmp = path;
  tmp.replace_filename(path.stem().string() + ".tmp" + path.extension().string());
  return tmp;
}

// ---------------------------------------------------------------------------------------
// Reading

/// Names of the links of `group`, in creation order when it is tracked (netCDF order).
std::vector<std::string> link_names(hid_t group) {
  H5PropList gcpl(SB_HDF5(H5Gget_create_plist(group)));
  unsigned flags = 0;
  SB_HDF5(H5Pget_link_creation_order(gcpl.get(), &flags));
  const H5_index_t index = (flags & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->push_back(name);
    return 0;
  };
  SB_HDF5(H5Literate(group, index, H5_ITER_INC, nullptr, collect, &names));
  return names;
}

bool is_dataset(hid_t group, const std::string& name) {
  H5AnyObject object(SB_HDF5(H5Oopen(group, name.c_str(), H5P_DEFAULT)));
  return H5Iget_type(object.get()) == H5I_DATASET;
}

std::string basename_of(const std::string& hdf5_path) {
  const auto slash = hdf5_path.rfind('/');
  return slash == std::string::npos ? hdf5_path : hdf5_path.substr(slash + 1);
}

/// Name of the dimension scale attached to `axis` of `dataset`; empty if none.
std::string scale_name(hid_t dataset, unsigned axis) {
  if (SB_HDF5(H5DSget_num_scales(dataset, axis)) <= 0) return {};
  std::string name;
  auto visit = [](hid_t, unsigned, hid_t scale, void* data) -> herr_t {
    const ssize_t size = H5Iget_name(scale, nullptr, 0);
    if (size < 0) return -1;
    std::string full(static_cast<std::size_t>(size) + 1, '\0');
    if (H5Iget_name(scale, full.data(), full.size()) < 0) return -1;
    full.resize(static_cast<std::size_t>(size));
    *static_cast<std::string*>(data) = basename_of(full);
    return 1;  // the first scale is the dimension
  };
  SB_HDF5(H5DSiterate_scales(dataset, axis, nullptr, visit, &name));
  return name;
}

std::vector<std::string> read_strings(hid_t dataset, hid_t type, std::size_t n) {
  std::vector<std::string> out;
  if (SB_HDF5(H5Tis_variable_str(type)) > 0) {
    // Same character set as the file: HDF5 converts no strings between ASCII and UTF-8.
    H5Datatype memory(SB_HDF5(H5Tcopy(type)));
    std::vector<char*> text(n, nullptr);
    SB_HDF5(H5Dread(dataset, memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()));
    for (char* t : text) out.emplace_back(t ? t : "");
    H5Dataspace space(SB_HDF5(H5Dget_space(dataset)));
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, text.data());
  } else {
    const std::size_t size = H5Tget_size(type);
    std::vector<char> buffer(n * size + 1, '\0');
    SB_HDF5(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()));
    for (std::size_t i = 0; i < n; ++i) {
      std::string s(buffer.data() + i * size, size);
      out.push_back(s.substr(0, s.find('\0')));
    }
  }
  return out;
}

std::string shortest(double x) {
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
    if (std::strtod(buffer, nullptr) == x) break;
  }
  return buffer;
}

/// Labels of a dimension from its coordinate variable, unless they are just 0..n−1.
std::vector<std::string> read_labels(hid_t group, const std::string& dim, std::size_t n) {
  if (SB_HDF5(H5Lexists(group, dim.c_str(), H5P_DEFAULT)) == 0 || !is_dataset(group, dim))
    return {};
  H5Dataset coordinate(SB_HDF5(H5Dopen2(group, dim.c_str(), H5P_DEFAULT)));
  H5Dataspace space(SB_HDF5(H5Dget_space(coordinate.get())));
  if (SB_HDF5(H5Sget_simple_extent_npoints(space.get())) != static_cast<hssize_t>(n)) return {};
  H5Datatype type(SB_HDF5(H5Dget_type(coordinate.get())));
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls == H5T_STRING) return read_strings(coordinate.get(), type.get(), n);
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) return {};
  // netCDF's "dimension without a variable" scales hold no meaningful values.
  auto name = read_string_attribute(coordinate.get(), "NAME");
  if (name && name->rfind("This is a netCDF dimension but not a netCDF variable", 0) == 0)
    return {};
  std::vector<double> values(n);
  SB_HDF5(
      H5Dread(coordinate.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()));
  bool is_index = true;
  for (std::size_t i = 0; i < n; ++i) is_index = is_index && values[i] == static_cast<double>(i);
  if (is_index) return {};
  std::vector<std::string> out;
  for (double v : values) out.push_back(shortest(v));
  return out;
}

class GroupReader {
 public:
  GroupReader(std::string file, std::string group) : file_(std::move(file)), group_(group) {}

  /// Reads every variable of `group`; for sampled groups checks (chain, draw, ...) and
  /// agreement of n_chains/n_draws with `draws` (0 = not known yet).
  std::vector<Variable> read(hid_t group, PosteriorDraws& draws) {
    const bool sampled = group_ != "observed_data";
    std::vector<Variable> out;
    for (const auto& name : link_names(group)) {
      if (!is_dataset(group, name)) continue;
      H5Dataset dataset(SB_HDF5(H5Dopen2(group, name.c_str(), H5P_DEFAULT)));
      if (SB_HDF5(H5DSis_scale(dataset.get())) > 0) continue;  // a dimension/coordinate
      const std::string record = group_ + "/" + name;
      Variable v;
      v.name = name;

      H5Dataspace space(SB_HDF5(H5Dget_space(dataset.get())));
      const int rank = SB_HDF5(H5Sget_simple_extent_ndims(space.get()));
      std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
      if (rank > 0) SB_HDF5(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr));
      std::vector<std::string> dim_names;
      for (int axis = 0; axis < rank; ++axis) {
        std::string dim = scale_name(dataset.get(), static_cast<unsigned>(axis));
        if (dim.empty())
          throw InputError(file_, record,
                           cat("axis ", axis, " has no dimension scale (not a netCDF4 variable)"));
        dim_names.push_back(dim);
      }

      std::size_t first_own = 0;
      if (sampled) {
        if (rank < 2 || dim_names[0] != "chain" || dim_names[1] != "draw")
          throw InputError(file_, record, "expected dims (chain, draw, ...)");
        if (draws.n_chains == 0 && draws.n_draws == 0) {
          draws.n_chains = dims[0];
          draws.n_draws = dims[1];
        } else if (dims[0] != draws.n_chains || dims[1] != draws.n_draws) {
          throw InputError(file_, record,
                           cat(dims[0], " chains × ", dims[1], " draws, but other variables have ",
                               draws.n_chains, " × ", draws.n_draws));
        }
        first_own = 2;
      }
      for (std::size_t axis = first_own; axis < dims.size(); ++axis) {
        v.shape.push_back(dims[axis]);
        v.dim_names.push_back(dim_names[axis]);
      }
      if (v.shape.size() == 1) v.coords = read_labels(group, v.dim_names[0], v.shape[0]);

      H5Datatype type(SB_HDF5(H5Dget_type(dataset.get())));
      switch (H5Tget_class(type.get())) {
        case H5T_FLOAT:
          v.type = ValueType::float64;
          break;
        case H5T_INTEGER: {
          auto dtype = read_string_attribute(dataset.get(), "dtype");
          v.type = dtype && *dtype == "bool" ? ValueType::boolean : ValueType::int64;
          break;
        }
        default:
          throw InputError(file_, record, "unsupported data type (numbers only)");
      }
      const hssize_t n = SB_HDF5(H5Sget_simple_extent_npoints(space.get()));
      v.values.resize(static_cast<std::size_t>(n));
      if (n > 0)
        SB_HDF5(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                        v.values.data()));
      out.push_back(std::move(v));
    }
    return out;
  }

 private:
  std::string file_;
  std::string group_;
};

PosteriorDraws read_file(const fs::path& path) {
  const std::string file = path.string();
  H5File f(SB_HDF5(H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)));
  if (auto version = read_int_attribute(f.get(), "posterior_format_version")) {
    auto complete = read_int_attribute(f.get(), "complete");
    if (!complete || *complete != 1)
      throw InputError(file, "",
                       "incomplete posterior file (no complete=1): the run that "
                       "wrote it did not finish");
    if (*version > posterior_format_version)
      throw InputError(file, "",
                       cat("posterior_format_version ", *version, " is newer than this ",
                           "SpectralBrain reads (", posterior_format_version, ")"));
  }
  PosteriorDraws draws;
  for (const char* name : group_names) {
    const bool present = SB_HDF5(H5Lexists(f.get(), name, H5P_DEFAULT)) > 0;
    if (!present) {
      if (std::string(name) == "posterior")
        throw InputError(file, "", "no 'posterior' group: not a posterior file");
      continue;
    }
    H5Group group(SB_HDF5(H5Gopen2(f.get(), name, H5P_DEFAULT)));
    auto variables = GroupReader(file, name).read(group.get(), draws);
    if (std::string(name) == "posterior") {
      if (variables.empty()) throw InputError(file, "posterior", "the group has no variables");
      draws.posterior = std::move(variables);
    } else if (std::string(name) == "sample_stats") {
      draws.sample_stats = std::move(variables);
    } else {
      draws.observed_data = std::move(variables);
    }
  }
  return draws;
}

}  // namespace

void write_posterior(const fs::path& path, const PosteriorDraws& draws) {
  const std::string file = path.string();
  if (draws.n_chains == 0 || draws.n_draws == 0)
    throw InputError(file, "", "no draws to write (0 chains or 0 draws)");
  if (draws.posterior.empty()) throw InputError(file, "posterior", "no variables to write");
  const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(parent))
    throw InputError(file, "", cat("the folder ", parent.string(), " does not exist"));

  std::vector<GroupWriter> groups;
  groups.reserve(3);
  groups.emplace_back(path, "posterior", draws.posterior, draws);
  groups.emplace_back(path, "sample_stats", draws.sample_stats, draws);
  groups.emplace_back(path, "observed_data", draws.observed_data, draws);
  for (auto& g : groups) g.check_and_plan();  // all input errors before touching the disk

  const fs::path tmp = temporary_path(path);
  try {
    H5PropList fcpl = creation_order_plist(H5P_FILE_CREATE, true);
    H5File f(SB_HDF5(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT)));
    const std::string created_at = utc_timestamp();
    write_provenance(f.get(), created_at);
    write_string_attribute(f.get(), "spectralbrain_version", core::version);
    write_int_attribute(f.get(), "posterior_format_version", posterior_format_version);
    for (auto& g : groups) g.write(f.get(), created_at);
    write_int_attribute(f.get(), "complete", 1);
    f.close();
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw InputError(file, "", cat("cannot rename ", tmp.string(), " into place: ", ec.message()));
  }
}

void write_posterior(MPI_Comm comm, int root, const fs::path& path, const PosteriorDraws& draws) {
  const int rank = core::rank(comm);
  std::exception_ptr failure;
  std::string message;
  if (rank == root) {
    try {
      write_posterior(path, draws);
    } catch (const std::exception& e) {
      failure = std::current_exception();
      message = e.what();
    }
  }
  int status[2] = {failure ? 1 : 0, static_cast<int>(message.size())};
  SB_MPI(MPI_Bcast(status, 2, MPI_INT, root, comm));
  if (!status[0]) return;
  message.resize(static_cast<std::size_t>(status[1]));
  if (status[1] > 0) SB_MPI(MPI_Bcast(message.data(), status[1], MPI_CHAR, root, comm));
  if (rank == root) std::rethrow_exception(failure);
  throw core::Error(cat("writing ", path.string(), " failed on rank ", root, ": ", message));
}

PosteriorDraws read_posterior(const fs::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(file, "", "no such file");
  if (!fs::is_regular_file(path, ec)) throw InputError(file, "", "not a regular file");
  if (H5Fis_hdf5(file.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    throw InputError(file, "", "not an HDF5 file (or its header is damaged)");
  }
  try {
    return read_file(path);
  } catch (const core::LibraryError& e) {
    // A truncated or damaged file fails inside HDF5: say which file, keep HDF5's words.
    throw InputError(file, "", cat("cannot be read as a posterior file: ", e.what()));
  }
}

}  // namespace spectralbrain::io
