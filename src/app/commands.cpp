// The table of subcommands.
#include "commands.hpp"

namespace spectralbrain::app {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
#ifdef SB_HAVE_SUMMARY
      {"summary", "posterior table: mean, sd, HDI, MCSE, ESS, R-hat, warnings", nullptr,
       &summary_command},
#endif
  };
  return table;
}

}  // namespace spectralbrain::app
