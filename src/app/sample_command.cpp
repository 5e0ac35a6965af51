// spectralbrain sample: a brms-style regression on a cohort table (or a model plugin),
// sampled by NUTS with one chain per rank, written as an ArviZ-readable posterior file,
// and summarised on rank 0.
#include <mpi.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/io/posterior_file.hpp"
#include "spectralbrain/models/design.hpp"
#include "spectralbrain/models/formula.hpp"
#include "spectralbrain/models/plugin_model.hpp"
#include "spectralbrain/models/prior.hpp"
#include "spectralbrain/models/regression_model.hpp"
#include "spectralbrain/models/table.hpp"
#include "spectralbrain/stats/sampler.hpp"
#include "spectralbrain/stats/summary.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace spectralbrain::app {

using core::cat;
using core::InputError;

namespace {

constexpr const char* join_key = "subject";

po::options_description sample_options() {
  po::options_description options(
      "spectralbrain sample: a Bayesian regression of a cohort table (brms-style formula), or a\n"
      "model plugin, sampled with NUTS (chains spread over the MPI ranks)\n\n"
      "usage: [mpirun -n P] spectralbrain sample --data TABLE.csv --formula \"y ~ x + (1 | g)\"\n"
      "                                          --output POSTERIOR.h5 [options]\n"
      "       [mpirun -n P] spectralbrain sample --model-lib MODEL.so [--data DATA.json]\n"
      "                                          --output POSTERIOR.h5 [sampler options]\n\n"
      "Formula: y ~ 1 + x1 + sex + x1:sex + (1 + x1 | site); 0 + or - 1 drops the intercept;\n"
      "a*b = a + b + a:b; factor(x) makes a numeric column categorical; y | se(s) ~ ... gives\n"
      "known standard errors. See docs/models.md.\n\noptions");
  options.add_options()                     //
      ("help", "print this help and exit")  //
      ("data", po::value<std::string>()->value_name("FILE"),
       "CSV (or .tsv) table with a header row, e.g. the cohort table of `batch`; with "
       "--model-lib, the plugin's JSON data file")  //
      ("covariates", po::value<std::string>()->value_name("FILE"),
       "CSV of per-subject covariates, joined to --data by the 'subject' column")             //
      ("formula", po::value<std::string>()->value_name("F"), "the model formula (quote it)")  //
      ("family", po::value<std::string>()->default_value("gaussian")->value_name("NAME"),
       "gaussian | student_t")  //
      ("prior", po::value<std::vector<std::string>>()->composing()->value_name("SPEC"),
       "\"class[:coef] ~ dist(args)\", repeatable; classes Intercept, b, sd, sigma, nu; "
       "dists flat, normal, student_t, cauchy, half_normal, half_cauchy, half_student_t, "
       "exponential, gamma")  //
      ("drop-missing",
       "drop rows with a missing value in a column the formula uses "
       "(default: such a row is an error)")  //
      ("model-lib", po::value<std::string>()->value_name("LIB.so"),
       "a model plugin (C ABI of include/spectralbrain/plugin/sb_model.h) instead of a "
       "formula")  //
      ("output", po::value<std::string>()->value_name("FILE.h5"),
       "posterior file to write (ArviZ/netCDF layout); its folder must exist")  //
      ("sampler", po::value<std::string>()->default_value("nuts")->value_name("NAME"),
       "nuts (Stan's adaptation) | nutpie (gradient-based metric adaptation)")  //
      ("draws", po::value<std::size_t>()->default_value(2000)->value_name("N"),
       "kept draws per chain")  //
      ("tune", po::value<std::size_t>()->default_value(1000)->value_name("N"),
       "warm-up iterations per chain. Under Open MPI's mpirun write --tune=N: mpirun takes a "
       "separate '--tune' for itself wherever it appears")                         //
      ("warmup", po::value<std::size_t>()->value_name("N"), "the same as --tune")  //
      ("chains", po::value<std::size_t>()->default_value(4)->value_name("N"),
       "number of chains, spread over the ranks (0: one per rank)")  //
      ("target-accept", po::value<double>()->default_value(0.95, "0.95")->value_name("P"),
       "step-size adaptation target in (0, 1)")  //
      ("seed", po::value<std::uint64_t>()->default_value(42)->value_name("S"),
       "random seed; chain c's stream depends only on (seed, c)")  //
      ("max-treedepth", po::value<int>()->default_value(10)->value_name("D"),
       "maximum NUTS tree depth")  //
      ("no-progress", "do not print progress lines");
  return options;
}

// Every rank passes its error ("" = none); if any has one, every rank throws the lowest
// failing rank's message, so all stop together with one message (printed once).
void agree(MPI_Comm comm, const std::string& error) {
  const int size = core::size(comm);
  const int me = error.empty() ? size : core::rank(comm);
  int first = size;
  SB_MPI(MPI_Allreduce(&me, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) return;
  int length = static_cast<int>(error.size());
  SB_MPI(MPI_Bcast(&length, 1, MPI_INT, first, comm));
  std::string message = error;
  message.resize(static_cast<std::size_t>(length));
  SB_MPI(MPI_Bcast(message.data(), length, MPI_CHAR, first, comm));
  throw core::Error(message);
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string s;
  for (const auto& x : items) s += (s.empty() ? "" : sep) + x;
  return s;
}

// What rank 0 prints before sampling a formula model.
std::string describe(const models::RegressionModel& model, const models::Table& table,
                     const std::string& data, const std::string& covariates,
                     const std::string& formula) {
  const models::Design& d = model.design();
  std::ostringstream out;
  out << "spectralbrain sample: " << formula << "\n  data       " << data;
  if (!covariates.empty()) out << " joined with " << covariates << " by " << join_key;
  out << ": " << d.n() << " of " << table.n_rows() << " rows used";
  if (!d.dropped.empty()) {
    out << ", " << d.dropped.size() << " dropped (--drop-missing):";
    const std::size_t shown = std::min<std::size_t>(d.dropped.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) out << "\n               " << d.dropped[i];
    if (shown < d.dropped.size())
      out << "\n               ... and " << d.dropped.size() - shown << " more";
  }
  out << "\n  response   " << d.response;
  if (!d.se.empty())
    out << " with known standard errors " << d.se_name << (d.se_sigma ? " and sigma" : "");
  out << "\n  family     " << models::family_name(model.family()) << " (identity link)";
  std::vector<std::string> cols;
  if (d.intercept) cols.push_back("Intercept");
  for (const auto& c : d.columns) cols.push_back(c.name);
  out << "\n  population " << (cols.empty() ? "(none)" : join(cols))
      << (d.intercept && !d.columns.empty() ? "   (columns centred while sampling)" : "");
  for (const auto& f : d.factors)
    out << "\n  factor     " << f.variable << ": levels " << join(f.levels) << "; reference "
        << f.reference;
  for (const auto& g : d.groups) {
    std::vector<std::string> terms;
    for (const auto& t : g.terms) terms.push_back(t.name);
    out << "\n  group      " << g.name << ": " << g.levels.size() << " levels; terms "
        << join(terms);
  }
  out << "\n  priors\n";
  std::istringstream priors(models::format_priors(model.priors()));
  for (std::string line; std::getline(priors, line);) out << "    " << line << '\n';
  return out.str();
}

struct Setup {
  std::unique_ptr<stats::Model> model;
  const models::RegressionModel* regression = nullptr;
  const models::PluginModel* plugin = nullptr;
  std::string report;  // printed by rank 0 before sampling
};

Setup build(const po::variables_map& vm, std::uint64_t seed) {
  Setup s;
  const bool plugin = vm.count("model-lib") > 0;
  if (plugin) {
    for (const char* o : {"formula", "covariates", "prior", "drop-missing"})
      if (vm.count(o))
        throw InputError("command line", "spectralbrain sample",
                         cat("--", o, " does not apply to a --model-lib plugin"));
    if (!vm["family"].defaulted())
      throw InputError("command line", "spectralbrain sample",
                       "--family does not apply to a --model-lib plugin");
    const std::string lib = vm["model-lib"].as<std::string>();
    const std::string data = vm.count("data") ? vm["data"].as<std::string>() : "";
    auto m = std::make_unique<models::PluginModel>(lib, data, static_cast<unsigned>(seed));
    s.report = cat("spectralbrain sample: model plugin ", lib, " (", m->name(), "), ",
                   m->dimension(), " parameters", data.empty() ? "" : ", data " + data, "\n");
    s.plugin = m.get();
    s.model = std::move(m);
    return s;
  }
  for (const char* required : {"data", "formula"})
    if (!vm.count(required))
      throw InputError("command line", "spectralbrain sample",
                       cat("--", required, " is required (or --model-lib; see --help)"));
  const std::string data = vm["data"].as<std::string>();
  const std::string formula_text = vm["formula"].as<std::string>();
  // Cheap checks first: a bad formula, family or prior is reported before any file is read.
  const models::Formula formula = models::parse_formula(formula_text);
  const models::Family family = models::parse_family(vm["family"].as<std::string>());
  std::vector<models::PriorSpec> specs;
  if (vm.count("prior"))
    for (const auto& p : vm["prior"].as<std::vector<std::string>>())
      specs.push_back(models::parse_prior(p));

  models::Table table = models::read_table(data);
  std::string covariates;
  if (vm.count("covariates")) {
    covariates = vm["covariates"].as<std::string>();
    table = models::Table::left_join(table, models::read_table(covariates), join_key);
  }
  models::DesignOptions options;
  options.drop_missing = vm.count("drop-missing") > 0;
  models::Design design = models::build_design(formula, table, options);
  auto priors = models::default_priors(design, family);
  models::apply_priors(priors, specs);
  auto m = std::make_unique<models::RegressionModel>(std::move(design), family, std::move(priors));
  s.report = describe(*m, table, data, covariates, formula_text);
  s.regression = m.get();
  s.model = std::move(m);
  return s;
}

// Rejections and non-finite values of a plugin over all ranks, as a sentence ("" if none).
std::string plugin_report(MPI_Comm comm, const models::PluginModel* plugin) {
  long counts[2] = {0, 0};
  if (plugin) {
    counts[0] = plugin->issues().rejections;
    counts[1] = plugin->issues().non_finite;
  }
  long total[2] = {0, 0};
  SB_MPI(MPI_Allreduce(counts, total, 2, MPI_LONG, MPI_SUM, comm));
  std::string s;
  if (total[0] > 0)
    s += cat("the plugin rejected ", total[0], " points (treated as outside the support)",
             plugin && !plugin->issues().first_rejection.empty()
                 ? "; first message on this rank: " + plugin->issues().first_rejection
                 : std::string());
  if (total[1] > 0)
    s += cat(s.empty() ? "" : "; ", "the plugin returned a NaN or infinite log density or ",
             "gradient ", total[1], " times (treated as outside the support)");
  return s;
}

}  // namespace

int sample_command(core::Runtime& runtime, int argc, char** argv) {
  const MPI_Comm comm = runtime.world();
  const auto options = sample_options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << options << '\n';
    return 0;
  }
  const auto vm = parse("sample", split_arguments(argc, argv, 0).app, options);
  if (!vm.count("output"))
    throw InputError("command line", "spectralbrain sample", "--output is required (see --help)");
  const fs::path output = vm["output"].as<std::string>();
  const fs::path folder = output.has_parent_path() ? output.parent_path() : fs::path(".");
  if (!fs::is_directory(folder))
    throw InputError(output.string(), "", cat("the folder ", folder.string(), " does not exist"));

