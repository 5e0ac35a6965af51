// spectralbrain check: the report of one mesh file, as text or JSON, with the verdict as the
// exit status; optionally the cleaned mesh written to a new file.
#include <mpi.h>

#include <exception>
#include <iostream>
#include <string>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/mesh/clean.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/mesh/report.hpp"
#include "spectralbrain/mesh/write.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {
constexpr const char* help_text =
    R"(usage: spectralbrain check --mesh FILE [--json] [--output CLEAN.{off,ply,gii}]
                           [--largest-component]

Reads a surface (FreeSurfer binary or ASCII, GIFTI, OFF, OBJ, PLY, legacy VTK, MZ3) and
reports what it is like as input for the Laplace-Beltrami spectrum: size, area, volume,
Euler characteristic and genus, connected components, boundary loops, non-manifold edges
and vertices, orientation, duplicate faces, unreferenced vertices, degenerate triangles,
angles. Nothing is written unless --output is given.

Exit status:
  0  usable as is (warnings, e.g. several components or an open boundary, may be printed)
  3  usable only with fixes: unreferenced vertices or duplicate faces (--output drops
     them), or zero-area triangles (the FEM assembly clamps their weights as LaPy does;
     --output keeps them)
  4  not usable: no fix helps (e.g. every triangle has zero area)
  1  error: the file is missing, unreadable, not a mesh or invalid (the message names the
     file, the record and the problem), or the command line is wrong

options:
)";

std::string describe(const mesh::TriMesh& m) {
  return core::cat(m.n_vertices(), " vertices, ", m.n_faces(), " faces");
}
}  // namespace

int check_command(core::Runtime& runtime, int argc, char** argv) {
  po::options_description options("check");
  options.add_options()("help", "this text")("mesh", po::value<std::string>(),
                                             "the mesh file (also accepted without --mesh)")(
      "json", po::bool_switch(), "print the report as JSON (one object) instead of text")(
      "output", po::value<std::string>(),
      "write the cleaned mesh (unreferenced vertices and duplicate faces dropped, faces "
      "oriented consistently and outward) to this .off, .ply or .gii file")(
      "largest-component", po::bool_switch(),
      "with --output: keep only the largest connected component, as BrainPrint does");
  po::positional_options_description positional;
  positional.add("mesh", 1);
  const bool root = runtime.rank() == 0;
  if (wants_help(argc, argv, 0)) {
    if (root) std::cout << help_text << options;
    return 0;
  }
  const SplitArgs args = split_arguments(argc, argv, 0);
  const po::variables_map vm = parse("check", args.app, options, positional);
  if (!vm.count("mesh"))
    throw core::InputError("command line", "spectralbrain check",
                           "--mesh FILE is required (see spectralbrain check --help)");
  if (vm["largest-component"].as<bool>() && !vm.count("output"))
    throw core::InputError("command line", "spectralbrain check",
                           "--largest-component only applies with --output");
  const std::string path = vm["mesh"].as<std::string>();

  // Every rank reads and analyses (cheap, and a bad file then fails on all ranks alike);
  // rank 0 prints and writes.
  const mesh::TriMesh input = mesh::read_mesh(path);
  const mesh::MeshReport report = mesh::analyse(input);
  const bool json = vm["json"].as<bool>();
  if (root) {
    if (json)
      std::cout << mesh::report_json(report, path) << '\n';
    else
      std::cout << mesh::report_text(report, path);
  }

  if (vm.count("output")) {
    if (report.usability == mesh::Usability::unusable)
      throw core::InputError(path, "", "the mesh is not usable (see the report): nothing written");
    mesh::DerivedMesh clean = mesh::drop_duplicate_faces(input);
    clean = mesh::compose(clean, mesh::drop_unreferenced_vertices(clean.mesh));
    if (vm["largest-component"].as<bool>())
      clean = mesh::compose(clean, mesh::keep_largest_component(clean.mesh));
    const mesh::OrientationFix fix = mesh::orient_outward(clean.mesh);
    const std::string output = vm["output"].as<std::string>();
    // Rank 0 writes; the others learn whether it worked, so that all ranks fail alike.
    std::exception_ptr failure;
    if (root) {
      try {
        mesh::write_mesh(clean.mesh, output);
      } catch (...) {
        failure = std::current_exception();
      }
    }
    int failed = failure ? 1 : 0;
    MPI_Bcast(&failed, 1, MPI_INT, 0, runtime.world());
    if (failure) std::rethrow_exception(failure);
    if (failed)
      throw core::InputError(output, "",
                             "not written: rank 0 could not write it (see its message)");
    if (root)
      (json ? std::cerr : std::cout)
          << "wrote " << output << ": " << describe(clean.mesh) << " (input: " << describe(input)
          << "; " << fix.n_flipped_faces << " faces reoriented)\n";
  }
  switch (report.usability) {
    case mesh::Usability::usable:
      return 0;
    case mesh::Usability::needs_fixes:
      return 3;
    case mesh::Usability::unusable:
      return 4;
  }
  return 1;
}

}  // namespace spectralbrain::app
