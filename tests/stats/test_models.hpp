// Models for the sampler tests: Gaussians, conjugate models with analytic posteriors, and
// the posteriordb reference posteriors written out by hand from their math form.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "spectralbrain/stats/model.hpp"

namespace spectralbrain::stats::testing {

/// Output-variable metadata for a scalar or a vector.
VariableInfo scalar(const std::string& name);
VariableInfo vector(const std::string& name, std::size_t n);

/// iid N(0, 1) in n dimensions; output "x" (n).
class IidNormal : public Model {
 public:
  explicit IidNormal(std::size_t n) : n_(n) {}
  std::size_t dimension() const override { return n_; }
  double log_density(std::span<const double> x, std::span<double> g) const override;
  std::vector<std::string> parameter_names() const override;
  std::vector<VariableInfo> output_variables() const override { return {vector("x", n_)}; }
  void constrain(std::span<const double> x, std::span<double> out) const override;

 private:
  std::size_t n_;
};

/// N(0, Σ) with unit variances and every correlation ρ (Σ = (1-ρ)I + ρ11ᵀ); output "x".
class CorrelatedNormal : public IidNormal {
 public:
  CorrelatedNormal(std::size_t n, double rho) : IidNormal(n), n_(n), rho_(rho) {}
  double log_density(std::span<const double> x, std::span<double> g) const override;

 private:
  std::size_t n_;
  double rho_;
};

/// y_i ~ N(μ, σ=2), μ ~ N(1, 3): posterior N(post_mean, post_sd²); output "mu".
class NormalMean : public Model {
 public:
  explicit NormalMean(std::vector<double> y) : y_(std::move(y)) {}
  std::size_t dimension() const override { return 1; }
  double log_density(std::span<const double> x, std::span<double> g) const override;
  std::vector<std::string> parameter_names() const override { return {"mu"}; }
  std::vector<VariableInfo> output_variables() const override { return {scalar("mu")}; }
  void constrain(std::span<const double> x, std::span<double> out) const override;
  double posterior_mean() const;
  double posterior_sd() const;

 private:
  std::vector<double> y_;
};

/// θ ~ Beta(a, b), k ~ Binomial(n, θ), sampled as u = logit θ: posterior Beta(a+k, b+n-k);
/// output "theta".
class BetaBinomial : public Model {
 public:
  BetaBinomial(double a, double b, int k, int n) : a_(a + k), b_(b + n - k) {}
  std::size_t dimension() const override { return 1; }
  double log_density(std::span<const double> x, std::span<double> g) const override;
  std::vector<std::string> parameter_names() const override { return {"logit_theta"}; }
  std::vector<VariableInfo> output_variables() const override { return {scalar("theta")}; }
  void constrain(std::span<const double> x, std::span<double> out) const override;
  double posterior_mean() const { return a_ / (a_ + b_); }
  double posterior_sd() const;

 private:
  double a_, b_;  // posterior Beta parameters
};

/// -infinity everywhere (initialisation must fail).
class Nowhere : public IidNormal {
 public:
  Nowhere() : IidNormal(3) {}
  double log_density(std::span<const double> x, std::span<double> g) const override;
};

/// iid normal that throws at its `fail_at`-th evaluation (a model error mid-run).
class ThrowsAfter : public IidNormal {
 public:
  explicit ThrowsAfter(long fail_at) : IidNormal(2), fail_at_(fail_at) {}
  double log_density(std::span<const double> x, std::span<double> g) const override;

 private:
  long fail_at_;
  mutable long calls_ = 0;
};

/// A posteriordb posterior: its model, reference means/sds/ESS by output name ("beta[1]").
struct Reference {
  std::string name;
  std::unique_ptr<Model> model;
  std::map<std::string, double> mean, sd, ess;
};

/// Load `<SB_TEST_DATA_DIR>/posteriordb/<name>.json` and build its model. Names:
/// arK-arK, eight_schools-eight_schools_noncentered, low_dim_gauss_mix-low_dim_gauss_mix,
/// sblrc-blr.
Reference load_reference(const std::string& name);

/// Names of the posteriordb posteriors with a model here.
std::vector<std::string> reference_names();

}  // namespace spectralbrain::stats::testing
