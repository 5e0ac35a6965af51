// The test models and their hand-written gradients.
#include "test_models.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>

namespace spectralbrain::stats::testing {

VariableInfo scalar(const std::string& name) { return {name, {}, {}}; }
VariableInfo vector(const std::string& name, std::size_t n) {
  return {name, {n}, {name + "_dim_0"}};
}

namespace {

// log N(x | m, s) without the constant, and its derivatives in x (dx), m (= -dx), s (ds).
struct Normal {
  double lp, dx, ds;
};
Normal normal(double x, double m, double s) {
  const double r = (x - m) / s;
  return {-0.5 * r * r - std::log(s), -r / s, (r * r - 1) / s};
}
// log Cauchy(x | 0, s) without the constant, and d/dx.
std::pair<double, double> cauchy(double x, double s) {
  return {-std::log1p((x / s) * (x / s)), -2 * x / (s * s + x * x)};
}
double log_inv_logit(double u) { return -std::log1p(std::exp(-u)); }

}  // namespace

// ---- Gaussians and conjugate models ----

double IidNormal::log_density(std::span<const double> x, std::span<double> g) const {
  double lp = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    lp -= 0.5 * x[i] * x[i];
    g[i] = -x[i];
  }
  return lp;
}
std::vector<std::string> IidNormal::parameter_names() const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n_; ++i) names.push_back("x[" + std::to_string(i + 1) + "]");
  return names;
}
void IidNormal::constrain(std::span<const double> x, std::span<double> out) const {
  std::copy(x.begin(), x.end(), out.begin());
}

double CorrelatedNormal::log_density(std::span<const double> x, std::span<double> g) const {
  // Σ⁻¹ = [I − ρ/(1+(n−1)ρ) 11ᵀ] / (1−ρ)
  double sum = 0;
  for (double v : x) sum += v;
  const double c = rho_ / (1 + (static_cast<double>(n_) - 1) * rho_);
  double lp = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    g[i] = -(x[i] - c * sum) / (1 - rho_);
    lp += 0.5 * x[i] * g[i];
  }
  return lp;
}

double NormalMean::log_density(std::span<const double> x, std::span<double> g) const {
  const Normal prior = normal(x[0], 1.0, 3.0);
  double lp = prior.lp, d = prior.dx;
  for (double y : y_) {
    const Normal l = normal(y, x[0], 2.0);
    lp += l.lp;
    d -= l.dx;
  }
  g[0] = d;
  return lp;
}
void NormalMean::constrain(std::span<const double> x, std::span<double> out) const {
  out[0] = x[0];
}
double NormalMean::posterior_mean() const {
  double sum = 0;
  for (double y : y_) sum += y;
  return (1.0 / 9 + sum / 4) / (1.0 / 9 + static_cast<double>(y_.size()) / 4);
}
double NormalMean::posterior_sd() const {
  return 1 / std::sqrt(1.0 / 9 + static_cast<double>(y_.size()) / 4);
}

double BetaBinomial::log_density(std::span<const double> x, std::span<double> g) const {
  // With the Jacobian θ(1−θ) the density of u is θ^(a') (1−θ)^(b') for posterior (a', b').
  const double theta = 1 / (1 + std::exp(-x[0]));
  g[0] = a_ * (1 - theta) - b_ * theta;
  return a_ * log_inv_logit(x[0]) + b_ * log_inv_logit(-x[0]);
}
void BetaBinomial::constrain(std::span<const double> x, std::span<double> out) const {
  out[0] = 1 / (1 + std::exp(-x[0]));
}
double BetaBinomial::posterior_sd() const {
  const double s = a_ + b_;
  return std::sqrt(a_ * b_ / (s * s * (s + 1)));
}

double Nowhere::log_density(std::span<const double>, std::span<double> g) const {
  std::fill(g.begin(), g.end(), 0.0);
  return -std::numeric_limits<double>::infinity();
}

double ThrowsAfter::log_density(std::span<const double> x, std::span<double> g) const {
  if (++calls_ >= fail_at_) throw std::runtime_error("test model failure");
  return IidNormal::log_density(x, g);
}

// ---- posteriordb ----

namespace {

using nlohmann::json;

std::vector<std::string> indexed(const std::string& name, std::size_t n) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(name + "[" + std::to_string(i + 1) + "]");
  return v;
}

