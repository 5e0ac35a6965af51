// Exceptions: what went wrong, said so that a user can act on it.
//
// InputError is for bad input (a file, a record in it, and the problem); LibraryError
// carries a PETSc/SLEPc/MPI/HDF5 failure with the library's own message and the call site.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace spectralbrain::core {

/// Base of every SpectralBrain exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad user input. what() reads "FILE: RECORD: PROBLEM" (record omitted when empty).
class InputError : public Error {
 public:
  /// @param file    the input file (or option) that is wrong
  /// @param record  where in it: "face 12", "header", "line 7"; may be empty
  /// @param problem what is wrong, in words a user understands
  InputError(std::string file, std::string record, std::string problem);
  const std::string& file() const noexcept { return file_; }
  const std::string& record() const noexcept { return record_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string file_, record_, problem_;
};

/// A failed library call. what() names the library, the call, file:line and the message.
class LibraryError : public Error {
 public:
  LibraryError(const std::string& library, int code, const std::string& call, const char* file,
               int line, const std::string& message);
  int code() const noexcept { return code_; }

 private:
  int code_;
};

/// A computation that ran but did not give a usable answer (e.g. too few converged pairs).
class ComputationError : public Error {
 public:
  using Error::Error;
};

/// Concatenate anything streamable into a string: cat("k=", k, " of ", n).
template <class... Args>
std::string cat(Args&&... args) {
  std::ostringstream out;
  (out << ... << std::forward<Args>(args));
  return out.str();
}

}  // namespace spectralbrain::core

/// Debug-only check of an internal invariant (input is checked always, with InputError).
#ifndef NDEBUG
#define SB_ASSERT(cond)                                                                  \
  do {                                                                                   \
    if (!(cond))                                                                         \
      throw ::spectralbrain::core::Error(::spectralbrain::core::cat(                     \
          "internal error: assertion `" #cond "` failed at ", __FILE__, ":", __LINE__)); \
  } while (0)
#else
#define SB_ASSERT(cond) ((void)0)
#endif
