// Loading a model plugin (dlopen/dlsym), calling it through the C ABI, and turning its
// statuses and messages into what the sampler understands.
#include "spectralbrain/models/plugin_model.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/plugin/sb_model.h"

namespace spectralbrain::models {

using core::cat;
using core::InputError;

namespace {

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();

// A name's base and 1-based indices: "beta.2" and "beta[2]" → ("beta", {2}); "m.1.3" and
// "m[1,3]" → ("m", {1, 3}); "sigma" → ("sigma", {}). Bad indices give an empty base.
std::pair<std::string, std::vector<std::size_t>> parse_indexed(const std::string& name) {
  std::vector<std::size_t> idx;
  auto number = [](const std::string& s, std::size_t& out) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), ::isdigit)) return false;
    out = std::stoul(s);
    return out >= 1;
  };
  const std::size_t bracket = name.find('[');
  if (bracket != std::string::npos) {
    if (name.back() != ']' || bracket == 0) return {"", {}};
    std::string inner = name.substr(bracket + 1, name.size() - bracket - 2);
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = inner.find(',', start);
      std::string part =
          inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
      std::size_t v = 0;
      if (!number(part, v)) return {"", {}};
      idx.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return {name.substr(0, bracket), idx};
  }
  // Stan's dotted form: trailing ".<digits>" groups are indices.
  std::string base = name;
  for (;;) {
    const std::size_t dot = base.rfind('.');
    if (dot == std::string::npos || dot == 0) break;
    std::size_t v = 0;
    if (!number(base.substr(dot + 1), v)) break;
    idx.insert(idx.begin(), v);
    base = base.substr(0, dot);
  }
  return {base, idx};
}

}  // namespace

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> out;
  if (list.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = list.find(',', start);
    // A comma inside brackets ("m[1,2]") belongs to the name.
    std::size_t end = comma;
    const std::size_t open = list.find('[', start);
    if (open != std::string::npos && (comma == std::string::npos || open < comma)) {
      const std::size_t close = list.find(']', open);
      end = close == std::string::npos ? std::string::npos : list.find(',', close);
    }
    out.push_back(list.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::vector<stats::VariableInfo> group_names(const std::vector<std::string>& names,
                                             std::vector<std::size_t>& position,
                                             const std::string& where) {
  std::vector<stats::VariableInfo> vars;
  position.assign(names.size(), 0);
  std::vector<std::string> done;
  std::size_t offset = 0;
  for (std::size_t i = 0; i < names.size();) {
    const auto [base, first] = parse_indexed(names[i]);
    if (base.empty())
      throw InputError(where, cat("parameter name '", names[i], "'"),
                       "indices must be positive integers, as in beta.1 or beta[1]");
    if (std::find(done.begin(), done.end(), base) != done.end())
      throw InputError(where, cat("parameter name '", names[i], "'"),
                       cat("the names of '", base, "' are not consecutive"));
    done.push_back(base);
    std::size_t j = i;
    std::vector<std::vector<std::size_t>> all;
    while (j < names.size()) {
      auto [b, idx] = parse_indexed(names[j]);
      if (b != base) break;
      if (idx.size() != first.size())
        throw InputError(where, cat("parameter name '", names[j], "'"),
                         cat("'", base, "' has names with different numbers of indices"));
      all.push_back(std::move(idx));
      ++j;
    }
    stats::VariableInfo v;
    v.name = base;
    for (std::size_t axis = 0; axis < first.size(); ++axis) {
      std::size_t extent = 0;
      for (const auto& idx : all) extent = std::max(extent, idx[axis]);
      v.shape.push_back(extent);
      v.dim_names.push_back(cat(base, "_dim_", axis));
    }
    if (v.size() != all.size())
      throw InputError(where, cat("parameter '", base, "'"),
                       cat(all.size(), " names do not fill its shape (", v.size(), " entries)"));
    std::vector<bool> seen(v.size(), false);
    for (std::size_t k = 0; k < all.size(); ++k) {
      std::size_t flat = 0;
      for (std::size_t axis = 0; axis < v.shape.size(); ++axis)
        flat = flat * v.shape[axis] + (all[k][axis] - 1);
      if (seen[flat])
        throw InputError(where, cat("parameter name '", names[i + k], "'"), "listed twice");
      seen[flat] = true;
      position[i + k] = offset + flat;
    }
    offset += v.size();
    vars.push_back(std::move(v));
    i = j;
  }
  return vars;
}

struct PluginModel::Impl {
  std::string library;
  void* handle = nullptr;
  sb_model* model = nullptr;
  decltype(&sb_model_abi_version) abi_version = nullptr;
  decltype(&sb_model_construct) construct = nullptr;
  decltype(&sb_model_destruct) destruct = nullptr;
  decltype(&sb_model_free_error_msg) free_error_msg = nullptr;
  decltype(&sb_model_name) name = nullptr;
  decltype(&sb_model_param_unc_num) param_unc_num = nullptr;
  decltype(&sb_model_param_unc_names) param_unc_names = nullptr;
  decltype(&sb_model_param_num) param_num = nullptr;
  decltype(&sb_model_param_names) param_names = nullptr;
  decltype(&sb_model_log_density_gradient) log_density_gradient = nullptr;
  decltype(&sb_model_param_constrain) param_constrain = nullptr;

  std::size_t n = 0, m = 0;
  std::vector<std::string> unc_names;
  std::vector<stats::VariableInfo> variables;
  std::vector<std::size_t> position;  // constrained value i → output offset
  mutable std::vector<double> theta;
  mutable PluginIssues issues;

  ~Impl() {
    if (model && destruct) destruct(model);
    if (handle) dlclose(handle);
  }

  template <class F>
  void symbol(F& f, const char* name) {
    dlerror();
    void* p = dlsym(handle, name);
    if (!p)
      throw InputError(library, "",
                       cat("is not a SpectralBrain model plugin: it does not export ", name,
                           " (see include/spectralbrain/plugin/sb_model.h)"));
    f = reinterpret_cast<F>(p);
  }

  // The plugin's message (released with its own free function), or "".
  std::string take(char* msg) const {
    if (!msg) return {};
    std::string s(msg);
    free_error_msg(msg);
    return s;
  }

  std::string names_from(const char* list, const char* what) const {
    if (!list) throw InputError(library, "", cat(what, " returned a null pointer"));
    return std::string(list);
  }
};

PluginModel::PluginModel(const std::filesystem::path& library, const std::string& data,
                         unsigned seed)
    : impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.library = library.string();
  if (!std::filesystem::exists(library)) throw InputError(p.library, "", "no such file");
  // A relative path without '/' would make dlopen search the library path instead.
  const std::string path = library.has_parent_path() ? p.library : "./" + p.library;
  p.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!p.handle) {
    const char* e = dlerror();
    throw InputError(p.library, "", cat("cannot be loaded: ", e ? e : "dlopen failed"));
  }
  p.symbol(p.abi_version, "sb_model_abi_version");
  const int version = p.abi_version();
  if (version != SB_MODEL_ABI_VERSION)
    throw InputError(p.library, "",
                     cat("was built for plugin ABI version ", version,
                         ", but this spectralbrain "
                         "speaks version ",
                         SB_MODEL_ABI_VERSION, " (rebuild the plugin)"));
  p.symbol(p.construct, "sb_model_construct");
  p.symbol(p.destruct, "sb_model_destruct");
  p.symbol(p.free_error_msg, "sb_model_free_error_msg");
  p.symbol(p.name, "sb_model_name");
  p.symbol(p.param_unc_num, "sb_model_param_unc_num");
  p.symbol(p.param_unc_names, "sb_model_param_unc_names");
  p.symbol(p.param_num, "sb_model_param_num");
  p.symbol(p.param_names, "sb_model_param_names");
  p.symbol(p.log_density_gradient, "sb_model_log_density_gradient");
  p.symbol(p.param_constrain, "sb_model_param_constrain");

  char* msg = nullptr;
  p.model = p.construct(data.c_str(), seed, &msg);
  const std::string message = p.take(msg);
  if (!p.model)
    throw InputError(p.library, data.empty() ? "" : cat("data ", data),
                     cat("the model could not be constructed",
                         message.empty() ? std::string(" (no message)") : ": " + message));

  p.n = p.param_unc_num(p.model);
  p.m = p.param_num(p.model);
  p.unc_names = split_names(p.names_from(p.param_unc_names(p.model), "sb_model_param_unc_names"));
  if (p.unc_names.size() != p.n)
    throw InputError(p.library, "sb_model_param_unc_names",
                     cat(p.unc_names.size(), " names for ", p.n, " unconstrained parameters"));
  const auto names = split_names(p.names_from(p.param_names(p.model), "sb_model_param_names"));
  if (names.size() != p.m)
    throw InputError(p.library, "sb_model_param_names",
                     cat(names.size(), " names for ", p.m, " constrained values"));
  if (p.n == 0) throw InputError(p.library, "", "the model has no parameters");
  p.variables = group_names(names, p.position, p.library);
  p.theta.resize(p.m);
}

