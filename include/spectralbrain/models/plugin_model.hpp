// PluginModel: a stats::Model whose log density lives in a shared library that exports the
// C ABI of spectralbrain/plugin/sb_model.h (loaded with dlopen).
//
// The library's failures never crash the sampler: a missing symbol or a failed construction
// is an InputError naming the library; SB_MODEL_REJECT and non-finite results count as
// "outside the support" (log density -infinity) and are reported by issues(); any other
// status is a ComputationError carrying the plugin's message, which the sampler passes to
// every rank.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "spectralbrain/stats/model.hpp"

namespace spectralbrain::models {

/// What a plugin did that the user should hear about after a run.
struct PluginIssues {
  long rejections = 0;          ///< SB_MODEL_REJECT returned by the log density
  long non_finite = 0;          ///< NaN/+inf log density or a non-finite gradient entry
  std::string first_rejection;  ///< the first rejection's message (may be empty)
};

/// A model plugin instance (library handle + model instance), move-only.
class PluginModel : public stats::Model {
 public:
  /// Load `library` and construct its model from `data` (a JSON file path, or "").
  /// @throws core::InputError naming the library if it cannot be loaded, lacks a symbol,
  ///         has another ABI version, fails to construct (with its message), or reports
  ///         names that do not match its counts or cannot be grouped into variables
  PluginModel(const std::filesystem::path& library, const std::string& data, unsigned seed);
  /// Destroys the model instance (sb_model_destruct), then unloads the library.
  ~PluginModel() override;
  PluginModel(const PluginModel&) = delete;
  PluginModel& operator=(const PluginModel&) = delete;
  /// Moves the library handle and instance; the moved-from object holds nothing.
  PluginModel(PluginModel&&) noexcept;
  /// Releases this object's instance and library, then takes `other`'s.
  PluginModel& operator=(PluginModel&& other) noexcept;

  /// Number of unconstrained parameters (sb_model_param_unc_num).
  std::size_t dimension() const override;
  /// sb_model_log_density_gradient at `x`; -infinity for a rejection or a non-finite
  /// result (counted in issues()).
  /// @throws core::ComputationError for an error status, with the plugin's message
  double log_density(std::span<const double> x, std::span<double> gradient) const override;
  /// The plugin's unconstrained names (sb_model_param_unc_names).
  std::vector<std::string> parameter_names() const override;
  /// Variables grouped from sb_model_param_names ("beta.1,beta.2" → beta, shape {2}).
  std::vector<stats::VariableInfo> output_variables() const override;
  /// sb_model_param_constrain, reordered into the variables' row-major layout.
  /// @throws core::ComputationError for an error status, with the plugin's message
  void constrain(std::span<const double> x, std::span<double> out) const override;

  /// The model's name (sb_model_name).
  std::string name() const;
  /// Rejections and non-finite values seen so far by this instance.
  const PluginIssues& issues() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A name list as the plugin ABI writes it, split at commas ("a,b.1" → {"a", "b.1"}).
std::vector<std::string> split_names(const std::string& list);

/// Group Stan-style names into variables: "beta.1", "beta[2]", "m.1.2" → base and 1-based
/// indices; consecutive names with one base form a variable whose shape is the largest
/// index per axis. `position[i]` receives the row-major offset of name i in the output.
/// @throws core::InputError (file `where`) if a base appears twice apart, indices are not
///         positive integers, axes differ in number, or the indices do not fill the shape
std::vector<stats::VariableInfo> group_names(const std::vector<std::string>& names,
                                             std::vector<std::size_t>& position,
                                             const std::string& where);

}  // namespace spectralbrain::models
