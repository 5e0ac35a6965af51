// One subject's spectral job, shared by `eigen` and `batch`.
#include "spectralbrain/pipeline/subject_job.hpp"

#include "spectralbrain/core/memory.hpp"

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/fem/operators.hpp"
#include "spectralbrain/io/sha256.hpp"
#include "spectralbrain/io/subject_writer.hpp"
#include "spectralbrain/mesh/clean.hpp"
#include "spectralbrain/mesh/read.hpp"
#include "spectralbrain/pipeline/row_map.hpp"

namespace spectralbrain::pipeline {

void validate(const SubjectJob& job) {
  if (job.k < 1)
    throw core::InputError("command line", "--k",
                           core::cat("k = ", job.k, ": at least 1 eigenpair is needed"));
  if (job.mass != "consistent" && job.mass != "lumped")
    throw core::InputError("command line", "--mass",
                           "'" + job.mass + "' is not one of consistent, lumped");
  descriptors::validate(job.descriptors);
  exports::validate(job.exports, job.k);
}

SubjectResult run_subject(MPI_Comm comm, const SubjectJob& job) {
  validate(job);
  io::SubjectInfo info;
  info.subject = job.subject.empty() ? job.mesh.filename().string() : job.subject;
  info.source_mesh = job.mesh.string();
  info.sigma = job.sigma;
  info.mass = job.mass;
  info.precision = job.precision;
  // The whole options database: eigen.opts, ~/.petscrc, PETSC_OPTIONS, the command line.
  info.petsc_options = core::petsc_options_string();

  core::StageTimer timer;
  mesh::TriMesh mesh;
  {
    auto stage = timer.enter("read");
    mesh = mesh::read_mesh(job.mesh);  // every rank reads: errors are seen by all ranks
    if (core::rank(comm) == 0) info.sha256 = io::sha256_file(job.mesh);
  }
  descriptors::SurfaceMeasures measures;
  if (descriptors::needs_volume(job.descriptors))  // before the solve: fails fast
    measures.volume = descriptors::enclosed_volume(mesh, job.mesh.string());
  io::SubjectWriter writer(comm, job.output, info);

  SubjectResult result;
  mesh::DerivedMesh derived;
  {
    auto stage = timer.enter("clean");
    derived = mesh::drop_duplicate_faces(mesh);
    derived = mesh::compose(derived, mesh::drop_unreferenced_vertices(derived.mesh));
    if (job.largest_component)
      derived = mesh::compose(derived, mesh::keep_largest_component(derived.mesh));
    result.n_components = static_cast<std::int64_t>(mesh::count_components(derived.mesh));
    result.n_dropped_vertices =
        static_cast<std::int64_t>(mesh.n_vertices() - derived.mesh.n_vertices());
    result.n_dropped_faces = static_cast<std::int64_t>(mesh.n_faces() - derived.mesh.n_faces());
  }
  if (result.n_components >= job.k)
    throw core::InputError(
        job.mesh.string(), "",
        core::cat("the surface has ", result.n_components,
                  " connected components, so lambda = 0 has multiplicity ", result.n_components,
                  " >= k = ", job.k, ": ask for more pairs or use --largest-component"));
  if (result.n_components > 1)
    core::log_warning(comm, core::cat(job.mesh.string(), ": ", result.n_components,
                                      " connected components (lambda = 0 is ", result.n_components,
                                      "-fold); --largest-component solves on the largest only"));

  fem::AssemblyOptions assembly;
  assembly.mass = job.mass == "lumped" ? fem::MassMatrix::lumped : fem::MassMatrix::consistent;
  const fem::Operators ops = fem::assemble(derived.mesh, comm, assembly, &timer);

  spectral::SolveOptions solve_options;
  solve_options.k = job.k;
  solve_options.sigma = job.sigma;
  spectral::Eigenpairs eigen = spectral::solve(ops, solve_options, &timer, &result.solve);
  {
    auto stage = timer.enter("write");
    if (derived.mesh.n_vertices() != mesh.n_vertices())
      eigen = to_input_rows(comm, eigen, derived.input_vertex,
                            static_cast<std::int64_t>(mesh.n_vertices()));
    writer.write_mesh(mesh);
    writer.write_eigenpairs(eigen);
    writer.set_attribute("/", "n_components", result.n_components);
    writer.set_attribute("/", "n_dropped_vertices", result.n_dropped_vertices);
    writer.set_attribute("/", "n_dropped_faces", result.n_dropped_faces);
  }
  if (!job.descriptors.empty()) {
    auto stage = timer.enter("descriptors");
    measures.area = ops.area;
    descriptors::write_descriptors(writer, eigen, measures, job.descriptors, job.precision);
  }
  writer.set_wall_seconds(timer.seconds());
  writer.commit();
  if (!job.exports.empty()) {
    auto stage = timer.enter("export");
    result.exported = exports::export_subject(comm, job.output, job.exports);
  }

  result.n_vertices = static_cast<std::int64_t>(mesh.n_vertices());
  result.n_faces = static_cast<std::int64_t>(mesh.n_faces());
  result.area = ops.area;
  result.n_degenerate = ops.n_degenerate;
  result.eigenvalues = eigen.values;
  result.wall_seconds = timer.slowest_rank_seconds(comm);
  result.peak_rss_mib = core::max_over_ranks(core::peak_rss_bytes() / 1048576.0, comm);
  return result;
}

}  // namespace spectralbrain::pipeline
