// Names of the subject file's precision words.
#include "spectralbrain/io/subject_schema.hpp"

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::io {

std::string_view precision_name(Precision p) noexcept {
  return p == Precision::float32 ? "single" : "double";
}

Precision parse_precision(std::string_view word, std::string_view what) {
  if (word == "double") return Precision::float64;
  if (word == "single") return Precision::float32;
  throw core::InputError(std::string(what), "",
                         core::cat("precision \"", word, "\" is not \"double\" or \"single\""));
}

}  // namespace spectralbrain::io
