// Rows of a derived (cleaned) mesh back to the input mesh's rows, across ranks.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <span>

#include "spectralbrain/spectral/eigenpairs.hpp"

namespace spectralbrain::pipeline {

/// Eigenpairs of a derived mesh (rows = its vertices) re-indexed to the input mesh: input row
/// input_vertex[i] receives derived row i; input rows with no derived vertex (dropped) are NaN.
/// Collective on `comm`; the result is distributed in the same block layout over n_input rows.
/// @param derived       eigenpairs on the derived mesh, row blocks over N_out rows
/// @param input_vertex  (N_out,) input vertex of each derived vertex (replicated)
/// @param n_input       N_in, rows of the result
spectral::Eigenpairs to_input_rows(MPI_Comm comm, const spectral::Eigenpairs& derived,
                                   std::span<const std::int32_t> input_vertex,
                                   std::int64_t n_input);

}  // namespace spectralbrain::pipeline
