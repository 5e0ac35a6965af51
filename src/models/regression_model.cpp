// The regression's log density and its gradient, written out by hand: one pass over the
// observations accumulates d(log p)/dμ_i, which the chain rule sends to every parameter.
#include "spectralbrain/models/regression_model.hpp"

#include <algorithm>
#include <cmath>

#include "spectralbrain/core/error.hpp"

namespace spectralbrain::models {

using core::cat;

RegressionModel::RegressionModel(Design design, Family family, std::vector<ParameterPrior> priors)
    : design_(std::move(design)), family_(family), priors_(std::move(priors)) {
  const auto expected = default_priors(design_, family_);
  bool same = expected.size() == priors_.size();
  for (std::size_t i = 0; same && i < expected.size(); ++i)
    same = expected[i].parameter == priors_[i].parameter;
  if (!same)
    throw core::InputError("priors", "",
                           "the priors do not list this model's parameters (build them with "
                           "default_priors and apply_priors)");

  n_ = design_.n();
  n_cols_ = design_.columns.size();
  std::size_t next = 0, p = 0;
  if (design_.intercept) {
    intercept_ = next++;
    intercept_prior_ = priors_[p++].dist;
  }
  b_offset_ = next;
  means_.assign(n_cols_, 0.0);
  x_.assign(n_ * n_cols_, 0.0);
  for (std::size_t k = 0; k < n_cols_; ++k) {
    const auto& v = design_.columns[k].values;
    if (design_.intercept) {
      double s = 0;
      for (double x : v) s += x;
      means_[k] = s / static_cast<double>(n_);
    }
    for (std::size_t i = 0; i < n_; ++i) x_[i * n_cols_ + k] = v[i] - means_[k];
    b_prior_.push_back(priors_[p++].dist);
  }
  next += n_cols_;
  for (const auto& g : design_.groups) {
    Block b;
    b.n_levels = g.levels.size();
    b.n_terms = g.terms.size();
    b.sd_offset = next;
    next += b.n_terms;
    for (std::size_t t = 0; t < b.n_terms; ++t) b.sd_prior.push_back(priors_[p++].dist);
    blocks_.push_back(std::move(b));
  }
  for (auto& b : blocks_) {
    b.z_offset = next;
    next += b.n_terms * b.n_levels;
  }
  if (design_.se.empty() || design_.se_sigma) {
    sigma_ = next++;
    sigma_prior_ = priors_[p++].dist;
  }
  if (family_ == Family::student_t) {
    nu_ = next++;
    nu_prior_ = priors_[p++].dist;
  }
  n_params_ = next;
}

double RegressionModel::log_density(std::span<const double> x, std::span<double> g) const {
  std::fill(g.begin(), g.end(), 0.0);
  double lp = 0, d = 0;

  // Priors and log-Jacobians.
  const double a = intercept_ != npos ? x[intercept_] : 0.0;
  if (intercept_ != npos) {
    lp += intercept_prior_.log_density(a, d);
    g[intercept_] += d;
  }
  const double* b = x.data() + b_offset_;
  for (std::size_t k = 0; k < n_cols_; ++k) {
    lp += b_prior_[k].log_density(b[k], d);
    g[b_offset_ + k] += d;
  }
  std::vector<std::vector<double>> r(blocks_.size()), sd(blocks_.size());
  for (std::size_t j = 0; j < blocks_.size(); ++j) {
    const Block& bl = blocks_[j];
    sd[j].resize(bl.n_terms);
    r[j].resize(bl.n_terms * bl.n_levels);
    for (std::size_t t = 0; t < bl.n_terms; ++t) {
      const double u = x[bl.sd_offset + t];
      sd[j][t] = std::exp(u);
      lp += bl.sd_prior[t].log_density(sd[j][t], d) + u;
      g[bl.sd_offset + t] += d * sd[j][t] + 1;
      for (std::size_t l = 0; l < bl.n_levels; ++l) {
        const std::size_t at = t * bl.n_levels + l;
        const double z = x[bl.z_offset + at];
        lp -= 0.5 * z * z;
        g[bl.z_offset + at] -= z;
        r[j][at] = sd[j][t] * z;
      }
    }
  }
  double sigma = 0, nu = 0;
  if (sigma_ != npos) {
    sigma = std::exp(x[sigma_]);
    lp += sigma_prior_.log_density(sigma, d) + x[sigma_];
    g[sigma_] += d * sigma + 1;
  }
  double nu_const = 0, dnu_const = 0;
  if (nu_ != npos) {
    const double e = std::exp(x[nu_]);
    nu = 1 + e;
    lp += nu_prior_.log_density(nu, d) + x[nu_];
    g[nu_] += d * e + 1;
    nu_const = std::lgamma(0.5 * (nu + 1)) - std::lgamma(0.5 * nu) - 0.5 * std::log(nu);
    dnu_const = 0.5 * digamma(0.5 * (nu + 1)) - 0.5 * digamma(0.5 * nu) - 0.5 / nu;
  }

  // Likelihood: d(log p_i)/dμ_i → Intercept, b and r; d/ds_i → sigma; d/dν → nu.
  std::vector<std::vector<double>> dr(blocks_.size());
  for (std::size_t j = 0; j < blocks_.size(); ++j) dr[j].assign(r[j].size(), 0.0);
  const bool has_se = !design_.se.empty();
  double dsigma = 0, dnu = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    const double* xi = x_.data() + i * n_cols_;
    double mu = a;
    for (std::size_t k = 0; k < n_cols_; ++k) mu += xi[k] * b[k];
    for (std::size_t j = 0; j < blocks_.size(); ++j) {
      const Block& bl = blocks_[j];
      const auto& grp = design_.groups[j];
      const std::size_t level = grp.level[i];
      for (std::size_t t = 0; t < bl.n_terms; ++t)
        mu += r[j][t * bl.n_levels + level] * grp.terms[t].values[i];
    }
    double s = sigma, ds_dsigma = 1;
    if (has_se) {
      const double se = design_.se[i];
      s = design_.se_sigma ? std::sqrt(se * se + sigma * sigma) : se;
      ds_dsigma = design_.se_sigma ? sigma / s : 0;
    }
    const double res = (design_.y[i] - mu) / s;
    double dmu = 0, ds = 0;
    if (family_ == Family::gaussian) {
      lp += -std::log(s) - 0.5 * res * res;
      dmu = res / s;
      ds = (res * res - 1) / s;
    } else {
      const double q = nu + res * res;
      lp += nu_const - std::log(s) - 0.5 * (nu + 1) * std::log1p(res * res / nu);
      dmu = (nu + 1) * res / (s * q);
      ds = -1 / s + (nu + 1) * res * res / (s * q);
      dnu += dnu_const - 0.5 * std::log1p(res * res / nu) + 0.5 * (nu + 1) * res * res / (nu * q);
    }
    if (intercept_ != npos) g[intercept_] += dmu;
    for (std::size_t k = 0; k < n_cols_; ++k) g[b_offset_ + k] += dmu * xi[k];
    for (std::size_t j = 0; j < blocks_.size(); ++j) {
      const Block& bl = blocks_[j];
      const auto& grp = design_.groups[j];
      const std::size_t level = grp.level[i];
      for (std::size_t t = 0; t < bl.n_terms; ++t)
        dr[j][t * bl.n_levels + level] += dmu * grp.terms[t].values[i];
    }
    dsigma += ds * ds_dsigma;
  }

