// spectralbrain compare: ShapeDNA distance and per-mode differences of two subject files.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/descriptors/compare.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {

po::options_description options() {
  po::options_description o(
      "spectralbrain compare: BrainPrint-style shape distance between two subject files\n\n"
      "usage: spectralbrain compare A.h5 B.h5 [options]\n\n"
      "Prints the Euclidean distance |a - b| between the two ShapeDNA vectors (e.g. lh vs rh:\n"
      "the lateral asymmetry of BrainPrint) and the per-mode values and differences. Without\n"
      "--normalization/--reweighting, the vectors stored in /descriptors/shapedna are used\n"
      "when both files have them (their conventions must agree); otherwise both are computed\n"
      "from /eigen/values (default normalization surface, reweighting none).\n\noptions");
  o.add_options()                           //
      ("help", "print this help and exit")  //
      ("files", po::value<std::vector<std::string>>()->value_name("A.h5 B.h5"),
       "the two subject files")  //
      ("normalization", po::value<std::string>()->value_name("N"),
       "recompute with: none | surface | volume")  //
      ("reweighting", po::value<std::string>()->value_name("R"),
       "recompute with: none | lapy | index")  //
      ("k", po::value<int>()->value_name("K"),
       "compare the first K eigenpairs (needed when the files' k differ)")  //
      ("csv", po::value<std::string>()->value_name("FILE"),
       "also write mode,a,b,difference to FILE (complete or not at all)");
  return o;
}

// Writes the table under a temporary name and renames it.
void write_csv(const std::filesystem::path& file, const descriptors::ShapeDnaComparison& c) {
  std::filesystem::path temp = file;
  temp += ".tmp";
  {
    std::ofstream out(temp);
    out << std::setprecision(17) << "mode,a,b,difference\n";
    for (std::size_t i = 0; i < c.a.size(); ++i)
      out << c.mode[i] << ',' << c.a[i] << ',' << c.b[i] << ',' << c.difference[i] << '\n';
    out.close();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(temp, ec);
      throw core::InputError(file.string(), "", "cannot write the table");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, file, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    throw core::InputError(file.string(), "", "cannot rename the finished table to this name");
  }
}

}  // namespace

int compare_command(core::Runtime& runtime, int argc, char** argv) {
  const MPI_Comm comm = runtime.world();
  const auto description = options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << description << '\n';
    return 0;
  }
  po::positional_options_description positional;
  positional.add("files", 2);
  const auto vm = parse("compare", split_arguments(argc, argv, 0).app, description, positional);
  if (!vm.count("files") || vm["files"].as<std::vector<std::string>>().size() != 2)
    throw core::InputError("command line", "spectralbrain compare",
                           "two subject files are needed: spectralbrain compare A.h5 B.h5");
  const auto files = vm["files"].as<std::vector<std::string>>();
  descriptors::CompareOptions o;
  if (vm.count("normalization"))
    o.normalization =
        descriptors::parse_normalization(vm["normalization"].as<std::string>(), "--normalization");
  if (vm.count("reweighting"))
    o.reweighting =
        descriptors::parse_reweighting(vm["reweighting"].as<std::string>(), "--reweighting");
  if (vm.count("k")) o.k = vm["k"].as<int>();

  // Cheap and serial: every rank computes (so every rank sees the same error), rank 0 prints.
  const descriptors::ShapeDnaComparison c = descriptors::compare_shapedna(files[0], files[1], o);
  if (vm.count("csv") && runtime.rank() == 0) write_csv(vm["csv"].as<std::string>(), c);
  std::ostringstream out;
  out << "spectralbrain compare: " << files[0] << " (a) vs " << files[1] << " (b)\n"
      << "  convention  normalization " << descriptors::name(c.convention.normalization)
      << ", reweighting " << descriptors::name(c.convention.reweighting) << " ("
      << (c.stored ? "stored /descriptors/shapedna" : "computed from /eigen/values") << ")\n"
      << "  k           " << c.k << "\n"
      << "  distance    " << std::setprecision(10) << c.distance << "   (|a - b|, Euclidean)\n"
      << "  " << std::setw(6) << "mode" << std::setw(18) << "a" << std::setw(18) << "b"
      << std::setw(18) << "a - b" << '\n';
  for (std::size_t i = 0; i < c.a.size(); ++i)
    out << "  " << std::setw(6) << c.mode[i] << std::setprecision(10) << std::setw(18) << c.a[i]
        << std::setw(18) << c.b[i] << std::setw(18) << c.difference[i] << '\n';
  std::string text = out.str();
  text.pop_back();
  core::log_info(comm, text);
  return 0;
}

}  // namespace spectralbrain::app
