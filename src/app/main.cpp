// spectralbrain: dispatch to a subcommand inside the runtime guard.
#include <petscsys.h>

#include <cstring>
#include <iostream>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/core/huge_pages.hpp"
#include "spectralbrain/core/version.hpp"

namespace sba = spectralbrain::app;

namespace {
void print_usage(std::ostream& out) {
  out << "spectralbrain " << spectralbrain::core::version
      << ": Laplace-Beltrami spectra of brain surfaces at cohort scale\n\n"
         "usage: spectralbrain <command> [options] [PETSc options]\n\ncommands:\n";
  for (const auto& c : sba::commands())
    out << "  " << c.name << std::string(12 - std::strlen(c.name), ' ') << c.summary << '\n';
  out << "\n'spectralbrain <command> --help' describes a command. PETSc/SLEPc options\n"
         "(-eps_tol 1e-10, -options_file F, -log_view) are accepted by every command.\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    print_usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "spectralbrain " << spectralbrain::core::version << " ("
              << spectralbrain::core::build_info << ")\n";
    return 0;
  }
  for (const auto& command : sba::commands()) {
    if (std::strcmp(argv[1], command.name) != 0) continue;
    // Before MPI starts or anything large is allocated: may re-execute this program.
    if (command.large_memory) spectralbrain::core::use_huge_pages(argv);
    std::string options_file;
    if (command.options_file) options_file = (sba::options_dir() / command.options_file).string();
    // PetscInitialize calls MPI_Init_thread with this level (default: FUNNELED).
    if (command.thread_multiple) PETSC_MPI_THREAD_REQUIRED = MPI_THREAD_MULTIPLE;
    return spectralbrain::core::run_guarded(argc, argv, options_file,
                                            [&](spectralbrain::core::Runtime& runtime) {
                                              return command.run(runtime, argc - 2, argv + 2);
                                            });
  }
  std::cerr << "spectralbrain: unknown command '" << argv[1] << "'\n\n";
  print_usage(std::cerr);
  return 2;
}
