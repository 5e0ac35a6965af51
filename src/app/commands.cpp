// The table of subcommands.
#include "commands.hpp"

namespace spectralbrain::app {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
#ifdef SB_HAVE_EIGEN
      {"eigen", "Laplace-Beltrami eigenpairs of one surface into a subject HDF5 file", "eigen.opts",
       &eigen_command, false, true},
#endif
#ifdef SB_HAVE_CHECK
      {"check", "report on a mesh file: topology, orientation, degenerate triangles", nullptr,
       check_command},
#endif
#ifdef SB_HAVE_SAMPLE
      {"sample", "Bayesian regression of a cohort table (brms-style formula) or a model plugin",
       nullptr, &sample_command},
#endif
#ifdef SB_HAVE_BATCH
      {"batch", "spectra of a cohort from a manifest, over groups of ranks, resumable",
       "eigen.opts", &batch_command, true, true},
      {"info", "memory and cgroup status, memory estimate for a mesh, build", "eigen.opts",
       &info_command, false, true},
#endif
#ifdef SB_HAVE_DESCRIPTORS
      {"descriptors", "spectral descriptors (ShapeDNA, HKS, WKS, GPS) from stored eigenpairs",
       nullptr, &descriptors_command, false, true},
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
