// Per-chain generators and the normal draw.
#include "spectralbrain/stats/rng.hpp"

#include <cmath>

namespace spectralbrain::stats {

Rng make_chain_rng(std::uint64_t seed, std::uint64_t chain) {
  // seed_seq takes 32-bit words: pass both halves of each 64-bit value.
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(chain), static_cast<std::uint32_t>(chain >> 32)};
  return Rng(seq);
}

double standard_normal(Rng& rng) {
  // Marsaglia's polar method, using one of the pair (no hidden state between calls).
  while (true) {
    const double u = 2 * uniform01(rng) - 1;
    const double v = 2 * uniform01(rng) - 1;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2 * std::log(s) / s);
  }
}

}  // namespace spectralbrain::stats
