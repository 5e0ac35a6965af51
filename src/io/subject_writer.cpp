// SubjectWriter: parallel HDF5 writes into a temporary file, published by an atomic rename.
#include "spectralbrain/io/subject_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include "h5_detail.hpp"
#include "spectralbrain/core/atomic_file.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/hdf5.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/version.hpp"

namespace spectralbrain::io {

namespace fs = std::filesystem;
using core::cat;

namespace {

// An abandoning writer waits for the other ranks (see abandon()). Time never makes it go
// on alone: it warns on stderr after each `abandon_warn_seconds`, and only after
// `abandon_abort_seconds`, far beyond any skew between ranks that are all on their way even
// on an oversubscribed node, does it conclude that a rank failed alone and abort the job.
constexpr double abandon_warn_seconds = 30.0;
constexpr double abandon_abort_seconds = 600.0;

// Root attribute names the writer owns.
constexpr std::string_view reserved_root_names[] = {"format_version",
                                                    "spectralbrain_version",
                                                    "subject",
                                                    "source_mesh",
                                                    "sha256",
                                                    "n_vertices",
                                                    "n_faces",
                                                    "area",
                                                    "k",
                                                    "sigma",
                                                    "mass",
                                                    "n_ranks",
                                                    "petsc_options",
                                                    "precision",
                                                    "complete"};

bool reserved_root_name(std::string_view name) {
  return name.starts_with(wall_seconds_prefix) ||
         std::find(std::begin(reserved_root_names), std::end(reserved_root_names), name) !=
             std::end(reserved_root_names);
}

bool valid_stage_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace

struct SubjectWriter::Impl {
  // The writer's own duplicate of the caller's communicator, so that its collectives (the
  // agreements, the destructor's barrier) can only ever match each other, never a collective
  // of the caller's or of another writer on the same ranks. Declared before `file`, so it
  // is freed after the file is closed.
  core::Comm own_comm;
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0;
  int size = 1;
  fs::path output;
  fs::path temp;
  SubjectInfo info;
  core::H5File file;
  bool committed = false;
  bool mesh_written = false;
  bool eigen_written = false;
  std::int64_t n_vertices = -1;
  std::int64_t n_faces = -1;
  std::int64_t k = -1;
  double area = 0;
  std::vector<std::pair<std::string, double>> wall_seconds;

  // Throws the same core::Error on every rank if any rank has a problem. `name_rank`: say
  // which rank's problem it is (off for checks of arguments that every rank passes alike).
  void agree(const std::string& local_problem, std::string_view what, bool name_rank = true) const {
    std::string problem = detail::agreed_problem(comm, local_problem, name_rank);
    if (!problem.empty()) throw core::Error(cat(output.string(), ": ", what, ": ", problem));
  }
  void require_open(std::string_view what) const {
    if (committed) throw core::Error(cat(output.string(), ": ", what, " after commit()"));
  }
  // Agreed like every other check: exists() is collective (collective metadata reads), so
  // a rank that skipped it because only its path was malformed would leave the others
  // waiting inside HDF5.
  void check_new_dataset(std::string_view dataset, std::string_view what) const {
    agree(detail::path_problem(dataset), what, /*name_rank=*/false);
    if (detail::exists(file.get(), dataset))
      throw core::Error(cat(output.string(), ": ", what, ": dataset ", dataset, " already exists"));
  }

