// Radix-2 fast Fourier transform, internal to the diagnostics (autocovariance by FFT).
//
// A self-contained transform instead of FFTW: the diagnostics need only power-of-two
// lengths of a few thousand points, so a plain iterative Cooley–Tukey is fast enough, keeps
// FFTW's GPL and its non-thread-safe planner out of the link, and needs no setup step.
#pragma once

#include <complex>
#include <span>

namespace spectralbrain::stats::detail {

/// In-place discrete Fourier transform of `data`, whose length must be a power of two:
/// X_k = Σ_j x_j exp(∓2πi jk/n), minus sign forward; the inverse is unscaled (divide by n).
/// @throws std::invalid_argument if the length is not a power of two
void fft(std::span<std::complex<double>> data, bool inverse = false);

}  // namespace spectralbrain::stats::detail
