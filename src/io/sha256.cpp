// SHA-256 of a file through OpenSSL's EVP interface, streamed so that size does not matter.
#include "spectralbrain/io/sha256.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::io {

namespace {
[[noreturn]] void throw_openssl(const char* call, int line) {
  std::string message;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    if (!message.empty()) message += "; ";
    message += text;
  }
  throw core::LibraryError("OpenSSL", 0, call, __FILE__, line, message);
}

struct CloseFile {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
struct FreeDigest {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
}  // namespace

// OpenSSL's EVP functions return 1 on success.
#define SB_OPENSSL(call)                             \
  do {                                               \
    if ((call) != 1) throw_openssl(#call, __LINE__); \
  } while (0)

std::string sha256_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw core::InputError(file.string(), "", "cannot compute SHA-256: this is a folder");
  std::unique_ptr<std::FILE, CloseFile> in(std::fopen(file.c_str(), "rb"));
  if (!in)
    throw core::InputError(file.string(), "",
                           core::cat("cannot open for SHA-256: ", std::strerror(errno)));

  std::unique_ptr<EVP_MD_CTX, FreeDigest> ctx(EVP_MD_CTX_new());
  if (!ctx) throw_openssl("EVP_MD_CTX_new()", __LINE__);
  SB_OPENSSL(EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr));

  std::vector<unsigned char> buffer(std::size_t{1} << 20);
  for (;;) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), in.get());
    if (n > 0) SB_OPENSSL(EVP_DigestUpdate(ctx.get(), buffer.data(), n));
    if (n < buffer.size()) {
      if (std::ferror(in.get()))
        throw core::InputError(
            file.string(), "",
            core::cat("read error while computing SHA-256: ", std::strerror(errno)));
      break;  // end of file
    }
  }

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  SB_OPENSSL(EVP_DigestFinal_ex(ctx.get(), digest, &length));
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace spectralbrain::io
