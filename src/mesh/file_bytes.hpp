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

/// `bytes` made printable for a message: at most `max` characters, non-printable bytes as
/// \xNN, quoted.
std::string printable(std::string_view bytes, std::size_t max = 24);

}  // namespace spectralbrain::mesh::detail
