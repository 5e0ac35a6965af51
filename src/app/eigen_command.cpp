// spectralbrain eigen: one surface's Laplace–Beltrami spectrum, into a subject HDF5 file.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/io/sha256.hpp"
#include "spectralbrain/io/subject_writer.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/spectral/solve.hpp"

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
       "subject id stored in the file (default: the mesh file name)");
  return options;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

std::string format_report(const mesh::TriMesh& mesh, const fem::Operators& ops,
                          const spectral::Eigenpairs& eigen, const spectral::SolveInfo& info,
                          const std::vector<std::pair<std::string, double>>& stages,
                          double peak_mib, int n_ranks) {
  std::ostringstream out;
  out << "  mesh      " << mesh.n_vertices() << " vertices, " << mesh.n_faces() << " faces, area "
      << std::setprecision(6) << ops.area << " (mesh units^2)";
  if (ops.n_degenerate > 0) out << ", " << ops.n_degenerate << " degenerate triangles clamped";
  out << "\n  solver    " << info.eps_type << " + " << info.st_type << " (sigma " << info.sigma
      << "), " << info.ksp_type << "/" << info.pc_type
      << (info.factor_solver.empty() ? "" : " (" + info.factor_solver + ")") << ", tol "
      << info.tolerance << ", ncv " << info.ncv << ", " << n_ranks << " rank"
      << (n_ranks > 1 ? "s" : "") << "\n  converged " << info.n_converged << " pairs in "
      << info.n_iterations << " iterations; max residual " << std::scientific
      << std::setprecision(2) << info.max_residual << std::defaultfloat << "\n  eigenvalues";
  const std::size_t shown = std::min<std::size_t>(eigen.values.size(), 8);
  for (std::size_t i = 0; i < shown; ++i) out << ' ' << std::setprecision(6) << eigen.values[i];
  if (shown < eigen.values.size())
    out << " ... " << eigen.values.back() << " (k=" << eigen.values.size() << ")";
  out << "\n  stages   ";
  double total = 0;
  for (const auto& [name, s] : stages) {
    out << ' ' << name << ' ' << std::fixed << std::setprecision(2) << s << " s,";
    total += s;
  }
  out << " total " << total << " s\n  memory    peak " << std::setprecision(0) << peak_mib
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
  const std::filesystem::path mesh_path = vm["mesh"].as<std::string>();
  const std::filesystem::path output = vm["output"].as<std::string>();
  const std::string mass = vm["mass"].as<std::string>();
  if (mass != "consistent" && mass != "lumped")
    throw core::InputError("command line", "--mass",
                           "'" + mass + "' is not one of consistent, lumped");
  spectral::SolveOptions solve_options;
  solve_options.k = vm["k"].as<int>();
  solve_options.sigma = vm["sigma"].as<double>();
  if (solve_options.k < 1)
    throw core::InputError("command line", "--k",
                           core::cat("k = ", solve_options.k, ": at least 1 eigenpair is needed"));

  io::SubjectInfo info;
  info.subject =
      vm.count("subject") ? vm["subject"].as<std::string>() : mesh_path.filename().string();
  info.source_mesh = mesh_path.string();
  info.sigma = solve_options.sigma;
  info.mass = mass;
  info.precision = io::parse_precision(vm["precision"].as<std::string>());
  // The whole options database: eigen.opts, ~/.petscrc, PETSC_OPTIONS, the command line.
  info.petsc_options = core::petsc_options_string();

  core::StageTimer timer;
  mesh::TriMesh mesh;
  {
    auto stage = timer.enter("read");
    mesh = mesh::read_mesh(mesh_path);  // every rank reads: errors are seen by all ranks
    if (runtime.rank() == 0) info.sha256 = io::sha256_file(mesh_path);
  }
  core::log_info(comm,
                 core::cat("spectralbrain eigen: ", mesh_path.string(), " -> ", output.string()));
  // Opened before the solve so that a bad output path fails in seconds, not after it.
  io::SubjectWriter writer(comm, output, info);

  fem::AssemblyOptions assembly;
  assembly.mass = mass == "lumped" ? fem::MassMatrix::lumped : fem::MassMatrix::consistent;
  const fem::Operators ops = fem::assemble(mesh, comm, assembly, &timer);
  spectral::SolveInfo solve_info;
  const spectral::Eigenpairs eigen = spectral::solve(ops, solve_options, &timer, &solve_info);

  {
    auto stage = timer.enter("write");
    writer.write_mesh(mesh);
    writer.write_eigenpairs(eigen);
  }
  writer.set_wall_seconds(timer.seconds());
  writer.commit();

  double peak = peak_rss_mib(), peak_max = 0;
  SB_MPI(MPI_Reduce(&peak, &peak_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm));
  std::vector<std::pair<std::string, double>> stages = timer.seconds();
  for (auto& [name, s] : stages)
    SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &s, 1, MPI_DOUBLE, MPI_MAX, comm));
  core::log_info(comm,
                 format_report(mesh, ops, eigen, solve_info, stages, peak_max, runtime.size()));
  core::log_info(comm, core::cat("  wrote     ", output.string()));
  return 0;
}

}  // namespace spectralbrain::app