  // Writes a row-distributed matrix; blocks were agreed to be contiguous and covering.
  void write_block(std::string_view dataset, std::int64_t n_rows_global, std::int64_t row_begin,
                   std::int64_t n_rows_local, std::int64_t n_cols, const double* data,
                   Precision precision) {
    const std::vector<hsize_t> dims{static_cast<hsize_t>(n_rows_global),
                                    static_cast<hsize_t>(n_cols)};
    if (precision == Precision::float32) {
      // Converted here rather than by HDF5: a type conversion inside H5Dwrite makes parallel
      // HDF5 fall back from collective to independent I/O.
      std::vector<float> single(data, data + n_rows_local * n_cols);
      auto d = detail::create_dataset(file.get(), dataset, H5T_IEEE_F32LE, dims);
      detail::write_rows(d.get(), H5T_NATIVE_FLOAT, row_begin, n_rows_local, single.data(), true);
    } else {
      auto d = detail::create_dataset(file.get(), dataset, H5T_IEEE_F64LE, dims);
      detail::write_rows(d.get(), H5T_NATIVE_DOUBLE, row_begin, n_rows_local, data, true);
    }
  }

  // Checks that every rank's block is consistent and that they tile [0, n_rows_global).
  void agree_blocks(std::int64_t n_rows_global, std::int64_t row_begin, std::int64_t n_rows_local,
                    std::int64_t n_cols, std::size_t n_values, std::string_view what) const {
    std::string local;
    if (n_rows_local < 0 || row_begin < 0 || n_cols < 0)
      local = cat("negative row_begin, n_rows_local or number of columns");
    else if (n_values != static_cast<std::size_t>(n_rows_local * n_cols))
      local = cat("holds ", n_values, " values for ", n_rows_local, " rows × ", n_cols, " columns");
    agree(local, what);
    std::array<long long, 4> mine{n_rows_global, row_begin, n_rows_local, n_cols};
    std::vector<long long> all(4 * static_cast<std::size_t>(size));
    SB_MPI(MPI_Allgather(mine.data(), 4, MPI_LONG_LONG, all.data(), 4, MPI_LONG_LONG, comm));
    long long next = 0;
    for (int r = 0; r < size; ++r) {
      const long long* b = &all[4 * static_cast<std::size_t>(r)];
      std::string problem;
      if (b[0] != all[0])
        problem = cat("total rows ", b[0], " differ from rank 0's ", all[0]);
      else if (b[3] != all[3])
        problem = cat("columns ", b[3], " differ from rank 0's ", all[3]);
      else if (b[1] != next)
        problem = cat("rows start at ", b[1], " but the previous rank's end at ", next);
      if (!problem.empty())
        throw core::Error(cat(output.string(), ": ", what, ": rank ", r, ": ", problem,
                              " (blocks must be contiguous in rank order)"));
      next += b[2];
    }
    if (next != all[0])
      throw core::Error(
          cat(output.string(), ": ", what, ": the blocks cover ", next, " rows, not ", all[0]));
  }

  // Writes a replicated dataset: rank 0 writes everything, the others take part with
  // nothing selected (H5Dwrite is collective).
  void write_replicated(std::string_view dataset, const double* data, std::vector<hsize_t> dims) {
    auto d = detail::create_dataset(file.get(), dataset, H5T_IEEE_F64LE, dims);
    const std::int64_t n_rows = dims.empty() ? 0 : static_cast<std::int64_t>(dims[0]);
    detail::write_rows(d.get(), H5T_NATIVE_DOUBLE, 0, rank == 0 ? n_rows : 0, data, true);
  }

