/* sb_model.h: the C ABI of a SpectralBrain model plugin.
 *
 * A plugin is a shared library (model.so) that exports the functions below with C linkage.
 * `spectralbrain sample --model-lib model.so --data data.json` loads it on every MPI rank,
 * constructs one model per rank from the data file, and samples its log density with NUTS.
 * The functions mirror BridgeStan's C API (bs_model_construct, bs_param_unc_num,
 * bs_log_density_gradient with propto = jacobian = true, bs_param_constrain without
 * transformed parameters and generated quantities), so a compiled Stan model is wrapped by
 * forwarding each call; they are not BridgeStan's symbols (a plugin may link BridgeStan).
 *
 * Conventions
 *  - Unconstrained scale: the log density is of the unconstrained parameters θ_unc ∈ R^n,
 *    including the log-Jacobian of every constraining transform; constants may be dropped.
 *  - Names: comma-separated, without spaces, 1-based indices in Stan's style, e.g.
 *    "alpha,beta.1,beta.2,sigma" or "alpha,beta[1],beta[2],sigma" ("m.2.3" or "m[2,3]" for a
 *    matrix entry). Names with the same base must be consecutive; they form one output
 *    variable whose shape is the largest index on each axis, and each value goes where its
 *    indices say (so Stan's column-major listing is fine).
 *  - Errors: a function that can fail returns an int status and, on failure, may set
 *    *error_msg to a message allocated by the plugin, which the caller releases with
 *    sb_model_free_error_msg. Status SB_MODEL_OK: success. SB_MODEL_REJECT: the point is
 *    outside the support (Stan's "reject"/domain error): the sampler treats it as log
 *    density -infinity and goes on; the message is counted and reported at the end.
 *    Anything else: a real error; sampling stops on every rank with the plugin's message.
 *    A log density or gradient that is NaN or infinite (other than -infinity) is treated as
 *    outside the support and counted. Functions must not throw C++ exceptions or call
 *    exit(); a crash (segmentation fault) in a plugin cannot be caught.
 *  - Threads: one model instance is used by one thread at a time; a library may hold
 *    several instances.
 */
#ifndef SPECTRALBRAIN_PLUGIN_SB_MODEL_H
#define SPECTRALBRAIN_PLUGIN_SB_MODEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this ABI; a plugin returns it from sb_model_abi_version(). */
#define SB_MODEL_ABI_VERSION 1

/** Status codes. */
#define SB_MODEL_OK 0
#define SB_MODEL_REJECT 1
#define SB_MODEL_ERROR (-1)

/** Mark a plugin's exported functions (visible even with -fvisibility=hidden). */
#if defined(_WIN32)
#define SB_MODEL_EXPORT __declspec(dllexport)
#else
#define SB_MODEL_EXPORT __attribute__((visibility("default")))
#endif

/** The plugin's model instance (opaque to SpectralBrain). */
typedef struct sb_model sb_model;

/** @return SB_MODEL_ABI_VERSION as the plugin was compiled. Checked before anything else. */
SB_MODEL_EXPORT int sb_model_abi_version(void);

/** Construct a model instance.
 * @param data       path of a JSON data file (as given to --data), or "" for none
 * @param seed       the run's seed (for a model that draws random numbers while building)
 * @param error_msg  on failure, may be set to a message (free with sb_model_free_error_msg)
 * @return the instance, or NULL on failure */
SB_MODEL_EXPORT sb_model* sb_model_construct(const char* data, unsigned int seed, char** error_msg);

/** Destroy an instance made by sb_model_construct (NULL is allowed). */
SB_MODEL_EXPORT void sb_model_destruct(sb_model* model);

/** Release a message that the plugin put in *error_msg (NULL is allowed). */
SB_MODEL_EXPORT void sb_model_free_error_msg(char* error_msg);

/** @return the model's name (owned by the instance), e.g. "arK". */
SB_MODEL_EXPORT const char* sb_model_name(const sb_model* model);

/** @return n, the number of unconstrained parameters. */
SB_MODEL_EXPORT size_t sb_model_param_unc_num(const sb_model* model);

/** @return the n comma-separated names of the unconstrained parameters (owned by the
 * instance), e.g. "alpha,beta.1,beta.2,log_sigma". */
SB_MODEL_EXPORT const char* sb_model_param_unc_names(const sb_model* model);

/** @return m, the number of constrained output values per draw. */
SB_MODEL_EXPORT size_t sb_model_param_num(const sb_model* model);

/** @return the m comma-separated names of the constrained values (owned by the instance),
 * e.g. "alpha,beta.1,beta.2,sigma"; these name the posterior variables. */
SB_MODEL_EXPORT const char* sb_model_param_names(const sb_model* model);

/** Log density and gradient at an unconstrained point.
 * @param theta_unc  n unconstrained values
 * @param lp         receives the log density (Jacobian included)
 * @param grad       receives the n partial derivatives
 * @param error_msg  on a status other than SB_MODEL_OK, may be set to a message
 * @return SB_MODEL_OK, SB_MODEL_REJECT (outside the support) or another value (error) */
SB_MODEL_EXPORT int sb_model_log_density_gradient(const sb_model* model, const double* theta_unc,
                                                  double* lp, double* grad, char** error_msg);

/** Map an unconstrained point to the constrained output values.
 * @param theta_unc  n unconstrained values
 * @param theta      receives the m constrained values, in sb_model_param_names order
 * @param error_msg  on failure, may be set to a message
 * @return SB_MODEL_OK, or another value (error) */
SB_MODEL_EXPORT int sb_model_param_constrain(const sb_model* model, const double* theta_unc,
                                             double* theta, char** error_msg);

#ifdef __cplusplus
}
#endif

#endif /* SPECTRALBRAIN_PLUGIN_SB_MODEL_H */
