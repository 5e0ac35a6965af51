// Exception types and the formatting of library errors.
#include "spectralbrain/core/error.hpp"

namespace spectralbrain::core {

namespace {
std::string input_message(const std::string& file, const std::string& record,
                          const std::string& problem) {
  std::string m = file.empty() ? std::string("input") : file;
  if (!record.empty()) m += ": " + record;
  return m + ": " + problem;
}
}  // namespace

InputError::InputError(std::string file, std::string record, std::string problem)
    : Error(input_message(file, record, problem)),
      file_(std::move(file)),
      record_(std::move(record)),
      problem_(std::move(problem)) {}

LibraryError::LibraryError(const std::string& library, int code, const std::string& call,
                           const char* file, int line, const std::string& message)
    : Error(cat(library, " error ", code, " in `", call, "` at ", file, ":", line,
                message.empty() ? std::string() : ": " + message)),
      code_(code) {}

}  // namespace spectralbrain::core
