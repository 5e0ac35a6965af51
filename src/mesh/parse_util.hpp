// Private to the mesh readers: number parsing, whitespace-token and line cursors over text,
// and a bounds-checked reader of binary records. Every reader reports errors through these
// so that a record number or line number is always at hand.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace spectralbrain::mesh::detail {

/// An integer written in decimal ("+" allowed); nullopt unless the whole token is one.
inline std::optional<long long> to_integer(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  long long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// A floating-point number ("+" allowed, also "nan"/"inf", which validate_mesh() rejects
/// with a clearer message than "not a number"); nullopt unless the whole token is one.
inline std::optional<double> to_double(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || end != s.data() + s.size()) return std::nullopt;
  // from_chars reports out-of-range values (1e999) as errors; they are infinite numbers.
  if (ec == std::errc::result_out_of_range) return s.starts_with('-') ? -HUGE_VAL : HUGE_VAL;
  if (ec != std::errc()) return std::nullopt;
  return v;
}

/// 1-based number of the line holding byte `offset` of `text`.
inline std::size_t line_at(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/// The non-blank lines of a text, comments removed, each split into whitespace tokens.
class Lines {
 public:
  /// @param comment  the character that starts a comment, or '\0' for none
  explicit Lines(std::string_view text, char comment = '#') : text_(text), comment_(comment) {}

  /// Advances to the next line with any tokens; false at end of text.
  bool next() {
    while (pos_ < text_.size()) {
      std::size_t end = text_.find('\n', pos_);
      if (end == std::string_view::npos) end = text_.size();
      std::string_view line = text_.substr(pos_, end - pos_);
      pos_ = end + 1;
      ++number_;
      if (comment_ != '\0')
        if (const std::size_t hash = line.find(comment_); hash != std::string_view::npos)
          line = line.substr(0, hash);
      tokens_.clear();
      std::size_t i = 0;
      while (i < line.size()) {
        while (i < line.size() && is_space(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        if (i > start) tokens_.push_back(line.substr(start, i - start));
      }
      if (!tokens_.empty()) return true;
    }
    return false;
  }

  const std::vector<std::string_view>& tokens() const noexcept { return tokens_; }
  /// "line 12": the current line, for messages.
  std::string record() const { return "line " + std::to_string(number_); }
  std::size_t number() const noexcept { return number_; }
  std::size_t bytes_left() const noexcept { return pos_ < text_.size() ? text_.size() - pos_ : 0; }

 private:
  std::string_view text_;
  char comment_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
  std::vector<std::string_view> tokens_;
};

/// Whitespace-separated tokens of a text regardless of line breaks (VTK and PLY ASCII data
/// may wrap records over lines). Line numbers are computed only when a message needs one.
class Tokens {
 public:
  explicit Tokens(std::string_view text, std::size_t start = 0) : text_(text), pos_(start) {}

  /// The next token, or an empty view at end of text.
  std::string_view next() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    start_ = pos_;
    while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
    return text_.substr(start_, pos_ - start_);
  }
  /// "line 12": the line of the last token returned.
  std::string record() const { return "line " + std::to_string(line_at(text_, start_)); }
  std::size_t position() const noexcept { return pos_; }
  std::size_t bytes_left() const noexcept { return text_.size() - pos_; }

 private:
  std::string_view text_;
  std::size_t pos_;
  std::size_t start_ = 0;
};

/// Byte order of binary records.
enum class Endian { little, big };

/// Decodes a fixed-size number of `T` (an integer or float type) from raw bytes.
template <class T>
T load(const char* p, Endian endian) {
  using U = std::conditional_t<
      sizeof(T) == 1, std::uint8_t,
      std::conditional_t<sizeof(T) == 2, std::uint16_t,
                         std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
  U u = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    const std::size_t shift = endian == Endian::little ? 8 * i : 8 * (sizeof(T) - 1 - i);
    u |= static_cast<U>(static_cast<U>(static_cast<unsigned char>(p[i])) << shift);
  }
  return std::bit_cast<T>(u);
}

/// Encodes `value` (an integer or float type) as raw bytes at `p`.
template <class T>
void store(char* p, T value, Endian endian) {
  using U = std::conditional_t<
      sizeof(T) == 1, std::uint8_t,
      std::conditional_t<sizeof(T) == 2, std::uint16_t,
                         std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>;
  const U u = std::bit_cast<U>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    const std::size_t shift = endian == Endian::little ? 8 * i : 8 * (sizeof(T) - 1 - i);
    p[i] = static_cast<char>(static_cast<unsigned char>(u >> shift));
  }
}

/// A vertex the polygon lists twice, if any (`scratch` is reused storage).
inline std::optional<std::int32_t> repeated_vertex(const std::vector<std::int32_t>& polygon,
                                                   std::vector<std::int32_t>& scratch) {
  scratch = polygon;
  std::sort(scratch.begin(), scratch.end());
  const auto dup = std::adjacent_find(scratch.begin(), scratch.end());
  if (dup == scratch.end()) return std::nullopt;
  return *dup;
}

/// Appends the polygon (i1 ... ik), k >= 3, as the fan (i1, ij, ij+1), j = 2..k-1.
inline void append_fan(const std::vector<std::int32_t>& polygon,
                       std::vector<std::array<std::int32_t, 3>>& faces) {
  for (std::size_t j = 1; j + 1 < polygon.size(); ++j)
    faces.push_back({polygon[0], polygon[j], polygon[j + 1]});
}

}  // namespace spectralbrain::mesh::detail
