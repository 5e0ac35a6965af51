// spectralbrain summary: the ArviZ-style table of a posterior file, with its warnings.
#include <mpi.h>

#include <fstream>
#include <iostream>
#include <stdexcept>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/io/posterior_file.hpp"
#include "spectralbrain/stats/summary.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {

po::options_description summary_options() {
  po::options_description options("spectralbrain summary POSTERIOR.h5 [options]");
  options.add_options()("help,h", "describe this command")(
      "posterior", po::value<std::string>(), "posterior file written by `spectralbrain sample`")(
      "csv", po::value<std::string>(), "also write the table as CSV to this file")(
      "var", po::value<std::vector<std::string>>()->multitoken()->composing(),
      "posterior variables to show (default: all); repeatable, or several after one --var")(
      "hdi-prob", po::value<double>()->default_value(0.94, "0.94"),
      "probability of the highest density interval")(
      "max-tree-depth", po::value<int>()->default_value(10),
      "the sampler's maximum tree depth, if sample_stats has no reached_max_treedepth");
  return options;
}

void run_summary(const po::variables_map& vm) {
  if (!vm.count("posterior"))
    throw core::InputError("command line", "spectralbrain summary", "no posterior file given");
  const std::string file = vm["posterior"].as<std::string>();
  stats::SummaryOptions options;
  options.hdi_prob = vm["hdi-prob"].as<double>();
  if (!(options.hdi_prob > 0.0 && options.hdi_prob < 1.0))
    throw core::InputError("command line", "--hdi-prob", "must be between 0 and 1");
  options.max_tree_depth = vm["max-tree-depth"].as<int>();
  if (vm.count("var")) options.var_names = vm["var"].as<std::vector<std::string>>();

  const stats::PosteriorDraws draws = io::read_posterior(file);
  stats::Summary summary;
  try {
    summary = stats::summarize(draws, options);
  } catch (const std::invalid_argument& e) {
    throw core::InputError(file, options.var_names.empty() ? "" : "--var", e.what());
  }
  std::cout << file << "\n\n";
  stats::print_table(std::cout, summary);
  std::cout.flush();
  if (vm.count("csv")) {
    const std::string csv = vm["csv"].as<std::string>();
    std::ofstream out(csv);
    if (!out) throw core::InputError(csv, "", "cannot be opened for writing");
    stats::write_csv(out, summary);
    out.close();
    if (!out) throw core::InputError(csv, "", "writing failed");
  }
}

}  // namespace

int summary_command(core::Runtime& runtime, int argc, char** argv) {
  const auto options = summary_options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << options << '\n';
    return 0;
  }
  // The whole command runs on rank 0 (a summary is small, serial work). Its outcome is
  // broadcast so that every rank returns the same status: a failure is printed once, by
  // rank 0, instead of once per rank, and no rank waits for another in the top-level catch.
  int status = 0;
  if (runtime.rank() == 0) {
    try {
      po::positional_options_description positional;
      positional.add("posterior", 1);
      const auto args = split_arguments(argc, argv, 0);
      run_summary(parse("summary", args.app, options, positional));
    } catch (const std::exception& e) {
      core::log_error(runtime.rank(), e.what());
      status = 1;
    }
  }
  SB_MPI(MPI_Bcast(&status, 1, MPI_INT, 0, runtime.world()));
  return status;
}

}  // namespace spectralbrain::app
