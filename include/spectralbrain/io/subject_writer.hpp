// SubjectWriter: one subject's HDF5 file, written collectively and published atomically.
//
// The file is written under a temporary name `<output>.tmp-<unique>` in the output's folder
// and renamed to `<output>` by commit(), after the attribute `complete` = 1 has been written
// last and every rank has closed the file. A writer destroyed without commit() (an
// exception, an early return) removes its temporary file, so a file with the final name is
// always complete, and a file already at the final name is replaced only by commit().
// A process killed outright can leave a `*.tmp-*` file behind, never a final one.
//
//   io::SubjectWriter out(comm, "out/sub-01.h5", info);   // collective: creates the temp
//   out.write_mesh(mesh);                                   // replicated TriMesh
//   out.write_eigenpairs(eigen);                            // row-distributed Eigenpairs
//   out.write_rows("/descriptors/hks", block);              // optional extras
//   out.set_wall_seconds(timer.seconds());
//   out.commit();                                           // publishes out/sub-01.h5
//
// Every member function is collective over the communicator: all ranks call it in the same
// order with the same arguments except where it says "this rank's". Input problems that a
// rank detects are agreed over the communicator first, so every rank throws the same error
// instead of some ranks waiting in a collective.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spectralbrain/io/subject_schema.hpp"
#include "spectralbrain/mesh/tri_mesh.hpp"
#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::io {

/// This rank's block of a row-distributed n_rows_global × n_cols float64 matrix: rows
/// [row_begin, row_begin + n_rows_local) in input vertex order, row-major in `data`
/// (n_rows_local·n_cols values). Rank r's block starts where rank r−1's ends and the blocks
/// cover all rows, as in spectral::Eigenpairs.
struct RowBlock {
  std::int64_t n_rows_global = 0;  ///< rows of the whole matrix (N for per-vertex data)
  std::int64_t row_begin = 0;      ///< first global row held by this rank
  std::int64_t n_rows_local = 0;   ///< rows held by this rank (may be 0)
  std::int64_t n_cols = 0;         ///< columns, the same on every rank
  std::span<const double> data;    ///< n_rows_local × n_cols, row-major
};

/// Writes one subject file with parallel HDF5 (MPI-IO, collective writes). See the file
/// comment for the protocol and subject_schema.hpp for the layout.
class SubjectWriter {
 public:
  /// Creates the temporary file `<output>.tmp-<unique>` beside `output`. Collective.
  /// @param comm    the communicator of the ranks that hold this subject's data (need not
  ///                be MPI_COMM_WORLD, e.g. a group from MPI_Comm_split). The writer works
  ///                on its own duplicate, so its collectives never match the caller's; its
  ///                ranks must call the writer's functions in the same order.
  /// @param output  final file name. Its folder must exist: the writer does not create
  ///                folders, so a mistyped path fails here instead of writing somewhere odd.
  /// @param info    the caller's root attributes (rank 0's copy is written)
  /// @throws core::InputError naming the path if the folder is missing, is not a folder, or
  ///         the temporary file cannot be created there (permissions, read-only, ...), or if
  ///         info.mass is not "consistent"/"lumped"; core::LibraryError for MPI/HDF5 failures.
  SubjectWriter(MPI_Comm comm, std::filesystem::path output, SubjectInfo info);
  SubjectWriter(SubjectWriter&&) noexcept;
  SubjectWriter& operator=(SubjectWriter&&) = delete;
  /// Without commit(): closes and removes the temporary file (never throws); on return, on
  /// any rank, the temporary file is gone. Collective like every member: it waits for all
  /// ranks however long they take (a deadline would, under load, mistake a slow rank for a
  /// failed one and leave the ranks in different collectives), warning on stderr every 30 s.
  /// A rank that fails alone breaks the collective contract and leaves the others blocked
  /// in some collective; if they have not come after 10 minutes, the job is aborted
  /// (MPI_Abort) rather than left hanging.
  ~SubjectWriter();

