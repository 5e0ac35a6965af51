// Random numbers for one chain: a generator whose stream depends only on (seed, chain).
//
// Every chain owns its generator; none is shared or global. Seeding std::mt19937_64
// through std::seed_seq{seed_lo, seed_hi, chain_lo, chain_hi} gives well-mixed,
// distinct streams, so a chain's draws do not depend on which rank runs it.
#pragma once

#include <cstdint>
#include <random>

namespace spectralbrain::stats {

/// The generator every chain uses.
using Rng = std::mt19937_64;

/// The generator of chain `chain` of a run seeded with `seed`.
Rng make_chain_rng(std::uint64_t seed, std::uint64_t chain);

/// Uniform draw in [0, 1) with 53 random bits (one generator call).
inline double uniform01(Rng& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Standard normal draw (Marsaglia's polar method; two generator calls per try). Written
/// here rather than std::normal_distribution so the stream is the same with every library.
double standard_normal(Rng& rng);

}  // namespace spectralbrain::stats
