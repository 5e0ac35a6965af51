// Counting eigenvalues below a shift, by Sylvester's law of inertia.
//
// For symmetric L and SPD M, the number of eigenvalues of L φ = λ M φ below τ equals the
// number of negative eigenvalues of L − τM, which an LDLᵀ factorisation reports as the
// number of negative pivots (its inertia). This is the exact check a Krylov solver lacks: a
// Krylov space started from one vector can miss copies of a repeated eigenvalue (e.g. on a
// sphere, where l(l+1) is (2l+1)-fold) and still report convergence.
#pragma once

#include <cstdint>

#include "spectralbrain/fem/operators.hpp"

namespace spectralbrain::spectral {

/// Number of eigenvalues of L φ = λ M φ strictly below `tau`.
///
/// Collective on the communicator of `ops`. Costs one symmetric-indefinite factorisation of
/// L − τM with MUMPS (LDLᵀ; in parallel with ICNTL(13) = 1 so that the inertia covers the
/// root front). `tau` should not be (numerically) an eigenvalue: the count of a singular
/// L − τM is ill-determined.
///
/// @param ops  L and M (not modified)
/// @param tau  the shift, in the units of λ (1/length²)
/// @return the count, the same on every rank
/// @throws core::InputError if `tau` is not finite
/// @throws core::LibraryError if the factorisation fails or PETSc was built without MUMPS
std::int64_t count_eigenvalues_below(const fem::Operators& ops, double tau);

}  // namespace spectralbrain::spectral
