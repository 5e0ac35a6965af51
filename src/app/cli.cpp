// Command-line plumbing shared by the subcommands.
#include "cli.hpp"

#include <cstdlib>
#include <cstring>

#include "spectralbrain/core/error.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {
bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}
bool is_option(const std::string& s) { return s.size() > 1 && s[0] == '-' && !is_number(s); }
}  // namespace

SplitArgs split_arguments(int argc, char** argv, int first) {
  SplitArgs out;
  for (int i = first; i < argc; ++i) {
    std::string token = argv[i];
    const bool long_option = token.rfind("--", 0) == 0;
    const bool petsc_option = !long_option && is_option(token);
    auto& dest = petsc_option ? out.petsc : out.app;
    dest.push_back(token);
    const bool takes_value = (long_option || petsc_option) && token.find('=') == std::string::npos;
    // A PETSc option takes the next token as its value unless that is another option.
    // Long options keep their values in order in `app`, where Boost knows which take one.
    if (petsc_option && takes_value && i + 1 < argc && !is_option(argv[i + 1]))
      dest.push_back(argv[++i]);
  }
  return out;
}

po::variables_map parse(const std::string& command, const std::vector<std::string>& args,
                        const po::options_description& options,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    auto style = po::command_line_style::unix_style ^ po::command_line_style::allow_short;
    po::store(
        po::command_line_parser(args).options(options).positional(positional).style(style).run(),
        vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw core::InputError("command line", "spectralbrain " + command, e.what());
  }
  return vm;
}

std::filesystem::path options_dir() {
  if (const char* env = std::getenv("SPECTRALBRAIN_OPTIONS_DIR")) return env;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = exe.parent_path() / "petsc_options";
    if (std::filesystem::is_directory(beside)) return beside;
    auto installed = exe.parent_path().parent_path() / "share" / "spectralbrain" / "petsc_options";
    if (std::filesystem::is_directory(installed)) return installed;
  }
  return "petsc_options";
}

bool wants_help(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return true;
  return false;
}

}  // namespace spectralbrain::app
