// HDF5 error messages: the library's error stack, walked into one line.
#include "spectralbrain/core/hdf5.hpp"

namespace spectralbrain::core::detail {

namespace {
herr_t collect(unsigned n, const H5E_error2_t* e, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (n > 0) *out += "; ";
  *out += cat(e->func_name ? e->func_name : "?", "(): ", e->desc ? e->desc : "");
  return 0;
}
}  // namespace

void throw_hdf5_error(long long code, const char* call, const char* file, int line) {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &message);
  H5Eclear2(H5E_DEFAULT);
  throw LibraryError("HDF5", static_cast<int>(code), call, file, line, message);
}

}  // namespace spectralbrain::core::detail