  // Abandons the temporary file (destructor path). Never throws. Collective like every other
  // member: it waits for all ranks, then they close the file together.
  //
  // It must not decide by a deadline that the other ranks "diverged" and go on alone: under
  // load a merely slow rank looks the same, and it would then arrive, find the barrier
  // complete and wait in a collective close that this rank never joins, while this rank has
  // gone on to other work (a hang, or collectives of different operations matched up). A
  // rank that really failed alone has broken the collective contract and the other ranks are
  // blocked in some collective, so only aborting the job ends it: wait_for_all does that
  // after abandon_abort_seconds, a delay no live rank comes near.
  void abandon() noexcept {
    bool together = false;
    try {
      const std::string what = cat("the clean-up of ", temp.string());
      together =
          detail::wait_for_all(comm, abandon_warn_seconds, abandon_abort_seconds, what.c_str());
    } catch (...) {  // only std::bad_alloc from building the message
      together = detail::wait_for_all(comm, abandon_warn_seconds, abandon_abort_seconds,
                                      "a subject file's clean-up");
    }
    if (together) {
      file.reset();  // collective close; its errors no longer matter
      std::error_code ec;
      if (rank == 0) fs::remove(temp, ec);
      MPI_Barrier(comm);  // on return, on any rank, the temporary file is gone
      return;
    }
    // MPI itself failed, so no collective can be trusted: leave the handle open and remove
    // the file.
    std::fprintf(stderr,
                 "spectralbrain: warning [rank %d]: MPI failed while abandoning %s; leaving the "
                 "HDF5 handle open\n",
                 rank, temp.c_str());
    [[maybe_unused]] auto* leaked = new core::H5File(std::move(file));
    std::error_code ec;
    fs::remove(temp, ec);
  }
};

SubjectWriter::SubjectWriter(MPI_Comm comm, fs::path output, SubjectInfo info)
    : impl_(std::make_unique<Impl>()) {
  Impl& w = *impl_;
  w.own_comm = core::Comm::duplicate(comm);
  comm = w.comm = w.own_comm.get();  // from here on, only the writer's own communicator
  w.rank = core::rank(comm);
  w.size = core::size(comm);
  w.output = fs::path(detail::broadcast(comm, output.string()));

  // Rank 0's info is the one written; agree on it first so every rank validates the same.
  w.info.subject = detail::broadcast(comm, std::move(info.subject));
  w.info.source_mesh = detail::broadcast(comm, std::move(info.source_mesh));
  w.info.sha256 = detail::broadcast(comm, std::move(info.sha256));
  w.info.mass = detail::broadcast(comm, std::move(info.mass));
  w.info.petsc_options = detail::broadcast(comm, std::move(info.petsc_options));
  std::array<double, 2> numbers{info.sigma, info.precision == Precision::float32 ? 1.0 : 0.0};
  SB_MPI(MPI_Bcast(numbers.data(), 2, MPI_DOUBLE, 0, comm));
  w.info.sigma = numbers[0];
  w.info.precision = numbers[1] != 0 ? Precision::float32 : Precision::float64;
  if (w.info.mass != "consistent" && w.info.mass != "lumped")
    throw core::InputError(w.output.string(), "attribute mass",
                           cat("\"", w.info.mass, "\" is not \"consistent\" or \"lumped\""));

  std::string problem;
  if (w.rank == 0) problem = core::create_temporary_sibling(w.output, w.temp);
  problem = detail::agreed_problem(comm, problem, /*name_rank=*/false);  // only rank 0 looks
  if (!problem.empty()) throw core::InputError(w.output.string(), "", problem);
  w.temp = detail::broadcast(comm, w.temp.string());

  problem.clear();
  try {
    core::H5PropList fapl(SB_HDF5(H5Pcreate(H5P_FILE_ACCESS)));
    SB_HDF5(H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL));
    SB_HDF5(H5Pset_all_coll_metadata_ops(fapl.get(), true));
    SB_HDF5(H5Pset_coll_metadata_write(fapl.get(), true));
    core::H5PropList fcpl(SB_HDF5(H5Pcreate(H5P_FILE_CREATE)));
    // Keep root attributes in the order written, so wall_seconds_* read back in stage order.
    SB_HDF5(H5Pset_attr_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED));
    w.file =
        core::H5File(SB_HDF5(H5Fcreate(w.temp.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get())));
  } catch (const core::LibraryError& e) {
    problem = cat("cannot create HDF5 file ", w.temp, ": ", e.what());
  }
  // Agreed, so that no rank goes on to write while another has thrown.
  problem = detail::agreed_problem(comm, problem);
  if (!problem.empty()) {
    // A rank whose H5Fcreate succeeded while another's failed holds a handle whose close is
    // collective with ranks that have none: it cannot be closed, only left open.
    if (w.file) {
      [[maybe_unused]] auto* leaked = new core::H5File(std::move(w.file));
    }
    std::error_code ec;
    if (w.rank == 0) fs::remove(w.temp, ec);
    throw core::InputError(w.output.string(), "", problem);
  }
}

