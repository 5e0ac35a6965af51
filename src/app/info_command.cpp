// spectralbrain info: memory and cgroup status of this node, the memory estimate for a mesh,
// and what the build and the MPI library provide.
#include <petscsys.h>

#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/batch/memory_model.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/huge_pages.hpp"
#include "spectralbrain/core/memory.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/core/version.hpp"
#include "spectralbrain/mesh/read.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {

po::options_description info_options() {
  po::options_description options(
      "spectralbrain info: memory of this node (RAM and the job's cgroup), the memory a mesh's\n"
      "solve is estimated to need, and the build\n\n"
      "usage: [mpirun -n N] spectralbrain info [--mesh FILE [--k K] [--ranks-per-subject P]]\n\n"
      "options");
  options.add_options()                                                                    //
      ("help", "print this help and exit")                                                 //
      ("mesh", po::value<std::string>()->value_name("FILE"), "a surface to estimate for")  //
      ("k", po::value<int>()->default_value(100)->value_name("K"), "eigenpairs")           //
      ("ranks-per-subject", po::value<int>()->default_value(1)->value_name("P"),
       "ranks sharing the subject")  //
      ("precision", po::value<std::string>()->default_value("double")->value_name("P"),
       "storage of the eigenvectors: double | single");
  return options;
}

const char* thread_level(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE:
      return "MPI_THREAD_SINGLE";
    case MPI_THREAD_FUNNELED:
      return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED:
      return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE:
      return "MPI_THREAD_MULTIPLE";
  }
  return "?";
}

}  // namespace

int info_command(core::Runtime& runtime, int argc, char** argv) {
  const auto options = info_options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << options << '\n';
    return 0;
  }
  const auto vm = parse("info", split_arguments(argc, argv, 0).app, options);
  const MPI_Comm world = runtime.world();
  MPI_Comm node_comm = MPI_COMM_NULL;
  SB_MPI(
      MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, runtime.rank(), MPI_INFO_NULL, &node_comm));
  core::Comm node(node_comm);
  int n_node = core::size(node.get());
  int n_nodes = core::rank(node.get()) == 0 ? 1 : 0;
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &n_nodes, 1, MPI_INT, MPI_SUM, world));
  int provided = 0;
  SB_MPI(MPI_Query_thread(&provided));

  const core::MemoryInfo m = core::ram_status();
  std::ostringstream out;
  out << "spectralbrain " << core::version << " (" << core::build_info << ")\n"
      << "  mpi        " << runtime.size() << " rank" << (runtime.size() == 1 ? "" : "s") << " on "
      << n_nodes << " node" << (n_nodes == 1 ? "" : "s") << ", " << n_node
      << " on this node; thread support " << thread_level(provided) << "\n"
      << "  meminfo    total " << core::format_bytes(m.meminfo_total) << ", available "
      << core::format_bytes(m.meminfo_available) << "\n";
  if (m.cgroup_limit)
    out << "  cgroup     " << m.cgroup << ": limit " << core::format_bytes(*m.cgroup_limit)
        << ", usage " << core::format_bytes(m.cgroup_usage.value_or(0))
        << " (without reclaimable cache)\n";
  else
    out << "  cgroup     no memory limit found\n";
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.1f%%", m.percent);
  out << "  memory     total " << core::format_bytes(m.total) << ", available "
      << core::format_bytes(m.available) << ", used " << core::format_bytes(m.used) << " (" << pct
      << "); per rank on this node " << core::format_bytes(m.available / std::max(n_node, 1))
      << "\n"
      << "  pages      " << core::huge_pages_status() << "\n";

  if (vm.count("mesh")) {
    const std::string file = vm["mesh"].as<std::string>();
    const int k = vm["k"].as<int>();
    const int P = vm["ranks-per-subject"].as<int>();
    if (k < 1) throw core::InputError("command line", "--k", "must be >= 1");
    if (P < 1) throw core::InputError("command line", "--ranks-per-subject", "must be >= 1");
    batch::MeshSize size = batch::peek_mesh_size(file);
    if (size.n_vertices <= 0) {  // not recognised from the header: read it (and its errors)
      const mesh::TriMesh mesh = mesh::read_mesh(file);
      size.n_vertices = static_cast<std::int64_t>(mesh.n_vertices());
      size.n_faces = static_cast<std::int64_t>(mesh.n_faces());
    }
    PetscInt ncv = 0;
    PetscBool set = PETSC_FALSE;
    SB_PETSC(PetscOptionsGetInt(nullptr, nullptr, "-eps_ncv", &ncv, &set));
    const auto e =
        batch::estimate_subject_memory(size, k, set ? static_cast<int>(ncv) : 0, P,
                                       io::parse_precision(vm["precision"].as<std::string>()));
    out << "  mesh       " << file << ": " << size.n_vertices << " vertices, " << size.n_faces
        << " faces\n  estimate   " << core::format_bytes(e.per_rank) << " per rank (k " << k << ", "
        << P << " rank" << (P == 1 ? "" : "s") << "):";
    for (const auto& [part, bytes] : e.parts)
      out << ' ' << part << ' ' << core::format_bytes(bytes) << ',';
    out << " x1.25\n  fits now   "
        << (e.per_rank <= m.available / std::max(n_node, 1) ? "yes" : "no")
        << " (with every rank of this node solving one such subject)\n";
  }
  if (runtime.rank() == 0) std::cout << out.str();
  return 0;
}

}  // namespace spectralbrain::app
