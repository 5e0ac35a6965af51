// Comparing an existing subject file's attributes with this run's parameters.
#include "spectralbrain/batch/resume.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/io/sha256.hpp"
#include "spectralbrain/io/subject_reader.hpp"

namespace spectralbrain::batch {

namespace {
bool ignorable(const std::string& name) {
  static const char* exact[] = {
      "-log_view",     "-options_left", "-info",         "-memory_view", "-no_signal_handler",
      "-help",         "-history",      "-options_file", "-log_summary", "-options_view",
      "-malloc_debug", "-malloc_dump",  "-malloc_view",  "-log_trace"};
  for (const char* e : exact)
    if (name == e) return true;
  return name.find("_view") != std::string::npos || name.find("_monitor") != std::string::npos ||
         name.rfind("-malloc", 0) == 0 || name.rfind("-log_", 0) == 0;
}
bool is_option_token(const std::string& t) {
  if (t.size() < 2 || t[0] != '-') return false;
  return !(std::isdigit(static_cast<unsigned char>(t[1])) || t[1] == '.');
}
}  // namespace

std::string canonical_petsc_options(std::string_view options) {
  std::istringstream in{std::string(options)};
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!is_option_token(tokens[i])) continue;
    const std::string name = tokens[i];
    std::string value;
    if (i + 1 < tokens.size() && !is_option_token(tokens[i + 1])) value = tokens[++i];
    // "--k 20": PETSc also files the application's long options in its database; they are
    // compared as parameters of their own (k, sigma, ...) or are irrelevant (paths).
    if (!ignorable(name) && name.rfind("--", 0) != 0) pairs.emplace_back(name, value);
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += ' ';
    out += name;
    if (!value.empty()) out += ' ' + value;
  }
  return out;
}

OutputCheck check_output(const std::filesystem::path& output, const RunParameters& run,
                         const std::filesystem::path& mesh) noexcept {
  OutputCheck check;
  try {
    if (!io::subject_file_complete(output)) return check;
    io::SubjectReader reader(output);
    const io::SubjectAttributes& a = reader.attributes();
    check.state = OutputState::stale;
    if (a.k != run.k) {
      check.reason = core::cat("made with k = ", a.k, ", this run has k = ", run.k);
    } else if (!(std::abs(a.info.sigma - run.sigma) <=
                 1e-15 * std::max(1.0, std::abs(run.sigma)))) {
      check.reason = core::cat("made with sigma = ", a.info.sigma, ", this run has ", run.sigma);
    } else if (a.info.mass != run.mass) {
      check.reason = core::cat("made with mass ", a.info.mass, ", this run has ", run.mass);
    } else if (a.info.precision != run.precision) {
      check.reason = core::cat("made with precision ", io::precision_name(a.info.precision),
                               ", this run has ", io::precision_name(run.precision));
    } else if (canonical_petsc_options(a.info.petsc_options) !=
               canonical_petsc_options(run.petsc_options)) {
      check.reason = core::cat("made with other PETSc options (",
                               canonical_petsc_options(a.info.petsc_options), ")");
    } else if (!mesh.empty() && !std::filesystem::exists(mesh)) {
      check.reason = core::cat("its mesh ", mesh.string(), " is gone");
    } else if (!mesh.empty() && io::sha256_file(mesh) != a.info.sha256) {
      check.reason = core::cat("the mesh ", mesh.string(), " has changed since (SHA-256)");
    } else {
      check.state = OutputState::complete;
    }
  } catch (const std::exception& e) {
    check.state = OutputState::absent;
    check.reason = e.what();
  }
  return check;
}

}  // namespace spectralbrain::batch
