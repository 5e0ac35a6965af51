// A model plugin written against the C ABI of spectralbrain/plugin/sb_model.h: posteriordb's
// arK (an autoregressive model of order K), with a hand-written gradient.
//
//   alpha ~ N(0, 10), beta_k ~ N(0, 10), sigma ~ half-Cauchy(0, 2.5),
//   y_t ~ N(alpha + Σ_k beta_k y_{t−k}, sigma), t = K+1..T.
// Unconstrained: alpha, beta.1..beta.K, log_sigma (sigma = e^u, log-Jacobian u).
// Data: a JSON file with K, T, y, at the top level or under "data" (posteriordb's layout).
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spectralbrain/plugin/sb_model.h"

struct sb_model {
  std::size_t K = 0;
  std::vector<double> y;
  std::string unc_names, names;
};

namespace {

char* copy(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

}  // namespace

extern "C" {

SB_MODEL_EXPORT int sb_model_abi_version(void) { return SB_MODEL_ABI_VERSION; }

SB_MODEL_EXPORT sb_model* sb_model_construct(const char* data, unsigned int, char** error_msg) {
  try {
    std::ifstream in(data ? data : "");
    if (!in)
      throw std::runtime_error(std::string("cannot open the data file '") + (data ? data : "") +
                               "'");
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.contains("data")) j = j["data"];
    auto m = new sb_model;
    m->K = j.at("K").get<std::size_t>();
    m->y = j.at("y").get<std::vector<double>>();
    if (m->y.size() != j.at("T").get<std::size_t>() || m->K >= m->y.size()) {
      delete m;
      throw std::runtime_error("T must be the length of y and larger than K");
    }
    m->unc_names = m->names = "alpha";
    for (std::size_t k = 1; k <= m->K; ++k) {
      m->unc_names += ",beta." + std::to_string(k);
      m->names += ",beta." + std::to_string(k);
    }
    m->unc_names += ",log_sigma";
    m->names += ",sigma";
    return m;
  } catch (const std::exception& e) {
    if (error_msg) *error_msg = copy(std::string("arK: ") + e.what());
    return nullptr;
  }
}

SB_MODEL_EXPORT void sb_model_destruct(sb_model* m) { delete m; }
SB_MODEL_EXPORT void sb_model_free_error_msg(char* msg) { std::free(msg); }
SB_MODEL_EXPORT const char* sb_model_name(const sb_model*) { return "arK"; }
SB_MODEL_EXPORT size_t sb_model_param_unc_num(const sb_model* m) { return m->K + 2; }
SB_MODEL_EXPORT const char* sb_model_param_unc_names(const sb_model* m) {
  return m->unc_names.c_str();
}
SB_MODEL_EXPORT size_t sb_model_param_num(const sb_model* m) { return m->K + 2; }
SB_MODEL_EXPORT const char* sb_model_param_names(const sb_model* m) { return m->names.c_str(); }

SB_MODEL_EXPORT int sb_model_log_density_gradient(const sb_model* m, const double* x, double* lp,
                                                  double* g, char**) {
  const std::size_t K = m->K;
  const double alpha = x[0], u = x[K + 1], sigma = std::exp(u);
  // Priors (constants dropped) and the log-Jacobian of sigma = e^u.
  double l = -0.5 * alpha * alpha / 100 + u - std::log1p(sigma * sigma / 6.25);
  g[0] = -alpha / 100;
  for (std::size_t k = 1; k <= K; ++k) {
    l -= 0.5 * x[k] * x[k] / 100;
    g[k] = -x[k] / 100;
  }
  double dsigma = -2 * sigma / (6.25 + sigma * sigma);
  for (std::size_t t = K; t < m->y.size(); ++t) {
    double mu = alpha;
    for (std::size_t k = 1; k <= K; ++k) mu += x[k] * m->y[t - k];
    const double r = (m->y[t] - mu) / sigma;
    l += -u - 0.5 * r * r;
    g[0] += r / sigma;
    for (std::size_t k = 1; k <= K; ++k) g[k] += r / sigma * m->y[t - k];
    dsigma += (r * r - 1) / sigma;
  }
  g[K + 1] = dsigma * sigma + 1;
  *lp = l;
  return SB_MODEL_OK;
}

SB_MODEL_EXPORT int sb_model_param_constrain(const sb_model* m, const double* x, double* theta,
                                             char**) {
  for (std::size_t i = 0; i <= m->K; ++i) theta[i] = x[i];
  theta[m->K + 1] = std::exp(x[m->K + 1]);
  return SB_MODEL_OK;
}

}  // extern "C"