// arK: y_t ~ N(α + Σ_k β_k y_{t−k}, σ), α, β ~ N(0, 10), σ ~ half-Cauchy(0, 2.5).
// Parameters: α, β[1..K], u = log σ.
class ArK : public Model {
 public:
  explicit ArK(const json& d) : K_(d["K"]), y_(d["y"].get<std::vector<double>>()) {}
  std::size_t dimension() const override { return K_ + 2; }
  double log_density(std::span<const double> x, std::span<double> g) const override {
    const double alpha = x[0], sigma = std::exp(x[K_ + 1]);
    std::fill(g.begin(), g.end(), 0.0);
    double lp = 0, dsigma = 0;
    Normal n = normal(alpha, 0, 10);
    lp += n.lp;
    g[0] += n.dx;
    for (std::size_t k = 0; k < K_; ++k) {
      n = normal(x[1 + k], 0, 10);
      lp += n.lp;
      g[1 + k] += n.dx;
    }
    const auto [lc, dc] = cauchy(sigma, 2.5);
    lp += lc;
    dsigma += dc;
    for (std::size_t t = K_; t < y_.size(); ++t) {
      double mu = alpha;
      for (std::size_t k = 0; k < K_; ++k) mu += x[1 + k] * y_[t - k - 1];
      n = normal(y_[t], mu, sigma);
      lp += n.lp;
      dsigma += n.ds;
      g[0] -= n.dx;
      for (std::size_t k = 0; k < K_; ++k) g[1 + k] -= n.dx * y_[t - k - 1];
    }
    g[K_ + 1] = dsigma * sigma + 1;
    return lp + x[K_ + 1];
  }
  std::vector<std::string> parameter_names() const override {
    auto v = indexed("beta", K_);
    v.insert(v.begin(), "alpha");
    v.push_back("log_sigma");
    return v;
  }
  std::vector<VariableInfo> output_variables() const override {
    return {scalar("alpha"), vector("beta", K_), scalar("sigma")};
  }
  void constrain(std::span<const double> x, std::span<double> out) const override {
    std::copy(x.begin(), x.begin() + K_ + 1, out.begin());
    out[K_ + 1] = std::exp(x[K_ + 1]);
  }

 private:
  std::size_t K_;
  std::vector<double> y_;
};

// Eight schools, non-centred: θ̃_j ~ N(0,1), y_j ~ N(μ + τθ̃_j, σ_j), μ ~ N(0,5),
// τ ~ half-Cauchy(0,5). Parameters: θ̃[1..J], μ, u = log τ. Output θ = μ + τθ̃, μ, τ.
class EightSchools : public Model {
 public:
  explicit EightSchools(const json& d)
      : y_(d["y"].get<std::vector<double>>()), sigma_(d["sigma"].get<std::vector<double>>()) {}
  std::size_t dimension() const override { return y_.size() + 2; }
  double log_density(std::span<const double> x, std::span<double> g) const override {
    const std::size_t J = y_.size();
    const double mu = x[J], tau = std::exp(x[J + 1]);
    double lp = 0, dmu = 0, dtau = 0;
    for (std::size_t j = 0; j < J; ++j) {
      const Normal prior = normal(x[j], 0, 1);
      const Normal like = normal(y_[j], mu + tau * x[j], sigma_[j]);
      lp += prior.lp + like.lp;
      g[j] = prior.dx - like.dx * tau;
      dmu -= like.dx;
      dtau -= like.dx * x[j];
    }
    const Normal pm = normal(mu, 0, 5);
    const auto [lc, dc] = cauchy(tau, 5);
    g[J] = dmu + pm.dx;
    g[J + 1] = (dtau + dc) * tau + 1;
    return lp + pm.lp + lc + x[J + 1];
  }
  std::vector<std::string> parameter_names() const override {
    auto v = indexed("theta_trans", y_.size());
    v.push_back("mu");
    v.push_back("log_tau");
    return v;
  }
  std::vector<VariableInfo> output_variables() const override {
    return {vector("theta", y_.size()), scalar("mu"), scalar("tau")};
  }
  void constrain(std::span<const double> x, std::span<double> out) const override {
    const std::size_t J = y_.size();
    const double tau = std::exp(x[J + 1]);
    for (std::size_t j = 0; j < J; ++j) out[j] = x[J] + tau * x[j];
    out[J] = x[J];
    out[J + 1] = tau;
  }

 private:
  std::vector<double> y_, sigma_;
};

