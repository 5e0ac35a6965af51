// Model helpers: output sizes and the finite-difference gradient check.
#include "spectralbrain/stats/model.hpp"

#include <algorithm>
#include <cmath>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::stats {

std::size_t VariableInfo::size() const {
  std::size_t n = 1;
  for (std::size_t s : shape) n *= s;
  return n;
}

std::size_t output_size(const Model& model) {
  std::size_t n = 0;
  for (const auto& v : model.output_variables()) n += v.size();
  return n;
}

double gradient_error(const Model& model, std::span<const double> x, double h) {
  const std::size_t n = model.dimension();
  std::vector<double> grad(n), scratch(n), y(x.begin(), x.end());
  const double lp = model.log_density(x, grad);
  if (!std::isfinite(lp))
    throw core::ComputationError("gradient_error: log density is not finite at the test point");
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = x[i] + h;
    const double up = model.log_density(y, scratch);
    y[i] = x[i] - h;
    const double down = model.log_density(y, scratch);
    y[i] = x[i];
    const double fd = (up - down) / (2 * h);
    worst = std::max(worst, std::abs(grad[i] - fd) / std::max(1.0, std::abs(fd)));
  }
  return worst;
}

}  // namespace spectralbrain::stats
