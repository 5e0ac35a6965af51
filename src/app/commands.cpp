// The table of subcommands.
#include "commands.hpp"

namespace spectralbrain::app {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {};
  return table;
}

}  // namespace spectralbrain::app
