// Publishing files atomically: unique temporary sibling, fsync, rename, fsync the folder.
#include "spectralbrain/core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>

#include "spectralbrain/core/error.hpp"

namespace fs = std::filesystem;

namespace spectralbrain::core {

namespace {
std::string errno_text(int e) { return std::strerror(e); }
}  // namespace

std::string create_temporary_sibling(const fs::path& output, fs::path& temp) {
  if (output.empty() || !output.has_filename())
    return "the output must be a file name, not a folder";
  const fs::path folder = output.has_parent_path() ? output.parent_path() : fs::path(".");
  std::error_code ec;
  const fs::file_status folder_status = fs::status(folder, ec);
  if (!fs::exists(folder_status))
    return cat("output folder ", folder, " does not exist (create it first)");
  if (!fs::is_directory(folder_status)) return cat(folder, " is not a folder");
  if (fs::is_directory(output, ec)) return "the output is an existing folder";

  std::random_device device;
  std::mt19937_64 bits((static_cast<std::uint64_t>(device()) << 32) ^ device() ^
                       static_cast<std::uint64_t>(::getpid()));
  for (int attempt = 0;; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, ".tmp-%016llx", static_cast<unsigned long long>(bits()));
    temp = output;
    temp += suffix;
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return {};
    }
    if (errno != EEXIST || attempt == 10)
      return cat("cannot create a file in folder ", folder, " (", errno_text(errno), ")");
  }
}

std::string publish_file(const fs::path& temp, const fs::path& output) {
  const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return cat("cannot reopen ", temp, " (", errno_text(errno), ")");
  // EINVAL: the file system does not do fsync (then there is nothing more we can do).
  const bool synced = ::fsync(fd) == 0 || errno == EINVAL;
  const int sync_errno = errno;
  ::close(fd);
  if (!synced) return cat("cannot sync ", temp, " to disk (", errno_text(sync_errno), ")");
  if (::rename(temp.c_str(), output.c_str()) != 0)
    return cat("cannot rename ", temp, " to the final name (", errno_text(errno), ")");
  // Make the rename itself durable; failure here does not make the file wrong.
  const fs::path folder = output.has_parent_path() ? output.parent_path() : fs::path(".");
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
  return {};
}

AtomicFile::AtomicFile(fs::path file) : file_(std::move(file)) {
  if (std::string problem = create_temporary_sibling(file_, temp_); !problem.empty())
    throw InputError(file_.string(), "", problem);
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove(temp_, ignored);
}

void AtomicFile::commit() {
  if (std::string problem = publish_file(temp_, file_); !problem.empty())
    throw InputError(file_.string(), "", problem);
  committed_ = true;
}

}  // namespace spectralbrain::core
