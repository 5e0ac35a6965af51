// Reading mesh files into memory, with errors that name the file and say what is wrong.
#include "file_bytes.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

#include <unistd.h>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh::detail {

namespace fs = std::filesystem;

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

File open_for_reading(const fs::path& path) {
  errno = 0;
  File f(std::fopen(path.c_str(), "rb"));
  if (!f)
    throw core::InputError(path.string(), "",
                           core::cat("cannot open the file for reading: ", std::strerror(errno)));
  return f;
}

// Reads up to `n` bytes; fewer only at end of file.
std::string read_up_to(std::FILE* f, const fs::path& path, std::size_t n) {
  std::string bytes(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const std::size_t r = std::fread(bytes.data() + got, 1, n - got, f);
    got += r;
    if (r == 0) {
      if (std::ferror(f))
        throw core::InputError(
            path.string(), "",
            core::cat("read error after ", got, " bytes: ", std::strerror(errno)));
      break;
    }
  }
  bytes.resize(got);
  return bytes;
}
}  // namespace

std::uintmax_t checked_file_size(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found)
    throw core::InputError(path.string(), "", "file not found");
  if (ec)
    throw core::InputError(path.string(), "", core::cat("cannot access the file: ", ec.message()));
  if (fs::is_directory(status))
    throw core::InputError(path.string(), "", "is a directory, not a mesh file");
  if (!fs::is_regular_file(status))
    throw core::InputError(path.string(), "", "is not a regular file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec)
    throw core::InputError(path.string(), "",
                           core::cat("cannot determine the file size: ", ec.message()));
  return size;
}

std::string read_file_bytes(const fs::path& path) {
  const std::uintmax_t size = checked_file_size(path);
  if (size > SIZE_MAX / 2)
    throw core::InputError(path.string(), "", core::cat("file is too large (", size, " bytes)"));
  File f = open_for_reading(path);
  return read_up_to(f.get(), path, static_cast<std::size_t>(size));
}

std::string read_file_head(const fs::path& path, std::size_t n) {
  checked_file_size(path);
  File f = open_for_reading(path);
  return read_up_to(f.get(), path, n);
}

AtomicPath::AtomicPath(fs::path final_path) : final_(std::move(final_path)) {
  if (final_.filename().empty())
    throw core::InputError(final_.string(), "", "is not a file name (it names a folder)");
  // The process id keeps concurrent writers (ranks, batch jobs) apart; the leading dot and
  // the suffix keep the partial file from looking like a mesh.
  temporary_ =
      final_.parent_path() / core::cat(".", final_.filename().string(), ".partial-", ::getpid());
}

AtomicPath::~AtomicPath() {
  if (committed_) return;
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void AtomicPath::commit() {
  std::error_code ec;
  fs::rename(temporary_, final_, ec);
  if (ec)
    throw core::InputError(final_.string(), "",
                           core::cat("cannot move the finished file into place: ", ec.message()));
  committed_ = true;
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  AtomicPath target(path);
  {
    errno = 0;
    File f(std::fopen(target.temporary().c_str(), "wb"));
    if (!f)
      throw core::InputError(path.string(), "",
                             core::cat("cannot open for writing: ", std::strerror(errno)));
    if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size() ||
        std::fflush(f.get()) != 0)
      throw core::InputError(path.string(), "", core::cat("write failed: ", std::strerror(errno)));
    const int closed = std::fclose(f.release());
    if (closed != 0)
      throw core::InputError(path.string(), "", core::cat("write failed: ", std::strerror(errno)));
  }
  target.commit();
}

std::string printable(std::string_view bytes, std::size_t max) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "'";
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  if (bytes.size() > max) out += "...";
  return out + "'";
}

}  // namespace spectralbrain::mesh::detail