// Two-component normal mixture with ordered means. Parameters: v1, v2 (μ₁ = v1,
// μ₂ = v1 + e^{v2}), u1, u2 (σ_k = e^{u_k}), w (θ = logistic(w)).
class GaussMix : public Model {
 public:
  explicit GaussMix(const json& d) : y_(d["y"].get<std::vector<double>>()) {}
  std::size_t dimension() const override { return 5; }
  double log_density(std::span<const double> x, std::span<double> g) const override {
    const double mu1 = x[0], mu2 = x[0] + std::exp(x[1]);
    const double s1 = std::exp(x[2]), s2 = std::exp(x[3]);
    const double log_t = log_inv_logit(x[4]), log_1mt = log_inv_logit(-x[4]);
    const double theta = std::exp(log_t);
    double lp = 0, dmu1 = 0, dmu2 = 0, ds1 = 0, ds2 = 0, dtheta = 0;
    for (double y : y_) {
      const Normal a = normal(y, mu1, s1), b = normal(y, mu2, s2);
      const double la = log_t + a.lp, lb = log_1mt + b.lp;
      const double m = std::max(la, lb);
      const double l = m + std::log(std::exp(la - m) + std::exp(lb - m));
      const double r1 = std::exp(la - l), r2 = std::exp(lb - l);
      lp += l;
      dmu1 -= r1 * a.dx;
      dmu2 -= r2 * b.dx;
      ds1 += r1 * a.ds;
      ds2 += r2 * b.ds;
      dtheta += r1 / theta - r2 / (1 - theta);
    }
    // Priors: σ_k ~ N(0, 2) (half), μ_k ~ N(0, 2), θ ~ Beta(5, 5).
    const Normal ps1 = normal(s1, 0, 2), ps2 = normal(s2, 0, 2);
    const Normal pm1 = normal(mu1, 0, 2), pm2 = normal(mu2, 0, 2);
    lp += ps1.lp + ps2.lp + pm1.lp + pm2.lp + 4 * log_t + 4 * log_1mt;
    dmu1 += pm1.dx;
    dmu2 += pm2.dx;
    ds1 += ps1.dx;
    ds2 += ps2.dx;
    dtheta += 4 / theta - 4 / (1 - theta);
    // Jacobians: e^{v2}, σ₁, σ₂, θ(1−θ).
    lp += x[1] + x[2] + x[3] + log_t + log_1mt;
    g[0] = dmu1 + dmu2;
    g[1] = dmu2 * std::exp(x[1]) + 1;
    g[2] = ds1 * s1 + 1;
    g[3] = ds2 * s2 + 1;
    g[4] = dtheta * theta * (1 - theta) + 1 - 2 * theta;
    return lp;
  }
  std::vector<std::string> parameter_names() const override {
    return {"mu1", "log_mu_gap", "log_sigma1", "log_sigma2", "logit_theta"};
  }
  std::vector<VariableInfo> output_variables() const override {
    return {vector("mu", 2), vector("sigma", 2), scalar("theta")};
  }
  void constrain(std::span<const double> x, std::span<double> out) const override {
    out[0] = x[0];
    out[1] = x[0] + std::exp(x[1]);
    out[2] = std::exp(x[2]);
    out[3] = std::exp(x[3]);
    out[4] = 1 / (1 + std::exp(-x[4]));
  }

 private:
  std::vector<double> y_;
};

// Bayesian linear regression: y ~ N(Xβ, σ), β ~ N(0, 10), σ ~ half-N(0, 10).
// Parameters: β[1..D], u = log σ.
class Blr : public Model {
 public:
  explicit Blr(const json& d) : D_(d["D"]), y_(d["y"].get<std::vector<double>>()) {
    for (const auto& row : d["X"])
      for (double v : row) X_.push_back(v);
  }
  std::size_t dimension() const override { return D_ + 1; }
  double log_density(std::span<const double> x, std::span<double> g) const override {
    const double sigma = std::exp(x[D_]);
    double lp = 0, dsigma = 0;
    for (std::size_t d = 0; d < D_; ++d) {
      const Normal p = normal(x[d], 0, 10);
      lp += p.lp;
      g[d] = p.dx;
    }
    const Normal ps = normal(sigma, 0, 10);
    lp += ps.lp;
    dsigma += ps.dx;
    for (std::size_t i = 0; i < y_.size(); ++i) {
      double mu = 0;
      for (std::size_t d = 0; d < D_; ++d) mu += X_[i * D_ + d] * x[d];
      const Normal l = normal(y_[i], mu, sigma);
      lp += l.lp;
      dsigma += l.ds;
      for (std::size_t d = 0; d < D_; ++d) g[d] -= l.dx * X_[i * D_ + d];
    }
    g[D_] = dsigma * sigma + 1;
    return lp + x[D_];
  }
  std::vector<std::string> parameter_names() const override {
    auto v = indexed("beta", D_);
    v.push_back("log_sigma");
    return v;
  }
  std::vector<VariableInfo> output_variables() const override {
    return {vector("beta", D_), scalar("sigma")};
  }
  void constrain(std::span<const double> x, std::span<double> out) const override {
    std::copy(x.begin(), x.begin() + D_, out.begin());
    out[D_] = std::exp(x[D_]);
  }

 private:
  std::size_t D_;
  std::vector<double> y_, X_;
};

}  // namespace

std::vector<std::string> reference_names() {
  return {"arK-arK", "eight_schools-eight_schools_noncentered",
          "low_dim_gauss_mix-low_dim_gauss_mix", "sblrc-blr"};
}

Reference load_reference(const std::string& name) {
  const std::string path = std::string(SB_TEST_DATA_DIR) + "/posteriordb/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  const json j = json::parse(in);
  Reference r;
  r.name = name;
  const json& d = j["data"];
  if (name == "arK-arK")
    r.model = std::make_unique<ArK>(d);
  else if (name == "eight_schools-eight_schools_noncentered")
    r.model = std::make_unique<EightSchools>(d);
  else if (name == "low_dim_gauss_mix-low_dim_gauss_mix")
    r.model = std::make_unique<GaussMix>(d);
  else if (name == "sblrc-blr")
    r.model = std::make_unique<Blr>(d);
  else
    throw std::runtime_error("no model for " + name);
  for (const auto& [var, stats] : j["reference"].items()) {
    r.mean[var] = stats["mean"];
    r.sd[var] = stats["sd"];
  }
  for (const auto& [var, ess] : j["reference_ess_bulk"].items()) r.ess[var] = ess;
  return r;
}

}  // namespace spectralbrain::stats::testing