SubjectWriter::SubjectWriter(SubjectWriter&&) noexcept = default;

SubjectWriter::~SubjectWriter() {
  if (impl_ && !impl_->committed) impl_->abandon();
}

const fs::path& SubjectWriter::output() const noexcept { return impl_->output; }
const fs::path& SubjectWriter::temp_path() const noexcept { return impl_->temp; }

void SubjectWriter::write_mesh(const mesh::TriMesh& mesh) {
  Impl& w = *impl_;
  w.require_open("write_mesh");
  if (w.mesh_written) throw core::Error(cat(w.output.string(), ": write_mesh called twice"));
  const auto n = static_cast<long long>(mesh.n_vertices());
  const auto f = static_cast<long long>(mesh.n_faces());
  std::array<long long, 4> sizes{n, -n, f, -f};
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, sizes.data(), 4, MPI_LONG_LONG, MPI_MAX, w.comm));
  if (sizes[0] != -sizes[1] || sizes[2] != -sizes[3])
    throw core::Error(cat(w.output.string(), ": write_mesh: the mesh must be the same on every",
                          " rank, but vertex or face counts differ"));
  if (w.eigen_written && n != w.n_vertices)
    throw core::Error(cat(w.output.string(), ": write_mesh: the mesh has ", n,
                          " vertices but the eigenvectors have ", w.n_vertices, " rows"));

  // Area, and a check that faces index existing vertices (geometry below depends on it).
  std::string problem;
  double area = 0;
  for (std::size_t i = 0; i < mesh.faces.size() && problem.empty(); ++i) {
    const auto& t = mesh.faces[i];
    if (std::any_of(t.begin(), t.end(), [n](std::int32_t v) { return v < 0 || v >= n; })) {
      problem = cat("face ", i, " has a vertex index outside 0..", n - 1);
      break;
    }
    const auto &a = mesh.vertices[t[0]], &b = mesh.vertices[t[1]], &c = mesh.vertices[t[2]];
    const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    const double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    const double x = u[1] * v[2] - u[2] * v[1], y = u[2] * v[0] - u[0] * v[2],
                 z = u[0] * v[1] - u[1] * v[0];
    area += 0.5 * std::sqrt(x * x + y * y + z * z);
  }
  w.agree(problem, "write_mesh");

  auto [v_begin, v_count] = core::row_block(n, w.rank, w.size);
  auto vertices = detail::create_dataset(w.file.get(), h5path::vertices, H5T_IEEE_F64LE,
                                         {static_cast<hsize_t>(n), 3});
  detail::write_rows(vertices.get(), H5T_NATIVE_DOUBLE, v_begin, v_count,
                     v_count ? mesh.vertices[v_begin].data() : nullptr, true);
  auto [f_begin, f_count] = core::row_block(f, w.rank, w.size);
  auto faces = detail::create_dataset(w.file.get(), h5path::faces, H5T_STD_I32LE,
                                      {static_cast<hsize_t>(f), 3});
  detail::write_rows(faces.get(), H5T_NATIVE_INT32, f_begin, f_count,
                     f_count ? mesh.faces[f_begin].data() : nullptr, true);
  w.n_vertices = n;
  w.n_faces = f;
  w.area = area;
  w.mesh_written = true;
}

