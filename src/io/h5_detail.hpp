// Private helpers of the io area: HDF5 attributes, paths and row hyperslabs, and the MPI
// agreement that lets every rank throw the same error instead of diverging.
#pragma once

#include <hdf5.h>
#include <mpi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spectralbrain/core/hdf5.hpp"
#include "spectralbrain/io/subject_schema.hpp"

namespace spectralbrain::io::detail {

/// Owner of an identifier from H5Oopen (a group or a dataset).
using H5AnyObject = core::H5Object<H5Oclose>;

// ---- MPI agreement ------------------------------------------------------------------------

/// Collective. Empty if `local_problem` is empty on every rank; otherwise the problem of the
/// lowest failing rank, as "rank r: ..." when `name_rank` and the communicator has more
/// than one rank.
std::string agreed_problem(MPI_Comm comm, const std::string& local_problem, bool name_rank = true);
/// Collective: root's string on every rank.
std::string broadcast(MPI_Comm comm, std::string s, int root = 0);
/// Collective: root's values on every rank (sizes may differ before).
std::vector<double> broadcast(MPI_Comm comm, std::vector<double> v, int root = 0);
/// Collective: root's value on every rank.
AttributeValue broadcast(MPI_Comm comm, AttributeValue v, int root = 0);
/// Collective: returns true once every rank of `comm` has called it, however long that
/// takes. A deadline cannot tell a rank that is merely slow (an oversubscribed node, a busy
/// file system) from one that will never come, and going on alone after a wrong guess leaves
/// the ranks in different collectives; so time never changes what this returns. While it
/// waits it warns on stderr every `warn_seconds`, naming `what`, and after `abort_seconds`
/// (far beyond any delay between ranks that are all on their way) it concludes that the
/// ranks diverged and aborts the whole job with MPI_Abort: loud, never a wrong result.
/// False only if MPI itself fails.
bool wait_for_all(MPI_Comm comm, double warn_seconds, double abort_seconds,
                  const char* what) noexcept;

// ---- HDF5 ---------------------------------------------------------------------------------

/// Problem with an absolute object path ("/a/b"), or empty if it is well formed.
std::string path_problem(std::string_view path);
/// True if every link along absolute `path` exists ("/" always does).
bool exists(hid_t file, std::string_view path);
/// Creates a dataset with parent groups; contiguous, allocated early, no fill (parallel).
core::H5Dataset create_dataset(hid_t file, std::string_view path, hid_t file_type,
                               const std::vector<hsize_t>& dims);
/// Dimensions of a dataset.
std::vector<hsize_t> dims(hid_t dataset);

/// Writes rows [row_begin, row_begin + n_rows) of `dataset` (any rank ≥ 1) from `buffer`
/// of `mem_type`; collective when `collective` (n_rows may be 0 on some ranks).
void write_rows(hid_t dataset, hid_t mem_type, std::int64_t row_begin, std::int64_t n_rows,
                const void* buffer, bool collective);
/// Reads rows [row_begin, row_begin + n_rows) of `dataset` into `buffer` as `mem_type`.
void read_rows(hid_t dataset, hid_t mem_type, std::int64_t row_begin, std::int64_t n_rows,
               void* buffer);

/// Creates or replaces attribute `name` on `object`.
void write_attribute(hid_t object, std::string_view name, const AttributeValue& value);
/// Reads attribute `name` of `object`. Throws core::Error if its type is not one of
/// AttributeValue's (integer, float scalar or 1-D, string); LibraryError if it is missing.
AttributeValue read_attribute(hid_t object, std::string_view name);
/// True if `object` has attribute `name`.
bool has_attribute(hid_t object, std::string_view name);

}  // namespace spectralbrain::io::detail