PluginModel::~PluginModel() = default;
PluginModel::PluginModel(PluginModel&&) noexcept = default;
PluginModel& PluginModel::operator=(PluginModel&&) noexcept = default;

std::size_t PluginModel::dimension() const { return impl_->n; }

double PluginModel::log_density(std::span<const double> x, std::span<double> gradient) const {
  const Impl& p = *impl_;
  double lp = 0;
  char* msg = nullptr;
  const int status = p.log_density_gradient(p.model, x.data(), &lp, gradient.data(), &msg);
  const std::string message = p.take(msg);
  auto outside = [&] {
    std::fill(gradient.begin(), gradient.end(), 0.0);
    return minus_infinity;
  };
  if (status == SB_MODEL_OK) {
    if (lp == minus_infinity) return outside();
    const bool finite = std::isfinite(lp) && std::all_of(gradient.begin(), gradient.end(),
                                                         [](double g) { return std::isfinite(g); });
    if (finite) return lp;
    ++p.issues.non_finite;
    return outside();
  }
  if (status == SB_MODEL_REJECT) {
    if (p.issues.rejections++ == 0) p.issues.first_rejection = message;
    return outside();
  }
  throw core::ComputationError(
      cat("model plugin ", p.library, ": sb_model_log_density_gradient ", "returned error status ",
          status, message.empty() ? std::string(" (no message)") : ": " + message));
}

std::vector<std::string> PluginModel::parameter_names() const { return impl_->unc_names; }

std::vector<stats::VariableInfo> PluginModel::output_variables() const { return impl_->variables; }

void PluginModel::constrain(std::span<const double> x, std::span<double> out) const {
  const Impl& p = *impl_;
  char* msg = nullptr;
  const int status = p.param_constrain(p.model, x.data(), p.theta.data(), &msg);
  const std::string message = p.take(msg);
  if (status != SB_MODEL_OK)
    throw core::ComputationError(
        cat("model plugin ", p.library, ": sb_model_param_constrain ", "returned error status ",
            status, message.empty() ? std::string(" (no message)") : ": " + message));
  for (std::size_t i = 0; i < p.m; ++i) out[p.position[i]] = p.theta[i];
}

std::string PluginModel::name() const {
  const char* n = impl_->name(impl_->model);
  return n ? n : "";
}

const PluginIssues& PluginModel::issues() const { return impl_->issues; }

}  // namespace spectralbrain::models
