// The MPI sampler: initialise chains, warm up, draw, agree on failure, gather on rank 0.
#include "spectralbrain/stats/sampler.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "progress.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"

namespace spectralbrain::stats {

using core::cat;

std::vector<std::string> sample_stat_names() {
  return {"lp",      "acceptance_rate", "step_size", "tree_depth",
          "n_steps", "diverging",       "energy",    "energy_error"};
}

namespace {

constexpr std::size_t kStats = 8;  // per draw, in sample_stat_names() order

void check_config(const SamplerConfig& c) {
  auto bad = [](const char* option, const std::string& problem) {
    throw core::InputError(option, "", problem);
  };
  if (c.draws < 1) bad("--draws", "must be at least 1");
  if (!(c.target_accept > 0 && c.target_accept < 1))
    bad("--target-accept", cat("must be in (0, 1), got ", c.target_accept));
  if (c.max_treedepth < 1 || c.max_treedepth > 30)
    bad("max_treedepth", cat("must be in [1, 30], got ", c.max_treedepth));
  if (!(c.max_energy_error > 0)) bad("max_energy_error", "must be positive");
  if (!(c.initial_step_size > 0 && std::isfinite(c.initial_step_size)))
    bad("initial_step_size", "must be positive and finite");
  if (c.init_tries < 1) bad("init_tries", "must be at least 1");
  if (!(c.init_radius > 0 && std::isfinite(c.init_radius)))
    bad("init_radius", "must be positive and finite");
}

// Every rank passes its error ("" = none); if any rank has one, every rank throws the
// error of the lowest such rank, so all stop with the same message and none waits.
void agree_on_failure(MPI_Comm comm, const std::string& local_error, const char* stage) {
  const int size = core::size(comm);
  const int me = local_error.empty() ? size : core::rank(comm);
  int first = size;
  SB_MPI(MPI_Allreduce(&me, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) return;
  int length = static_cast<int>(local_error.size());
  SB_MPI(MPI_Bcast(&length, 1, MPI_INT, first, comm));
  std::string message = local_error;
  message.resize(static_cast<std::size_t>(length));
  SB_MPI(MPI_Bcast(message.data(), length, MPI_CHAR, first, comm));
  throw core::ComputationError(
      cat("sampling stopped during ", stage, " (rank ", first, "): ", message));
}

// The first of `tries` points U(-r, r)^n with finite log density and gradient, drawn from
// the chain's own generator; false if none.
bool initialise(Density& density, const SamplerConfig& config, Rng& rng, PhasePoint& z) {
  for (int t = 0; t < config.init_tries; ++t) {
    for (double& q : z.q) q = config.init_radius * (2 * uniform01(rng) - 1);
    density.evaluate(z);
    if (std::isfinite(z.lp) &&
        std::all_of(z.grad.begin(), z.grad.end(), [](double g) { return std::isfinite(g); }))
      return true;
  }
  return false;
}

struct LocalChain {
  std::size_t chain = 0;
  PhasePoint z0;
  Rng rng;
  long n_gradients_init = 0;
  double seconds_init = 0;
  std::vector<double> record;   // n_draws x (n_out + kStats)
  std::vector<double> summary;  // see pack_summary
};

// Summary as doubles: step size, grads warm-up, grads sampling, seconds warm-up, seconds
// sampling, inverse metric (n), initial point (n).
constexpr std::size_t kSummaryFixed = 5;

bool redraw_progress(const SamplerConfig& c) {
  switch (c.progress_style) {
    case ProgressStyle::lines:
      return false;
    case ProgressStyle::redraw:
      return true;
    case ProgressStyle::automatic:
      break;
  }
  return c.progress_stream == nullptr && isatty(fileno(stdout)) &&
         std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Sampler::Sampler(std::string name, SamplerConfig config)
    : name_(std::move(name)), config_(std::move(config)) {
  check_config(config_);
}

std::unique_ptr<Adaptation> Sampler::make_adaptation() const {
  if (name_ == "nutpie") {
    NutpieAdaptationOptions o = config_.nutpie;
    o.dual_averaging.target_accept = config_.target_accept;
    return std::make_unique<NutpieAdaptation>(config_.tune, o);
  }
  StanAdaptationOptions o = config_.stan;
  o.dual_averaging.target_accept = config_.target_accept;
  return std::make_unique<StanAdaptation>(config_.tune, o);
}

std::unique_ptr<Sampler> make_sampler(std::string_view name, const SamplerConfig& config) {
  if (name != "nuts" && name != "nutpie")
    throw core::InputError("--sampler", "",
                           cat("unknown sampler '", name, "': expected nuts or nutpie"));
  return std::make_unique<Sampler>(std::string(name), config);
}

SampleResult Sampler::sample(const Model& model, MPI_Comm comm_in) const {
  const SamplerConfig& cfg = config_;
  core::Comm own = core::Comm::duplicate(comm_in);
  MPI_Comm comm = own.get();
  const int size = core::size(comm), rank = core::rank(comm);
  const std::size_t n_chains = cfg.chains ? cfg.chains : static_cast<std::size_t>(size);
  const std::size_t n = model.dimension();
  const auto variables = model.output_variables();
  const std::size_t n_out = output_size(model);
  const std::size_t width = n_out + kStats;
  if (n == 0) throw core::InputError("model", "", "has no parameters");

  std::vector<LocalChain> local;
  for (std::size_t c = static_cast<std::size_t>(rank); c < n_chains;
       c += static_cast<std::size_t>(size))
    local.push_back({c, PhasePoint(n), make_chain_rng(cfg.seed, c), 0, 0, {}, {}});

  // Initialisation, agreed on by all ranks before anyone samples.
  std::string error;
  int n_failed = 0;
  try {
    for (LocalChain& lc : local) {
      const auto t0 = std::chrono::steady_clock::now();
      Density density(model);
      if (!initialise(density, cfg, lc.rng, lc.z0)) {
        if (error.empty())
          error =
              cat("chain ", lc.chain, " could not be initialised: the log density or its ",
                  "gradient was not finite at any of ", cfg.init_tries, " points drawn from U(-",
                  cfg.init_radius, ", ", cfg.init_radius, ") on the unconstrained scale");
        ++n_failed;
      }
      lc.n_gradients_init = density.n_evaluations();
      lc.seconds_init = seconds_since(t0);
    }
  } catch (const std::exception& e) {
    error = cat("the model threw during initialisation: ", e.what());
  }
  int total_failed = 0;
  SB_MPI(MPI_Allreduce(&n_failed, &total_failed, 1, MPI_INT, MPI_SUM, comm));
  if (!error.empty() && total_failed > 1)
    error += cat(" (", total_failed, " of ", n_chains, " chains failed)");
  agree_on_failure(comm, error, "initialisation");

  // Warm-up and draws, chain after chain.
  detail::Progress progress(comm, cfg.progress, cfg.progress_stream, redraw_progress(cfg), n_chains,
                            cfg.tune, cfg.draws);
  std::vector<std::size_t> local_ids;
  for (const LocalChain& lc : local) local_ids.push_back(lc.chain);
  try {
    for (LocalChain& lc : local) {
      auto t0 = std::chrono::steady_clock::now();
      ChainState chain(model, lc.z0, lc.rng, cfg.max_treedepth, cfg.max_energy_error,
                       cfg.initial_step_size);
      auto adaptation = make_adaptation();
      adaptation->start(chain);
      for (std::size_t it = 0; it < cfg.tune; ++it) {
        const NutsStats s =
            chain.nuts.transition(chain.density, chain.metric, chain.step_size, chain.rng, chain.z);
        adaptation->learn(it, s, chain);
        progress.update(lc.chain, it + 1, 0, chain.step_size);
      }
      adaptation->finish(chain);
      const long grads_warmup = chain.density.n_evaluations();
      const double seconds_warmup = seconds_since(t0) + lc.seconds_init;

      t0 = std::chrono::steady_clock::now();
      lc.record.resize(cfg.draws * width);
      long divergences = 0;
      for (std::size_t d = 0; d < cfg.draws; ++d) {
        const NutsStats s =
            chain.nuts.transition(chain.density, chain.metric, chain.step_size, chain.rng, chain.z);
        double* row = lc.record.data() + d * width;
        model.constrain(chain.z.q, std::span<double>(row, n_out));
        double* st = row + n_out;
        st[0] = s.lp;
        st[1] = s.acceptance_rate;
        st[2] = s.step_size;
        st[3] = s.tree_depth;
        st[4] = s.n_steps;
        st[5] = s.diverging ? 1.0 : 0.0;
        st[6] = s.energy;
        st[7] = s.energy_error;
        divergences += s.diverging;
        progress.update(lc.chain, cfg.tune + d + 1, divergences, chain.step_size);
      }
      const double seconds_sampling = seconds_since(t0);
      lc.summary = {chain.step_size, static_cast<double>(lc.n_gradients_init + grads_warmup),
                    static_cast<double>(chain.density.n_evaluations() - grads_warmup),
                    seconds_warmup, seconds_sampling};
      const auto inv = chain.metric.inv_metric();
      lc.summary.insert(lc.summary.end(), inv.begin(), inv.end());
      lc.summary.insert(lc.summary.end(), lc.z0.q.begin(), lc.z0.q.end());
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  progress.finish(local_ids);
  agree_on_failure(comm, error, "sampling");

  // Gather: each rank sends its chains' records then summaries, in local order.
  const std::size_t summary_width = kSummaryFixed + 2 * n;
  std::vector<double> send;
  for (const LocalChain& lc : local) send.insert(send.end(), lc.record.begin(), lc.record.end());
  for (const LocalChain& lc : local) send.insert(send.end(), lc.summary.begin(), lc.summary.end());
  // Every rank learns every count, so all see the same total and fail together if it is
  // beyond what one MPI_Gatherv can address.
  const long long count = static_cast<long long>(send.size());
  std::vector<long long> all_counts(static_cast<std::size_t>(size));
  SB_MPI(MPI_Allgather(&count, 1, MPI_LONG_LONG, all_counts.data(), 1, MPI_LONG_LONG, comm));
  long long total = 0;
  std::vector<int> counts(static_cast<std::size_t>(size)), offsets(counts.size());
  for (int r = 0; r < size; ++r) {
    offsets[r] = static_cast<int>(std::min<long long>(total, INT_MAX));
    counts[r] = static_cast<int>(std::min<long long>(all_counts[r], INT_MAX));
    total += all_counts[r];
  }
  if (total > INT_MAX)
    throw core::ComputationError(cat("sampler: ", total, " values are too many to gather on ",
                                     "rank 0 in one message; use fewer draws or chains"));
  std::vector<double> all(rank == 0 ? static_cast<std::size_t>(total) : 0);
  SB_MPI(MPI_Gatherv(send.data(), static_cast<int>(count), MPI_DOUBLE, all.data(), counts.data(),
                     offsets.data(), MPI_DOUBLE, 0, comm));

  SampleResult result;
  if (rank != 0) return result;

  PosteriorDraws& out = result.draws;
  out.n_chains = n_chains;
  out.n_draws = cfg.draws;
  for (const VariableInfo& v : variables) {
    Variable var;
    var.name = v.name;
    var.shape = v.shape;
    var.dim_names = v.dim_names;
    var.values.resize(n_chains * cfg.draws * v.size());
    out.posterior.push_back(std::move(var));
  }
  const auto stat_names = sample_stat_names();
  for (std::size_t s = 0; s < kStats; ++s) {
    Variable var;
    var.name = stat_names[s];
    var.type = (s == 3 || s == 4) ? ValueType::int64
               : s == 5           ? ValueType::boolean
                                  : ValueType::float64;
    var.values.resize(n_chains * cfg.draws);
    out.sample_stats.push_back(std::move(var));
  }

  result.chains.resize(n_chains);
  for (std::size_t c = 0; c < n_chains; ++c) {
    const int r = static_cast<int>(c % static_cast<std::size_t>(size));
    const std::size_t k = c / static_cast<std::size_t>(size);  // index among r's chains
    const std::size_t n_local =
        (n_chains - static_cast<std::size_t>(r) + static_cast<std::size_t>(size) - 1) /
        static_cast<std::size_t>(size);
    const double* base = all.data() + offsets[r];
    const double* rec = base + k * cfg.draws * width;
    for (std::size_t d = 0; d < cfg.draws; ++d) {
      const double* row = rec + d * width;
      std::size_t offset = 0;
      for (Variable& var : out.posterior) {
        const std::size_t m = var.values.size() / (n_chains * cfg.draws);
        std::copy(row + offset, row + offset + m, var.values.begin() + (c * cfg.draws + d) * m);
        offset += m;
      }
      for (std::size_t s = 0; s < kStats; ++s)
        out.sample_stats[s].values[c * cfg.draws + d] = row[n_out + s];
    }
    const double* sum = base + n_local * cfg.draws * width + k * summary_width;
    ChainSummary& cs = result.chains[c];
    cs.chain = c;
    cs.rank = r;
    cs.step_size = sum[0];
    cs.n_gradients_warmup = static_cast<long>(sum[1]);
    cs.n_gradients_sampling = static_cast<long>(sum[2]);
    cs.seconds_warmup = sum[3];
    cs.seconds_sampling = sum[4];
    cs.inv_metric.assign(sum + kSummaryFixed, sum + kSummaryFixed + n);
    cs.initial_point.assign(sum + kSummaryFixed + n, sum + kSummaryFixed + 2 * n);
  }
  return result;
}

}  // namespace spectralbrain::stats
