// Command-line plumbing shared by the subcommands: splitting application options from
// PETSc options, parsing with Boost.Program_options, and locating petsc_options/.
#pragma once

#include <boost/program_options.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace spectralbrain::app {

/// Arguments of one subcommand, split: long options and positionals for us ("--k 10",
/// "file.h5"), single-dash options for PETSc ("-eps_tol 1e-10"), which PETSc has read.
struct SplitArgs {
  std::vector<std::string> app;
  std::vector<std::string> petsc;
};

/// Split argv[first..argc) into application and PETSc arguments. A value that follows an
/// option (including a negative number such as "--sigma -0.01") stays with its option.
SplitArgs split_arguments(int argc, char** argv, int first);

/// Parse `args` against `options` (and `positional`), throwing InputError naming the
/// subcommand on an unknown or malformed option. Returns the variables map (notified).
boost::program_options::variables_map parse(
    const std::string& command, const std::vector<std::string>& args,
    const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional = {});

/// Folder holding the PETSc options files: $SPECTRALBRAIN_OPTIONS_DIR, else petsc_options/
/// beside the executable, else ../share/spectralbrain/petsc_options from it.
std::filesystem::path options_dir();

/// True if `args` asks for help (--help or -h).
bool wants_help(int argc, char** argv, int first);

}  // namespace spectralbrain::app
