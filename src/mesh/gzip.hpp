// Private to the mesh readers: gzip decompression through zlib with a cap on the output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spectralbrain::mesh::detail {

/// True if `bytes` begin with the gzip magic 0x1F 0x8B.
bool is_gzip(std::string_view bytes) noexcept;

/// Decompressed gzip data, at most `max_output` bytes: decompression stops there, so a
/// decompression bomb never allocates more than that (the output grows only as data
/// actually arrive). `complete` is set to whether the whole stream was decoded.
/// @throws core::InputError(source, "gzip stream", zlib's message) if the data are corrupt
///   or truncated before `max_output` bytes were produced
std::string gunzip(std::string_view compressed, std::size_t max_output, const std::string& source,
                   bool* complete = nullptr);

}  // namespace spectralbrain::mesh::detail
