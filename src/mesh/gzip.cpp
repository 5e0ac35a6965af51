// gzip through zlib's inflate, output capped and grown only as data arrive.
#include "gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::mesh::detail {

namespace {
struct Inflater {
  z_stream z{};
  bool open = false;
  ~Inflater() {
    if (open) inflateEnd(&z);
  }
};
}  // namespace

bool is_gzip(std::string_view bytes) noexcept {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F &&
         static_cast<unsigned char>(bytes[1]) == 0x8B;
}

std::string gunzip(std::string_view compressed, std::size_t max_output, const std::string& source,
                   bool* complete) {
  Inflater inf;
  // 16 + MAX_WBITS: expect a gzip header and trailer (checked CRC).
  if (inflateInit2(&inf.z, 16 + MAX_WBITS) != Z_OK)
    throw core::Error("zlib: inflateInit2 failed (out of memory?)");
  inf.open = true;
  std::string out;
  std::size_t in_pos = 0;
  int status = Z_OK;
  while (out.size() < max_output) {
    if (inf.z.avail_in == 0 && in_pos < compressed.size()) {
      const std::size_t n = std::min<std::size_t>(compressed.size() - in_pos, UINT_MAX / 2);
      inf.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + in_pos));
      inf.z.avail_in = static_cast<uInt>(n);
      in_pos += n;
    }
    const std::size_t chunk = std::min<std::size_t>(
        {max_output - out.size(), std::max<std::size_t>(out.size(), 65536), UINT_MAX / 2});
    const std::size_t before = out.size();
    out.resize(before + chunk);
    inf.z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    inf.z.avail_out = static_cast<uInt>(chunk);
    const uInt in_before = inf.z.avail_in;
    status = inflate(&inf.z, Z_NO_FLUSH);
    out.resize(before + chunk - inf.z.avail_out);
    const bool progress = out.size() > before || inf.z.avail_in < in_before;
    if (status == Z_STREAM_END) break;
    if (status == Z_BUF_ERROR && inf.z.avail_in == 0 && in_pos >= compressed.size()) {
      throw core::InputError(source, "gzip stream",
                             core::cat("the compressed data are truncated (they end after ",
                                       out.size(), " decompressed bytes)"));
    }
    if ((status != Z_OK && status != Z_BUF_ERROR) || (!progress && inf.z.avail_in > 0))
      throw core::InputError(source, "gzip stream",
                             core::cat("the compressed data are corrupt (zlib: ",
                                       inf.z.msg ? inf.z.msg : zError(status), ")"));
  }
  if (complete) *complete = status == Z_STREAM_END;
  return out;
}

}  // namespace spectralbrain::mesh::detail