void SubjectWriter::write_eigenpairs(const spectral::Eigenpairs& eigen) {
  Impl& w = *impl_;
  w.require_open("write_eigenpairs");
  if (w.eigen_written) throw core::Error(cat(w.output.string(), ": write_eigenpairs called twice"));
  const std::int64_t k = eigen.k();
  w.agree(eigen.residuals.size() == eigen.values.size()
              ? std::string()
              : cat(eigen.values.size(), " values but ", eigen.residuals.size(), " residuals"),
          "write_eigenpairs");
  w.agree_blocks(eigen.n_rows_global, eigen.row_begin, eigen.n_rows_local, k, eigen.vectors.size(),
                 "write_eigenpairs");
  if (w.mesh_written && eigen.n_rows_global != w.n_vertices)
    throw core::Error(cat(w.output.string(), ": write_eigenpairs: the eigenvectors have ",
                          eigen.n_rows_global, " rows but the mesh has ", w.n_vertices,
                          " vertices"));

  const hsize_t hk = static_cast<hsize_t>(k);
  w.write_replicated(h5path::values, eigen.values.data(), {hk});
  w.write_block(h5path::vectors, eigen.n_rows_global, eigen.row_begin, eigen.n_rows_local, k,
                eigen.vectors.data(), w.info.precision);
  w.write_replicated(h5path::residuals, eigen.residuals.data(), {hk});
  w.n_vertices = eigen.n_rows_global;
  w.k = k;
  w.eigen_written = true;
}

void SubjectWriter::write_rows(std::string_view dataset, const RowBlock& block,
                               Precision precision) {
  Impl& w = *impl_;
  w.require_open("write_rows");
  w.check_new_dataset(dataset, "write_rows");
  w.agree_blocks(block.n_rows_global, block.row_begin, block.n_rows_local, block.n_cols,
                 block.data.size(), cat("write_rows ", dataset));
  w.write_block(dataset, block.n_rows_global, block.row_begin, block.n_rows_local, block.n_cols,
                block.data.data(), precision);
}

void SubjectWriter::write_replicated(std::string_view dataset, std::span<const double> data,
                                     std::vector<std::int64_t> shape) {
  Impl& w = *impl_;
  w.require_open("write_replicated");
  w.check_new_dataset(dataset, "write_replicated");
  // Rank 0's shape decides (H5Dcreate must see the same dimensions everywhere).
  if (shape.empty()) shape.push_back(static_cast<std::int64_t>(data.size()));
  std::vector<double> as_double(shape.begin(), shape.end());
  as_double = detail::broadcast(w.comm, std::move(as_double));
  std::vector<hsize_t> dims;
  long long product = 1;
  bool negative = false;
  for (double d : as_double) {
    negative = negative || d < 0;
    dims.push_back(static_cast<hsize_t>(d));
    product *= static_cast<long long>(d);
  }
  std::string problem;
  if (negative)
    problem = "negative dimension";
  else if (w.rank == 0 && product != static_cast<long long>(data.size()))
    problem = cat("shape holds ", product, " values but data has ", data.size());
  w.agree(problem, cat("write_replicated ", dataset));
  w.write_replicated(dataset, data.data(), std::move(dims));
}

void SubjectWriter::set_attribute(std::string_view object, std::string_view name,
                                  const AttributeValue& value) {
  Impl& w = *impl_;
  w.require_open("set_attribute");
  // Agreed before exists(), which is collective (see check_new_dataset).
  w.agree(detail::path_problem(object), "set_attribute", /*name_rank=*/false);
  std::string problem;
  if (!detail::exists(w.file.get(), object))
    problem = cat("object ", object, " does not exist (write it first)");
  else if (name.empty())
    problem = "empty attribute name";
  else if (object == "/" && reserved_root_name(name))
    problem = cat("root attribute \"", name, "\" is written by the SubjectWriter itself");
  w.agree(problem, "set_attribute", /*name_rank=*/false);
  const AttributeValue agreed = detail::broadcast(w.comm, value);
  detail::H5AnyObject o(SB_HDF5(H5Oopen(w.file.get(), std::string(object).c_str(), H5P_DEFAULT)));
  detail::write_attribute(o.get(), name, agreed);
}

