// Temporary file + rename.
#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::exports::detail {

namespace fs = std::filesystem;
using core::cat;

AtomicFile::AtomicFile(fs::path file) : file_(std::move(file)) {
  const fs::path folder = file_.has_parent_path() ? file_.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw core::InputError(file_.string(), "", cat("folder ", folder, " does not exist"));
  std::random_device device;
  std::mt19937_64 bits((static_cast<std::uint64_t>(device()) << 32) ^ device() ^
                       static_cast<std::uint64_t>(::getpid()));
  for (int attempt = 0;; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, ".tmp-%016llx", static_cast<unsigned long long>(bits()));
    temp_ = file_;
    temp_ += suffix;
    const int fd = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    if (errno != EEXIST || attempt == 10)
      throw core::InputError(
          file_.string(), "",
          cat("cannot create a file in ", folder, " (", std::strerror(errno), ")"));
  }
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  std::error_code ec;
  fs::remove(temp_, ec);
}

void AtomicFile::commit() {
  const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw core::InputError(file_.string(), "",
                           cat("cannot reopen ", temp_, " (", std::strerror(errno), ")"));
  const bool synced = ::fsync(fd) == 0 || errno == EINVAL;
  const int sync_errno = errno;
  ::close(fd);
  if (!synced)
    throw core::InputError(file_.string(), "",
                           cat("cannot sync ", temp_, " (", std::strerror(sync_errno), ")"));
  if (::rename(temp_.c_str(), file_.c_str()) != 0)
    throw core::InputError(file_.string(), "",
                           cat("cannot rename ", temp_, " to it (", std::strerror(errno), ")"));
  committed_ = true;
}

}  // namespace spectralbrain::exports::detail
