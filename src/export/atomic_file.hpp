// A file written under a temporary name beside its final one and renamed when complete.
#pragma once

#include <filesystem>

namespace spectralbrain::exports::detail {

/// Owns `<file>.tmp-<random>`; commit() renames it to `file`, the destructor removes it
/// otherwise. The temporary name is only reserved (created empty, O_EXCL).
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
  /// fsyncs the temporary file and renames it over `file`.
  /// @throws core::InputError naming the file if either fails
  void commit();

 private:
  std::filesystem::path file_, temp_;
  bool committed_ = false;
};

}  // namespace spectralbrain::exports::detail
