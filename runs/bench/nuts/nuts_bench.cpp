// NUTS benchmark: sample the linear regression with one scheme, write the draws as CSV
// (chain, draw, then one column per scalar) for posterior::ess_bulk, and print the cost:
// gradient evaluations (initialisation, warm-up, step-size searches and draws, all counted)
// and the summed per-chain wall time.
//
//   nuts_bench DATA.csv nuts|nutpie DRAWS TUNE CHAINS SEED OUT.csv
// Prints one line: "scheme=.. chains=.. gradients=.. seconds=.. grad_per_s=.." on rank 0.
#include <mpi.h>

#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>

#include "linreg_model.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/runtime.hpp"
#include "spectralbrain/stats/sampler.hpp"

namespace sb = spectralbrain;

int main(int argc, char** argv) {
  sb::core::Runtime runtime(argc, argv);
  if (argc != 8) {
    if (runtime.rank() == 0)
      std::cerr << "usage: nuts_bench DATA.csv nuts|nutpie DRAWS TUNE CHAINS SEED OUT.csv\n";
    return 2;
  }
  try {
    const sb::bench::LinearRegression model(argv[1]);
    // The hand-written gradient must match finite differences before anything is timed.
    std::vector<double> x0(model.dimension(), 0.3);
    if (const double err = sb::stats::gradient_error(model, x0); err > 1e-5)
      throw sb::core::ComputationError(sb::core::cat("gradient check failed: ", err));
    sb::stats::SamplerConfig c;
    c.draws = std::stoul(argv[3]);
    c.tune = std::stoul(argv[4]);
    c.chains = std::stoul(argv[5]);
    c.seed = std::stoull(argv[6]);
    c.progress = false;
    const auto sampler = sb::stats::make_sampler(argv[2], c);
    const double t0 = MPI_Wtime();
    const auto result = sampler->sample(model, MPI_COMM_WORLD);
    const double wall = MPI_Wtime() - t0;
    if (runtime.rank() != 0) return 0;

    long gradients = 0;
    double seconds = 0;
    for (const auto& ch : result.chains) {
      gradients += ch.n_gradients_warmup + ch.n_gradients_sampling;
      seconds += ch.seconds_warmup + ch.seconds_sampling;
    }
    const auto& d = result.draws;
    std::ofstream out(argv[7]);
    out << std::setprecision(17) << "chain,draw";
    std::vector<std::pair<const sb::stats::Variable*, std::size_t>> columns;
    for (const auto& v : d.posterior) {
      const std::size_t m = v.values.size() / (d.n_chains * d.n_draws);
      for (std::size_t j = 0; j < m; ++j) {
        out << "," << v.name << (m > 1 ? "[" + std::to_string(j + 1) + "]" : "");
        columns.push_back({&v, j});
      }
    }
    out << ",diverging\n";
    const auto& div = d.sample_stats[5].values;
    for (std::size_t c2 = 0; c2 < d.n_chains; ++c2)
      for (std::size_t k = 0; k < d.n_draws; ++k) {
        out << c2 + 1 << "," << k + 1;
        for (const auto& [v, j] : columns) {
          const std::size_t m = v->values.size() / (d.n_chains * d.n_draws);
          out << "," << v->values[(c2 * d.n_draws + k) * m + j];
        }
        out << "," << div[c2 * d.n_draws + k] << "\n";
      }
    std::printf("scheme=%s chains=%zu gradients=%ld seconds=%.4f wall=%.4f grad_per_s=%.0f\n",
                argv[2], d.n_chains, gradients, seconds, wall, gradients / seconds);
    return 0;
  } catch (const std::exception& e) {
    sb::core::log_error(runtime.rank(), e.what());
    return 1;
  }
}
