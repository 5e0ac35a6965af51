// spectralbrain eigen: one surface's Laplace–Beltrami spectrum, into a subject HDF5 file.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "descriptor_options.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/pipeline/subject_job.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {

po::options_description eigen_options() {
  po::options_description options(
      "spectralbrain eigen: the k smallest Laplace-Beltrami eigenpairs of a surface\n\n"
      "usage: [mpirun -n P] spectralbrain eigen --mesh FILE --output FILE.h5 [options]\n"
      "                                          [PETSc options, e.g. -eps_tol 1e-12]\n\n"
      "Solver defaults come from petsc_options/eigen.opts; any PETSc/SLEPc option on the\n"
      "command line or in -options_file FILE overrides them.\n\noptions");
  options.add_options()                     //
      ("help", "print this help and exit")  //
      ("mesh", po::value<std::string>()->value_name("FILE"),
       "surface: FreeSurfer binary (lh.white, lh.pial, ...), GIFTI (.surf.gii) or OFF")  //
      ("output", po::value<std::string>()->value_name("FILE.h5"),
       "subject HDF5 file to write; its folder must exist. Written under a temporary name "
       "and renamed when complete")  //
      ("k", po::value<int>()->default_value(100)->value_name("K"),
       "number of eigenpairs (1 <= K < vertices)")  //
      ("sigma", po::value<double>()->default_value(-0.01)->value_name("S"),
       "shift-and-invert target; the pairs nearest it are found (S < 0: the smallest)")  //
      ("mass", po::value<std::string>()->default_value("consistent")->value_name("TYPE"),
       "mass matrix: consistent (LaPy/BrainPrint) | lumped")  //
      ("precision", po::value<std::string>()->default_value("double")->value_name("P"),
       "storage of the eigenvectors: double | single")  //
      ("subject", po::value<std::string>()->value_name("ID"),
       "subject id stored in the file (default: the mesh file name)")  //
      ("largest-component", po::bool_switch(),
       "solve on the largest connected component only (its rows; others are NaN)");
  options.add(descriptor_options(""));
  return options;
}

std::string format_report(const pipeline::SubjectResult& r, int n_ranks) {
  const spectral::SolveInfo& info = r.solve;
  std::ostringstream out;
  out << "  mesh      " << r.n_vertices << " vertices, " << r.n_faces << " faces, area "
      << std::setprecision(6) << r.area << " (mesh units^2, of the part solved on)";
  if (r.n_degenerate > 0) out << ", " << r.n_degenerate << " degenerate triangles clamped";
  if (r.n_components > 1) out << ", " << r.n_components << " components";
  if (r.n_dropped_vertices > 0 || r.n_dropped_faces > 0)
    out << "; dropped " << r.n_dropped_vertices << " vertices and " << r.n_dropped_faces
        << " faces (their rows are NaN)";
  out << "\n  solver    " << info.eps_type << " + " << info.st_type << " (sigma " << info.sigma
      << "), " << info.ksp_type << "/" << info.pc_type
      << (info.factor_solver.empty() ? "" : " (" + info.factor_solver + ")") << ", tol "
      << info.tolerance << ", ncv " << info.ncv << ", " << n_ranks << " rank"
      << (n_ranks > 1 ? "s" : "") << "\n  converged " << info.n_converged << " pairs in "
      << info.n_iterations << " iterations; max residual " << std::scientific
      << std::setprecision(2) << info.max_residual << std::defaultfloat;
  if (info.n_checked_solves > 0)
    out << "; refined " << info.n_refined_solves << " of " << info.n_checked_solves
        << " solves (unpivoted LDL^T at indefinite shifts)";
  out << "\n  eigenvalues";
  const std::size_t shown = std::min<std::size_t>(r.eigenvalues.size(), 8);
  for (std::size_t i = 0; i < shown; ++i) out << ' ' << std::setprecision(6) << r.eigenvalues[i];
  if (shown < r.eigenvalues.size())
    out << " ... " << r.eigenvalues.back() << " (k=" << r.eigenvalues.size() << ")";
  out << "\n  stages   ";
  double total = 0;
  for (const auto& [name, s] : r.wall_seconds) {
    out << ' ' << name << ' ' << std::fixed << std::setprecision(2) << s << " s,";
    total += s;
  }
  out << " total " << total << " s\n  memory    peak " << std::setprecision(0) << r.peak_rss_mib
      << " MiB on the largest rank";
  return out.str();
}

}  // namespace

int eigen_command(core::Runtime& runtime, int argc, char** argv) {
  const MPI_Comm comm = runtime.world();
  const auto options = eigen_options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << options << '\n';
    return 0;
  }
  const auto vm = parse("eigen", split_arguments(argc, argv, 0).app, options);
  for (const char* required : {"mesh", "output"})
    if (!vm.count(required))
      throw core::InputError("command line", "spectralbrain eigen",
                             core::cat("--", required, " is required (see --help)"));
  pipeline::SubjectJob job;
  job.mesh = vm["mesh"].as<std::string>();
  job.output = vm["output"].as<std::string>();
  if (vm.count("subject")) job.subject = vm["subject"].as<std::string>();
  job.k = vm["k"].as<int>();
  job.sigma = vm["sigma"].as<double>();
  job.mass = vm["mass"].as<std::string>();
  job.precision = io::parse_precision(vm["precision"].as<std::string>());
  job.largest_component = vm["largest-component"].as<bool>();
  job.descriptors = descriptor_settings(vm);
  job.exports = export_settings(vm);
  pipeline::validate(job);  // option errors before any file is touched

  core::log_info(
      comm, core::cat("spectralbrain eigen: ", job.mesh.string(), " -> ", job.output.string()));
  const pipeline::SubjectResult result = pipeline::run_subject(comm, job);
  core::log_info(comm, format_report(result, runtime.size()));
  core::log_info(comm, core::cat("  wrote     ", job.output.string()));
  if (!job.descriptors.empty())
    core::log_info(comm,
                   core::cat("  computed  ", descriptors::descriptor_list(job.descriptors.which),
                             " under /descriptors"));
  for (const auto& file : result.exported) core::log_info(comm, "  exported  " + file.string());
  return 0;
}

}  // namespace spectralbrain::app
