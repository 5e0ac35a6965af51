// Descriptors from a stored subject file into a new one (no eigen-solve).
#include "spectralbrain/descriptors/recompute.hpp"

#include "spectralbrain/core/memory.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/stage.hpp"
#include "spectralbrain/io/subject_reader.hpp"
#include "spectralbrain/io/subject_writer.hpp"

namespace spectralbrain::descriptors {

namespace {

// Collective: if `failure` is set on any rank, every rank throws — the failing ranks their
// own exception, the others an error quoting the lowest failing rank — so that no rank
// goes on into a collective call the others never make.
void agree(MPI_Comm comm, const std::exception_ptr& failure, const std::string& message) {
  const int rank = core::rank(comm), size = core::size(comm);
  int lowest = failure ? rank : size;
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &lowest, 1, MPI_INT, MPI_MIN, comm));
  if (lowest == size) return;
  long long length = rank == lowest ? static_cast<long long>(message.size()) : 0;
  SB_MPI(MPI_Bcast(&length, 1, MPI_LONG_LONG, lowest, comm));
  std::string text = rank == lowest ? message : std::string(static_cast<std::size_t>(length), ' ');
  if (length > 0) SB_MPI(MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, lowest, comm));
  if (failure) std::rethrow_exception(failure);
  throw core::Error(core::cat("rank ", lowest, " failed: ", text));
}

}  // namespace

RecomputeResult recompute_descriptors(MPI_Comm comm, const std::filesystem::path& input,
                                      const std::filesystem::path& output,
                                      const DescriptorSettings& settings) {
  validate(settings);
  if (settings.empty())
    throw core::InputError("command line", "--descriptors",
                           "no descriptor requested (e.g. --descriptors shapedna,hks,wks,gps)");
  core::StageTimer timer;
  io::SubjectAttributes attributes;
  spectral::Eigenpairs eigen;
  mesh::TriMesh mesh;
  SurfaceMeasures measures;
  {
    auto stage = timer.enter("read");
    std::exception_ptr failure;
    std::string message;
    try {
      const io::SubjectReader reader(input);
      attributes = reader.attributes();
      const auto rows = core::row_block(attributes.n_vertices, core::rank(comm), core::size(comm));
      eigen = reader.eigenpairs({rows.begin, rows.count});
      mesh = reader.mesh();
      measures.area = attributes.area;
      if (needs_volume(settings)) measures.volume = enclosed_volume(mesh, input.string());
    } catch (const std::exception& e) {
      failure = std::current_exception();
      message = e.what();
    }
    agree(comm, failure, message);
  }

  io::SubjectWriter writer(comm, output, attributes.info);
  {
    auto stage = timer.enter("descriptors");
    // Spectrum-dependent problems (no nonzero eigenvalue, open surface for volume
    // normalisation) are the same on every rank: values are replicated.
    write_descriptors(writer, eigen, measures, settings, attributes.info.precision);
  }
  {
    auto stage = timer.enter("write");
    writer.write_mesh(mesh);
    writer.write_eigenpairs(eigen);
    // The input's stage times describe how the eigenpairs were made; this run adds its own.
    std::vector<std::pair<std::string, double>> seconds;
    for (const auto& stage_seconds : attributes.wall_seconds)
      if (stage_seconds.first != "descriptors") seconds.push_back(stage_seconds);
    seconds.emplace_back("descriptors", timer.seconds("descriptors"));
    writer.set_wall_seconds(std::move(seconds));
    writer.commit();
  }

  RecomputeResult result;
  result.n_vertices = attributes.n_vertices;
  result.k = attributes.k;
  result.wall_seconds = timer.slowest_rank_seconds(comm);
  result.peak_rss_mib = core::max_over_ranks(core::peak_rss_bytes() / 1048576.0, comm);
  return result;
}

}  // namespace spectralbrain::descriptors
