// SHA-256 of a file, recorded in subject files to tie results to the exact input mesh.
#pragma once

#include <filesystem>
#include <string>

namespace spectralbrain::io {

/// SHA-256 digest of the bytes of `file`, streamed in 1 MiB pieces (any size works).
/// @return 64 lowercase hexadecimal characters
/// @throws core::InputError naming the file if it cannot be opened or read (missing, a
///         folder, no permission); core::LibraryError if OpenSSL fails.
std::string sha256_file(const std::filesystem::path& file);

}  // namespace spectralbrain::io