void SubjectWriter::set_wall_seconds(std::vector<std::pair<std::string, double>> seconds) {
  impl_->require_open("set_wall_seconds");
  impl_->wall_seconds = std::move(seconds);
}

void SubjectWriter::commit() {
  Impl& w = *impl_;
  w.require_open("commit");
  if (!w.mesh_written || !w.eigen_written)
    throw core::Error(cat(w.output.string(), ": commit: write_mesh and write_eigenpairs must",
                          " be called first"));

  // Stage names are rank 0's; each time is the slowest rank's.
  long long n_stages = static_cast<long long>(w.wall_seconds.size());
  SB_MPI(MPI_Bcast(&n_stages, 1, MPI_LONG_LONG, 0, w.comm));
  std::vector<std::string> stages(static_cast<std::size_t>(n_stages));
  std::vector<double> seconds(stages.size(), 0.0);
  for (std::size_t i = 0; i < stages.size(); ++i) {
    stages[i] = detail::broadcast(w.comm, w.rank == 0 ? w.wall_seconds[i].first : "");
    if (!valid_stage_name(stages[i]))
      throw core::Error(cat(w.output.string(), ": commit: stage name \"", stages[i],
                            "\" must be letters, digits and '_'"));
    for (const auto& [name, s] : w.wall_seconds)
      if (name == stages[i]) seconds[i] = s;
  }
  if (!seconds.empty())
    SB_MPI(MPI_Allreduce(MPI_IN_PLACE, seconds.data(), static_cast<int>(seconds.size()), MPI_DOUBLE,
                         MPI_MAX, w.comm));

  const hid_t root = w.file.get();
  detail::write_attribute(root, "format_version", subject_format_version);
  detail::write_attribute(root, "spectralbrain_version", std::string(core::version));
  detail::write_attribute(root, "subject", w.info.subject);
  detail::write_attribute(root, "source_mesh", w.info.source_mesh);
  detail::write_attribute(root, "sha256", w.info.sha256);
  detail::write_attribute(root, "n_vertices", w.n_vertices);
  detail::write_attribute(root, "n_faces", w.n_faces);
  detail::write_attribute(root, "area", w.area);
  detail::write_attribute(root, "k", w.k);
  detail::write_attribute(root, "sigma", w.info.sigma);
  detail::write_attribute(root, "mass", w.info.mass);
  detail::write_attribute(root, "n_ranks", std::int64_t{w.size});
  detail::write_attribute(root, "petsc_options", w.info.petsc_options);
  detail::write_attribute(root, "precision", std::string(precision_name(w.info.precision)));
  for (std::size_t i = 0; i < stages.size(); ++i)
    detail::write_attribute(root, cat(wall_seconds_prefix, stages[i]), seconds[i]);

  // Everything else reaches the file before the mark that says it is finished.
  SB_HDF5(H5Fflush(root, H5F_SCOPE_GLOBAL));
  detail::write_attribute(root, "complete", std::int64_t{1});
  // A close that fails on some ranks only is agreed, so that every rank throws here rather
  // than some waiting for the others while those destroy the writer. The agreement (an
  // MPI_Allreduce) also means every rank has closed before rank 0 publishes the file.
  std::string problem;
  try {
    w.file.close();
  } catch (const core::LibraryError& e) {
    problem = e.what();
  }
  problem = detail::agreed_problem(w.comm, problem);
  if (!problem.empty())
    throw core::LibraryError("HDF5", -1, "H5Fclose(file)", __FILE__, __LINE__,
                             cat(w.output.string(), ": commit: ", problem));

  if (w.rank == 0) problem = core::publish_file(w.temp, w.output);
  problem = detail::agreed_problem(w.comm, problem, /*name_rank=*/false);
  if (!problem.empty()) throw core::InputError(w.output.string(), "", problem);
  w.committed = true;
}

}  // namespace spectralbrain::io
