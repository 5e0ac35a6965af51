// A model plugin that misbehaves on request, to show that spectralbrain reports a plugin's
// failures instead of crashing. The model is a 2-D standard normal; the data file
// {"mode": M, "calls": N} picks the failure:
//   construct_fails      construction fails with a message
//   nan_everywhere       the log density is NaN everywhere
//   nan_region           NaN log density where x0 > 1
//   nan_gradient_region  finite log density but a NaN gradient where x0 > 1
//   reject_region        SB_MODEL_REJECT ("x0 > 1 is outside the support") where x0 > 1
//   error_after          an error status with a message after N evaluations
//   constrain_error      sb_model_param_constrain fails
//   bad_names            three unconstrained names for two parameters
//   ok                   behaves
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "spectralbrain/plugin/sb_model.h"

struct sb_model {
  std::string mode;
  long calls = 0;
  mutable long evaluations = 0;
};

namespace {
char* copy(const char* s) {
  char* p = static_cast<char*>(std::malloc(std::strlen(s) + 1));
  if (p) std::strcpy(p, s);
  return p;
}
}  // namespace

extern "C" {

SB_MODEL_EXPORT int sb_model_abi_version(void) { return SB_MODEL_ABI_VERSION; }

SB_MODEL_EXPORT sb_model* sb_model_construct(const char* data, unsigned int, char** error_msg) {
  std::ifstream in(data ? data : "");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("mode")) {
    *error_msg = copy("faulty: the data file needs {\"mode\": ...}");
    return nullptr;
  }
  auto m = new sb_model;
  m->mode = j["mode"].get<std::string>();
  m->calls = j.value("calls", 0L);
  if (m->mode == "construct_fails") {
    delete m;
    *error_msg = copy("faulty: construction failed on purpose");
    return nullptr;
  }
  return m;
}

SB_MODEL_EXPORT void sb_model_destruct(sb_model* m) { delete m; }
SB_MODEL_EXPORT void sb_model_free_error_msg(char* msg) { std::free(msg); }
SB_MODEL_EXPORT const char* sb_model_name(const sb_model*) { return "faulty"; }
SB_MODEL_EXPORT size_t sb_model_param_unc_num(const sb_model*) { return 2; }
SB_MODEL_EXPORT const char* sb_model_param_unc_names(const sb_model* m) {
  return m->mode == "bad_names" ? "x.1,x.2,x.3" : "x.1,x.2";
}
SB_MODEL_EXPORT size_t sb_model_param_num(const sb_model*) { return 2; }
SB_MODEL_EXPORT const char* sb_model_param_names(const sb_model*) { return "x[1],x[2]"; }

SB_MODEL_EXPORT int sb_model_log_density_gradient(const sb_model* m, const double* x, double* lp,
                                                  double* g, char** error_msg) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ++m->evaluations;
  *lp = -0.5 * (x[0] * x[0] + x[1] * x[1]);
  g[0] = -x[0];
  g[1] = -x[1];
  if (m->mode == "nan_everywhere") *lp = nan;
  if (m->mode == "nan_region" && x[0] > 1) *lp = nan;
  if (m->mode == "nan_gradient_region" && x[0] > 1) g[1] = nan;
  if (m->mode == "reject_region" && x[0] > 1) {
    *error_msg = copy("x0 > 1 is outside the support");
    return SB_MODEL_REJECT;
  }
  if (m->mode == "error_after" && m->evaluations > m->calls) {
    *error_msg = copy("simulated failure in the model");
    return SB_MODEL_ERROR;
  }
  return SB_MODEL_OK;
}

SB_MODEL_EXPORT int sb_model_param_constrain(const sb_model* m, const double* x, double* theta,
                                             char** error_msg) {
  if (m->mode == "constrain_error") {
    *error_msg = copy("cannot constrain on purpose");
    return 7;
  }
  theta[0] = x[0];
  theta[1] = x[1];
  return SB_MODEL_OK;
}

}  // extern "C"
