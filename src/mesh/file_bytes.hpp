// Private to the mesh readers: a file's bytes, with the file-level errors users can act on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace spectralbrain::mesh::detail {

/// Throws InputError unless `path` names an existing regular file; returns its size in bytes.
std::uintmax_t checked_file_size(const std::filesystem::path& path);

/// The whole content of the file (at most its size: nothing is allocated beyond it).
std::string read_file_bytes(const std::filesystem::path& path);

/// The first `n` bytes of the file (fewer if it is shorter).
std::string read_file_head(const std::filesystem::path& path, std::size_t n);

/// Writes `bytes` to a temporary file beside `path` and renames it to `path` when complete,
/// so that a failure never leaves a partial file under the final name. Throws InputError
/// naming `path` if it cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

/// A temporary name beside a file to be written by someone else (e.g. gifticlib), renamed
/// to the final name by commit(); removed on destruction if not committed.
class AtomicPath {
 public:
  explicit AtomicPath(std::filesystem::path final_path);
  AtomicPath(const AtomicPath&) = delete;
  AtomicPath& operator=(const AtomicPath&) = delete;
  ~AtomicPath();
  /// The temporary name to write to.
  const std::filesystem::path& temporary() const noexcept { return temporary_; }
  /// Renames the temporary file to the final name; throws InputError on failure.
  void commit();

 private:
  std::filesystem::path final_, temporary_;
  bool committed_ = false;
};

/// `bytes` made printable for a message: at most `max` characters, non-printable bytes as
/// \xNN, quoted.
std::string printable(std::string_view bytes, std::size_t max = 24);

}  // namespace spectralbrain::mesh::detail