  // r = sd·z: dr → z and log sd.
  for (std::size_t j = 0; j < blocks_.size(); ++j) {
    const Block& bl = blocks_[j];
    for (std::size_t t = 0; t < bl.n_terms; ++t) {
      double dsd = 0;
      for (std::size_t l = 0; l < bl.n_levels; ++l) {
        const std::size_t at = t * bl.n_levels + l;
        g[bl.z_offset + at] += dr[j][at] * sd[j][t];
        dsd += dr[j][at] * x[bl.z_offset + at];
      }
      g[bl.sd_offset + t] += dsd * sd[j][t];
    }
  }
  if (sigma_ != npos) g[sigma_] += dsigma * sigma;
  if (nu_ != npos) g[nu_] += dnu * (nu - 1);
  return lp;
}

std::vector<std::string> RegressionModel::group_labels(std::size_t group) const {
  const auto& grp = design_.groups.at(group);
  std::vector<std::string> labels;
  for (const auto& t : grp.terms)
    for (const auto& level : grp.levels) labels.push_back(level + "," + t.name);
  return labels;
}

std::vector<std::string> RegressionModel::parameter_names() const {
  std::vector<std::string> names;
  if (intercept_ != npos) names.push_back("Intercept");
  for (const auto& c : design_.columns) names.push_back("b_" + c.name);
  for (const auto& grp : design_.groups)
    for (const auto& t : grp.terms) names.push_back(cat("log_sd_", grp.name, "__", t.name));
  for (std::size_t j = 0; j < design_.groups.size(); ++j)
    for (const auto& label : group_labels(j))
      names.push_back(cat("z_", design_.groups[j].name, "[", label, "]"));
  if (sigma_ != npos) names.push_back("log_sigma");
  if (nu_ != npos) names.push_back("log_nu_minus_1");
  return names;
}