  stats::SamplerConfig config;
  config.draws = vm["draws"].as<std::size_t>();
  config.tune = vm["tune"].as<std::size_t>();
  if (vm.count("warmup")) {
    if (!vm["tune"].defaulted())
      throw InputError("command line", "spectralbrain sample", "give --tune or --warmup, not both");
    config.tune = vm["warmup"].as<std::size_t>();
  }
  config.chains = vm["chains"].as<std::size_t>();
  config.target_accept = vm["target-accept"].as<double>();
  config.seed = vm["seed"].as<std::uint64_t>();
  config.max_treedepth = vm["max-treedepth"].as<int>();
  config.progress = vm.count("no-progress") == 0;
  const std::string scheme = vm["sampler"].as<std::string>();
  const auto sampler = stats::make_sampler(scheme, config);

  // Every rank builds its own copy of the model; all stop together if any fails.
  Setup setup;
  std::string error;
  try {
    setup = build(vm, config.seed);
  } catch (const std::exception& e) {
    error = e.what();
  }
  agree(comm, error);
  const std::size_t n_chains = config.chains ? config.chains : runtime.size();
  core::log_info(comm, cat(setup.report, "  sampler    ", scheme, ", ", n_chains, " chains x (",
                           config.tune, " warm-up + ", config.draws, " draws), seed ", config.seed,
                           ", target_accept ", config.target_accept, ", ", runtime.size(),
                           runtime.size() == 1 ? " rank" : " ranks", "\n"));

  stats::SampleResult result;
  try {
    result = sampler->sample(*setup.model, comm);
  } catch (const core::ComputationError& e) {
    const std::string issues = plugin_report(comm, setup.plugin);
    throw core::ComputationError(issues.empty() ? std::string(e.what())
                                                : cat(e.what(), " (", issues, ")"));
  }
  const std::string issues = plugin_report(comm, setup.plugin);
  if (runtime.rank() == 0 && setup.regression) setup.regression->annotate(result.draws);
  io::write_posterior(comm, 0, output, result.draws);

  if (runtime.rank() == 0) {
    stats::SummaryOptions so;
    so.max_tree_depth = config.max_treedepth;
    const stats::Summary summary = stats::summarize(result.draws, so);
    std::cout << '\n';
    stats::print_table(std::cout, summary);
    if (!issues.empty()) std::cout << "warning: " << issues << '\n';
    std::cout << "\nwrote " << output.string() << '\n';
    std::cout.flush();
  }
  return 0;
}

}  // namespace spectralbrain::app
