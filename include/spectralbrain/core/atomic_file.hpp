// Publishing files atomically: write under a unique temporary name beside the final one,
// then make it durable and rename it into place, so a crash never leaves a file that looks
// finished and concurrent writers never share a temporary file.
#pragma once

#include <filesystem>
#include <string>

namespace spectralbrain::core {

/// Creates an empty file "<output>.tmp-<16 hex digits>" in output's folder with O_EXCL (so
/// two writers never get the same one). The folder must exist.
/// @param output  the final file name
/// @param temp    set to the created file on success
/// @return "" on success, else the problem in words ("output folder "x" does not exist
///         (create it first)", "cannot create a file in folder ...", ...)
std::string create_temporary_sibling(const std::filesystem::path& output,
                                     std::filesystem::path& temp);

/// fsyncs `temp`, renames it over `output` (atomic on POSIX file systems) and fsyncs the
/// folder so the rename itself survives a crash.
/// @return "" on success, else the problem in words
std::string publish_file(const std::filesystem::path& temp, const std::filesystem::path& output);

/// One rank's atomic file: a temporary sibling made at construction
/// (create_temporary_sibling), removed at destruction unless commit() published it.
class AtomicFile {
 public:
  /// @throws core::InputError naming `file` if its folder is missing or not writable
  explicit AtomicFile(std::filesystem::path file);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();
  /// The temporary file to write (exists, empty, until commit()).
  const std::filesystem::path& temp() const noexcept { return temp_; }
  /// The final name.
  const std::filesystem::path& file() const noexcept { return file_; }
  /// Publishes the temporary file under the final name (publish_file).
  /// @throws core::InputError naming the file if that fails
  void commit();

 private:
  std::filesystem::path file_, temp_;
  bool committed_ = false;
};

}  // namespace spectralbrain::core