std::vector<stats::VariableInfo> RegressionModel::output_variables() const {
  std::vector<stats::VariableInfo> out;
  auto scalar = [&](std::string name) { out.push_back({std::move(name), {}, {}}); };
  if (intercept_ != npos) scalar("b_Intercept");
  for (const auto& c : design_.columns) scalar("b_" + c.name);
  for (const auto& grp : design_.groups)
    for (const auto& t : grp.terms) scalar(cat("sd_", grp.name, "__", t.name));
  if (sigma_ != npos) scalar("sigma");
  if (nu_ != npos) scalar("nu");
  for (std::size_t j = 0; j < blocks_.size(); ++j) {
    const std::string name = "r_" + design_.groups[j].name;
    out.push_back({name, {blocks_[j].n_terms * blocks_[j].n_levels}, {name + "_dim_0"}});
  }
  return out;
}

void RegressionModel::constrain(std::span<const double> x, std::span<double> out) const {
  std::size_t o = 0;
  if (intercept_ != npos) {
    double a = x[intercept_];
    for (std::size_t k = 0; k < n_cols_; ++k) a -= means_[k] * x[b_offset_ + k];
    out[o++] = a;
  }
  for (std::size_t k = 0; k < n_cols_; ++k) out[o++] = x[b_offset_ + k];
  for (const auto& bl : blocks_)
    for (std::size_t t = 0; t < bl.n_terms; ++t) out[o++] = std::exp(x[bl.sd_offset + t]);
  if (sigma_ != npos) out[o++] = std::exp(x[sigma_]);
  if (nu_ != npos) out[o++] = 1 + std::exp(x[nu_]);
  for (const auto& bl : blocks_)
    for (std::size_t t = 0; t < bl.n_terms; ++t) {
      const double sd = std::exp(x[bl.sd_offset + t]);
      for (std::size_t l = 0; l < bl.n_levels; ++l)
        out[o++] = sd * x[bl.z_offset + t * bl.n_levels + l];
    }
}

void RegressionModel::annotate(stats::PosteriorDraws& draws) const {
  for (std::size_t j = 0; j < design_.groups.size(); ++j) {
    const std::string name = "r_" + design_.groups[j].name;
    for (auto& v : draws.posterior)
      if (v.name == name) v.coords = group_labels(j);
  }
  stats::Variable y;
  y.name = design_.response;
  y.shape = {n_};
  y.dim_names = {design_.response + "_dim_0"};
  y.values = design_.y;
  draws.observed_data.push_back(std::move(y));
}

}  // namespace spectralbrain::models
