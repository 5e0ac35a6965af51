// The benchmark's linear regression, y ~ N(α + Xβ, σ), α, β ~ N(0, 10), σ ~ half-N(0, 10),
// with a hand-written gradient; the same density as linreg.stan.
// Unconstrained parameters: α, β[1..K], u = log σ.
#pragma once

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "spectralbrain/stats/model.hpp"

namespace spectralbrain::bench {

class LinearRegression : public stats::Model {
 public:
  /// Read a CSV with header "y,x1,..,xK" (N rows).
  explicit LinearRegression(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::string line;
    std::getline(in, line);
    K_ = static_cast<std::size_t>(std::count(line.begin(), line.end(), ','));
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      std::istringstream row(line);
      std::string cell;
      std::getline(row, cell, ',');
      y_.push_back(std::stod(cell));
      for (std::size_t k = 0; k < K_; ++k) {
        std::getline(row, cell, ',');
        X_.push_back(std::stod(cell));
      }
    }
  }
  std::size_t n_obs() const { return y_.size(); }
  std::size_t n_predictors() const { return K_; }

  std::size_t dimension() const override { return K_ + 2; }

  double log_density(std::span<const double> x, std::span<double> g) const override {
    const double alpha = x[0];
    const double* beta = x.data() + 1;
    const double u = x[K_ + 1], sigma = std::exp(u);
    double sum_r = 0, sum_r2 = 0;
    double gb[16] = {0};  // K <= 16 in the benchmark
    const std::size_t N = y_.size();
    for (std::size_t i = 0; i < N; ++i) {
      const double* xi = X_.data() + i * K_;
      double mu = alpha;
      for (std::size_t k = 0; k < K_; ++k) mu += xi[k] * beta[k];
      const double r = y_[i] - mu;
      sum_r += r;
      sum_r2 += r * r;
      for (std::size_t k = 0; k < K_; ++k) gb[k] += r * xi[k];
    }
    const double inv_s2 = 1 / (sigma * sigma);
    const double n = static_cast<double>(N);
    double lp = -n * u - 0.5 * sum_r2 * inv_s2;
    // Priors N(0, 10) on α, β and σ (half), and the Jacobian of σ = e^u.
    lp -= 0.005 * (alpha * alpha + sigma * sigma);
    g[0] = sum_r * inv_s2 - 0.01 * alpha;
    for (std::size_t k = 0; k < K_; ++k) {
      lp -= 0.005 * beta[k] * beta[k];
      g[1 + k] = gb[k] * inv_s2 - 0.01 * beta[k];
    }
    lp += u;
    // d/du: σ·(−N/σ + Σr²/σ³ − σ/100) + 1
    g[K_ + 1] = -n + sum_r2 * inv_s2 - 0.01 * sigma * sigma + 1;
    return lp;
  }

  std::vector<std::string> parameter_names() const override {
    std::vector<std::string> v{"alpha"};
    for (std::size_t k = 0; k < K_; ++k) v.push_back("beta[" + std::to_string(k + 1) + "]");
    v.push_back("log_sigma");
    return v;
  }
  std::vector<stats::VariableInfo> output_variables() const override {
    return {{"alpha", {}, {}}, {"beta", {K_}, {"beta_dim_0"}}, {"sigma", {}, {}}};
  }
  void constrain(std::span<const double> x, std::span<double> out) const override {
    std::copy(x.begin(), x.begin() + K_ + 1, out.begin());
    out[K_ + 1] = std::exp(x[K_ + 1]);
  }

 private:
  std::size_t K_ = 0;
  std::vector<double> y_, X_;
};

}  // namespace spectralbrain::bench
