// Family names.
#include "spectralbrain/models/family.hpp"

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

Family parse_family(std::string_view name) {
  if (name == "gaussian") return Family::gaussian;
  if (name == "student_t" || name == "student") return Family::student_t;
  throw core::InputError("--family", "",
                         core::cat("unknown family '", name, "' (families: gaussian, student_t)"));
}

std::string family_name(Family family) {
  return family == Family::gaussian ? "gaussian" : "student_t";
}

}  // namespace spectralbrain::models
