// The table of subcommands.
#include "commands.hpp"

namespace spectralbrain::app {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
#ifdef SB_HAVE_EIGEN
      {"eigen", "Laplace-Beltrami eigenpairs of one surface into a subject HDF5 file", "eigen.opts",
       &eigen_command},
#endif
#ifdef SB_HAVE_DESCRIPTORS
      {"descriptors", "spectral descriptors (ShapeDNA, HKS, WKS, GPS) from stored eigenpairs",
       nullptr, &descriptors_command},
      {"compare", "ShapeDNA distance and per-mode differences of two subject files", nullptr,
       &compare_command},
#endif
#ifdef SB_HAVE_SUMMARY
      {"summary", "posterior table: mean, sd, HDI, MCSE, ESS, R-hat, warnings", nullptr,
       &summary_command},
#endif
  };
  return table;
}

}  // namespace spectralbrain::app
