// How much memory one subject's solve needs, estimated before the mesh is read, and the
// cheap look at a mesh file's header that gives its size.
//
// Model (bytes; N vertices, F faces, k pairs, ncv Krylov vectors, P ranks of the group):
//   mesh         2·(24N + 12F) on every rank   the TriMesh and the reader's buffers
//   operators    3·12·(N + 3F) / P             L, M and L − σM in AIJ (value + column index;
//                                              nnz ≈ N + 2E = N + 3F)
//   factor       2·1.2·8·c·N·log2(N) / P       MUMPS Cholesky of L − σM: nested dissection on a
//                                              surface mesh fills ~c·N·log2 N entries (c =
//                                              kFillPerNLogN, measured on the test meshes);
//                                              +20% MUMPS workspace (ICNTL(14)); ×2 because the
//                                              inertia count factors L − τM while the first
//                                              factor is still alive
//   krylov       8·N·(ncv + 1) / P             the Krylov–Schur basis
//   eigenvectors 8·N·k·2 / P (+4·N·k/P single) SLEPc's copy and the returned Eigenpairs
//   total        1.25 × the sum                allocator slack and PETSc bookkeeping
// Per rank, the replicated mesh counts fully and the rest by 1/P. The estimate is checked
// against measured peak RSS in the tests (estimate ≥ measured, within a factor of 4).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "spectralbrain/io/subject_schema.hpp"

namespace spectralbrain::batch {

/// Fill of the Cholesky factor per N·log2(N) (see the file comment).
inline constexpr double kFillPerNLogN = 6.0;

/// Size of a mesh, as far as known before reading it.
struct MeshSize {
  std::int64_t n_vertices = 0;   ///< N (0: unknown)
  std::int64_t n_faces = 0;      ///< F (0: unknown, taken as 2N)
  std::uint64_t file_bytes = 0;  ///< size of the file
};

/// Reads the vertex and face counts from a mesh file's header without reading the mesh:
/// FreeSurfer binary (the two counts after the "created by" line), GIFTI (Dim0 of the
/// POINTSET and TRIANGLE arrays), OFF (the counts line). Never throws.
/// @return the sizes; n_vertices = 0 if the file is missing, unreadable or not recognised
///         (file_bytes is still set when the file exists)
MeshSize peek_mesh_size(const std::filesystem::path& mesh) noexcept;

/// One subject's memory need, per rank, by component (bytes).
struct MemoryEstimate {
  std::uint64_t per_rank = 0;  ///< what each rank of the group needs, the total below
  /// (component, bytes per rank) in the order of the file comment, before the 1.25 factor.
  std::vector<std::pair<std::string, std::uint64_t>> parts;
};

/// Estimates the memory of one subject's solve (file comment).
/// @param size       N (and F; F = 0 means 2N)
/// @param k          eigenpairs
/// @param ncv        Krylov basis size; 0: SLEPc's default max(2k, k + 15)
/// @param n_ranks    ranks of the group that solves it (≥ 1)
/// @param precision  storage of the eigenvectors
MemoryEstimate estimate_subject_memory(const MeshSize& size, int k, int ncv, int n_ranks,
                                       io::Precision precision = io::Precision::float64);

}  // namespace spectralbrain::batch
