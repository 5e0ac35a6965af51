// spectralbrain descriptors: descriptors from a subject file's stored eigenpairs, no solve.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "descriptor_options.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/descriptors/recompute.hpp"
#include "spectralbrain/io/subject_reader.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {

po::options_description options() {
  po::options_description o(
      "spectralbrain descriptors: spectral descriptors from the eigenpairs stored in a subject\n"
      "file, without solving again\n\n"
      "usage: [mpirun -n P] spectralbrain descriptors --input SUBJECT.h5 --output OUT.h5 "
      "[options]\n\n"
      "OUT.h5 is a complete subject file: the input's mesh, eigenpairs and attributes, with\n"
      "/descriptors computed afresh. It is written under a temporary name and renamed when\n"
      "complete, so OUT.h5 may be SUBJECT.h5 itself (replaced only when the new file is\n"
      "complete).\n\noptions");
  o.add_options()                           //
      ("help", "print this help and exit")  //
      ("input", po::value<std::string>()->value_name("FILE.h5"),
       "complete subject file with /eigen (from spectralbrain eigen)")  //
      ("output", po::value<std::string>()->value_name("FILE.h5"),
       "subject file to write; its folder must exist");
  o.add(descriptor_options("shapedna,hks,wks,gps"));
  return o;
}

}  // namespace

int descriptors_command(core::Runtime& runtime, int argc, char** argv) {
  const MPI_Comm comm = runtime.world();
  const auto description = options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << description << '\n';
    return 0;
  }
  const auto vm = parse("descriptors", split_arguments(argc, argv, 0).app, description);
  for (const char* required : {"input", "output"})
    if (!vm.count(required))
      throw core::InputError("command line", "spectralbrain descriptors",
                             core::cat("--", required, " is required (see --help)"));
  const std::filesystem::path input = vm["input"].as<std::string>();
  const std::filesystem::path output = vm["output"].as<std::string>();
  const descriptors::DescriptorSettings settings = descriptor_settings(vm);
  const exports::ExportSettings exports = export_settings(vm);
  descriptors::validate(settings);
  if (settings.empty())
    throw core::InputError("command line", "--descriptors",
                           "no descriptor requested (e.g. --descriptors shapedna,hks,wks,gps)");
  // Every rank opens the input (the same error everywhere if it is unusable), and the
  // exported modes are checked against its k before anything is written.
  exports::validate(exports, io::SubjectReader(input).attributes().k);

  core::log_info(
      comm, core::cat("spectralbrain descriptors: ", input.string(), " -> ", output.string(), " (",
                      descriptors::descriptor_list(settings.which), ")"));
  const auto result = descriptors::recompute_descriptors(comm, input, output, settings);
  std::ostringstream report;
  report << "  subject   " << result.n_vertices << " vertices, k = " << result.k << "\n  stages   ";
  for (const auto& [name, s] : result.wall_seconds)
    report << ' ' << name << ' ' << std::fixed << std::setprecision(2) << s << " s,";
  report << "\n  memory    peak " << std::setprecision(0) << result.peak_rss_mib
         << " MiB on the largest rank\n  wrote     " << output.string();
  core::log_info(comm, report.str());
  for (const auto& file : exports::export_subject(comm, output, exports))
    core::log_info(comm, "  exported  " + file.string());
  return 0;
}

}  // namespace spectralbrain::app
