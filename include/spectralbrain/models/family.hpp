// Family: the distribution of the response given the linear predictor (identity link).
#pragma once

#include <string>
#include <string_view>

namespace spectralbrain::models {

/// The response distributions: gaussian (y ~ N(μ, s)) and student_t (y ~ t_ν(μ, s), ν a
/// parameter, ν ≥ 1). s is sigma, the known se, or sqrt(se² + sigma²) with se(…, sigma = TRUE).
enum class Family { gaussian, student_t };

/// "gaussian" or "student_t" (also "student", as brms calls it) → the Family.
/// @throws core::InputError (file "--family") for another name
Family parse_family(std::string_view name);

/// The family's name as brms prints it: "gaussian", "student_t".
std::string family_name(Family family);

}  // namespace spectralbrain::models