  /// Writes /mesh/vertices (N,3) float64 and /mesh/faces (F,3) int32, in input order, and
  /// records N, F and the surface area (sum of triangle areas) for the root attributes.
  /// @param mesh  the same mesh on every rank (replicated); each rank writes 1/P of the
  ///              rows, so the data goes to disk once. Sizes are checked to agree.
  /// @throws core::Error if called twice, if sizes differ between ranks, or N·F fit no
  ///         file; core::LibraryError for HDF5 failures.
  void write_mesh(const mesh::TriMesh& mesh);

  /// Writes /eigen/values (k,) float64, /eigen/vectors (N,k) in the precision of
  /// SubjectInfo::precision, and /eigen/residuals (k,) float64.
  /// @param eigen  values/residuals replicated (rank 0's written); vectors this rank's row
  ///               block, blocks contiguous in rank order and covering all N rows.
  /// @throws core::Error if called twice, if blocks are not contiguous/covering, sizes are
  ///         inconsistent, k differs between ranks, or N differs from the mesh's (when the
  ///         mesh was written first); core::LibraryError for HDF5 failures.
  void write_eigenpairs(const spectral::Eigenpairs& eigen);

  /// Writes a row-distributed 2-D dataset, e.g. "/descriptors/hks" (N,T). Parent groups
  /// are created as needed.
  /// @param dataset    absolute path; must not exist yet
  /// @param block      this rank's rows (see RowBlock)
  /// @param precision  float64 or float32 on disk (converted from double)
  /// @throws core::Error for a bad path, inconsistent blocks or an existing dataset;
  ///         core::LibraryError for HDF5 failures.
  void write_rows(std::string_view dataset, const RowBlock& block,
                  Precision precision = Precision::float64);

  /// Writes a replicated float64 dataset, e.g. "/descriptors/shapedna" (k,) or
  /// "/descriptors/hks_times" (T,). Rank 0's data is written.
  /// @param dataset  absolute path; must not exist yet; parent groups are created
  /// @param data     the values, row-major
  /// @param shape    dimensions; empty means 1-D (data.size(),). Product must equal
  ///                 data.size().
  /// @throws core::Error for a bad path/shape or an existing dataset; core::LibraryError
  ///         for HDF5 failures.
  void write_replicated(std::string_view dataset, std::span<const double> data,
                        std::vector<std::int64_t> shape = {});

  /// Sets attribute `name` on an existing group or dataset (e.g. "/descriptors/hks",
  /// "units", "1/mm^2"). Replaces an attribute of that name. Rank 0's value is written.
  /// @param object  absolute path of a group or dataset written before ("/" for the root)
  /// @param name    attribute name; on "/" not one of the reserved root attribute names
  ///                (SubjectInfo/SubjectAttributes fields, `complete`, `wall_seconds_*`)
  /// @param value   int64, float64, string or 1-D float64 array
  /// @throws core::Error if the object does not exist or the name is reserved.
  void set_attribute(std::string_view object, std::string_view name, const AttributeValue& value);

  /// Stage wall times for the root attributes `wall_seconds_<stage>`, e.g.
  /// core::StageTimer::seconds(). Replaces earlier calls; written by commit(). Stage names
  /// are rank 0's; each stored time is the maximum over ranks (0 where a rank lacks it).
  /// @param seconds  (stage, seconds) pairs; stage names of letters, digits and '_'
  /// @throws core::Error (at commit) for an empty or ill-formed stage name.
  void set_wall_seconds(std::vector<std::pair<std::string, double>> seconds);

  /// Writes the root attributes, flushes, writes `complete` = 1 last, closes the file on
  /// every rank, then rank 0 syncs it and renames it over `output` (atomic on POSIX file
  /// systems); returns on every rank after the rename.
  /// @throws core::Error if the mesh or eigenpairs were not written or commit() was
  ///         already called; core::InputError naming the files if the rename fails;
  ///         core::LibraryError for HDF5/MPI failures. On a throw nothing is published.
  void commit();

  /// The final file name given to the constructor.
  const std::filesystem::path& output() const noexcept;
  /// The temporary file being written (gone after commit() or destruction).
  const std::filesystem::path& temp_path() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spectralbrain::io
