// The table of subcommands.
#include "commands.hpp"

namespace spectralbrain::app {

int run_check(core::Runtime& runtime, int argc, char** argv);  // check_command.cpp

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"check", "report on a mesh file: topology, orientation, degenerate triangles", nullptr,
       run_check},
  };
  return table;
}

}  // namespace spectralbrain::app
