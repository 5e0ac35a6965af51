// HDF5 layer: the checking macro and move-only RAII owners of hid_t handles.
#pragma once

#include <hdf5.h>

#include <string>
#include <utility>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::core::detail {
/// Throws LibraryError with the messages on HDF5's error stack.
[[noreturn]] void throw_hdf5_error(long long code, const char* call, const char* file, int line);
template <class T>
T check_hdf5(T value, const char* call, const char* file, int line) {
  if (value < 0) throw_hdf5_error(static_cast<long long>(value), call, file, line);
  return value;
}
}  // namespace spectralbrain::core::detail

/// Check an HDF5 call returning herr_t or hid_t (negative = failure); yields the value.
#define SB_HDF5(call) ::spectralbrain::core::detail::check_hdf5((call), #call, __FILE__, __LINE__)

namespace spectralbrain::core {

/// Move-only owner of an HDF5 identifier closed by `Close` (H5Fclose, H5Dclose, ...).
template <herr_t (*Close)(hid_t)>
class H5Object {
 public:
  H5Object() = default;
  /// Takes ownership of `id`, which must be valid (check it with SB_HDF5 first).
  explicit H5Object(hid_t id) noexcept : id_(id) {}
  H5Object(const H5Object&) = delete;
  H5Object& operator=(const H5Object&) = delete;
  H5Object(H5Object&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
  H5Object& operator=(H5Object&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~H5Object() { reset(); }
  hid_t get() const noexcept { return id_; }
  explicit operator bool() const noexcept { return id_ >= 0; }
  void reset() noexcept {
    if (id_ >= 0) (void)Close(id_);
    id_ = H5I_INVALID_HID;
  }
  /// Close now and report failure (a destructor cannot); use for files being finished.
  void close() {
    if (id_ >= 0) {
      hid_t id = std::exchange(id_, H5I_INVALID_HID);
      SB_HDF5(Close(id));
    }
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using H5File = H5Object<H5Fclose>;
using H5Group = H5Object<H5Gclose>;
using H5Dataset = H5Object<H5Dclose>;
using H5Dataspace = H5Object<H5Sclose>;
using H5Attribute = H5Object<H5Aclose>;
using H5Datatype = H5Object<H5Tclose>;
using H5PropList = H5Object<H5Pclose>;

}  // namespace spectralbrain::core
