// spectralbrain batch: a cohort of surfaces from a manifest, scheduled over groups of ranks.
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "commands.hpp"
#include "descriptor_options.hpp"
#include "spectralbrain/batch/engine.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/memory.hpp"

namespace po = boost::program_options;

namespace spectralbrain::app {

namespace {

po::options_description batch_options() {
  po::options_description options(
      "spectralbrain batch: Laplace-Beltrami spectra of every surface in a manifest\n\n"
      "usage: mpirun -n N spectralbrain batch --manifest subjects.tsv --output-dir DIR [options]\n"
      "                                       [PETSc options, e.g. -options_file study.opts]\n\n"
      "The manifest is a TSV/CSV table with a header naming the columns subject, mesh and\n"
      "optionally structure (relative mesh paths are against the manifest's folder). Each\n"
      "subject is solved by a group of --ranks-per-subject ranks into "
      "DIR/<subject>[_<structure>].h5;\n"
      "DIR also gets batch_status.jsonl (a JSON line per event, kept across runs), cohort.csv\n"
      "(one row per subject: area, volume, ShapeDNA in the convention "
      "of\n--shapedna-normalization/--shapedna-reweighting) and batch_report.json. Rerunning the "
      "same\n"
      "command resumes: complete outputs made with the same parameters are kept.\n\n"
      "exit status: 0 all subjects complete; 1 bad input (nothing done); 3 some subjects failed\n"
      "or were skipped (listed at the end); 4 stopped on low memory (--on-low-memory error);\n"
      "75 interrupted by SIGTERM/SIGINT/SIGUSR1 (in-flight subjects finished; rerun to resume).\n"
      "A second SIGTERM/SIGINT exits at once (128+signal); outputs stay consistent.\n\noptions");
  options.add_options()                     //
      ("help", "print this help and exit")  //
      ("manifest", po::value<std::string>()->value_name("FILE"),
       "subjects table (TSV or CSV): subject, mesh[, structure]")  //
      ("output-dir", po::value<std::string>()->value_name("DIR"),
       "folder for the subject files, status log, cohort table (created if missing)")         //
      ("k", po::value<int>()->default_value(100)->value_name("K"), "eigenpairs per surface")  //
      ("sigma", po::value<double>()->default_value(-0.01)->value_name("S"),
       "shift-and-invert target")  //
      ("mass", po::value<std::string>()->default_value("consistent")->value_name("TYPE"),
       "mass matrix: consistent | lumped")  //
      ("precision", po::value<std::string>()->default_value("double")->value_name("P"),
       "storage of the eigenvectors: double | single")  //
      ("ranks-per-subject", po::value<int>()->default_value(1)->value_name("P"),
       "ranks that solve one subject together (the last group may be smaller)")  //
      ("min-available-gb", po::value<double>()->default_value(0.0)->value_name("G"),
       "memory (GiB) to keep available on each node: a subject starts only if its estimated "
       "need fits on top of it")  //
      ("max-memory-per-rank", po::value<std::string>()->value_name("SIZE"),
       "most memory one rank may use for a subject (e.g. 4G, 3500M; under SLURM: the "
       "--mem-per-cpu of the job); a subject estimated above it is never started")  //
      ("on-low-memory", po::value<std::string>()->default_value("wait")->value_name("POLICY"),
       "when a subject does not fit: wait (back off, retry, defer to the end, then skip), skip "
       "(record and go on), error (stop cleanly after in-flight subjects, exit 4)")  //
      ("memory-wait", po::value<double>()->default_value(300)->value_name("SECONDS"),
       "longest wait for memory before a subject is deferred (--on-low-memory wait)")  //
      ("no-resume", "recompute every subject, even those with complete outputs")       //
      ("max-attempts", po::value<int>()->default_value(2)->value_name("N"),
       "skip a subject that was in flight when N earlier runs died (0: never skip)")  //
      ("progress", po::value<std::string>()->default_value("auto")->value_name("MODE"),
       "auto | bar | lines | none (auto: bar on a terminal, lines under mpirun/srun)")  //
      ("progress-interval", po::value<double>()->default_value(60)->value_name("SECONDS"),
       "seconds between summary lines (lines mode)")  //
      ("group-timeout", po::value<double>()->default_value(600)->value_name("SECONDS"),
       "how long the ranks of a group wait for each other after a subject before the job is "
       "aborted (a rank stuck in a library)")  //
      ("scheduler", po::value<std::string>()->default_value("auto")->value_name("MODE"),
       "auto | thread (rank 0 schedules in a thread and solves) | dedicated (rank 0 only "
       "schedules)")  //
      ("largest-component", po::bool_switch(),
       "solve each surface on its largest connected component only (other rows NaN)");
  options.add(descriptor_options(""));
  return options;
}

template <class Enum>
Enum pick(const std::string& word, const char* option,
          std::initializer_list<std::pair<const char*, Enum>> choices) {
  std::string names;
  for (const auto& [name, value] : choices) {
    if (word == name) return value;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  throw core::InputError("command line", option, "'" + word + "' is not one of " + names);
}

}  // namespace

int batch_command(core::Runtime& runtime, int argc, char** argv) {
  const auto options = batch_options();
  if (wants_help(argc, argv, 0)) {
    if (runtime.rank() == 0) std::cout << options << '\n';
    return 0;
  }
  const auto vm = parse("batch", split_arguments(argc, argv, 0).app, options);
  batch::BatchOptions o;
  if (vm.count("manifest")) o.manifest = vm["manifest"].as<std::string>();
  if (vm.count("output-dir")) o.output_dir = vm["output-dir"].as<std::string>();
  o.k = vm["k"].as<int>();
  o.sigma = vm["sigma"].as<double>();
  o.mass = vm["mass"].as<std::string>();
  o.precision = io::parse_precision(vm["precision"].as<std::string>());
  o.descriptors = descriptor_settings(vm);
  o.exports = export_settings(vm);
  o.largest_component = vm["largest-component"].as<bool>();
  o.ranks_per_subject = vm["ranks-per-subject"].as<int>();
  const double min_gb = vm["min-available-gb"].as<double>();
  if (!(min_gb >= 0)) throw core::InputError("command line", "--min-available-gb", "must be >= 0");
  o.memory.min_available = static_cast<std::uint64_t>(min_gb * 1024.0 * 1024.0 * 1024.0);
  if (vm.count("max-memory-per-rank"))
    o.memory.max_per_rank =
        core::parse_bytes(vm["max-memory-per-rank"].as<std::string>(), "--max-memory-per-rank");
  o.memory.on_low =
      batch::parse_low_memory_policy(vm["on-low-memory"].as<std::string>(), "--on-low-memory");
  o.memory.wait_seconds = vm["memory-wait"].as<double>();
  o.resume = vm.count("no-resume") == 0;
  o.max_attempts = vm["max-attempts"].as<int>();
  o.shapedna.normalization = descriptors::parse_normalization(
      vm["shapedna-normalization"].as<std::string>(), "--shapedna-normalization");
  o.shapedna.reweighting = descriptors::parse_reweighting(
      vm["shapedna-reweighting"].as<std::string>(), "--shapedna-reweighting");
  o.progress = pick<batch::ProgressMode>(vm["progress"].as<std::string>(), "--progress",
                                         {{"auto", batch::ProgressMode::automatic},
                                          {"bar", batch::ProgressMode::bar},
                                          {"lines", batch::ProgressMode::lines},
                                          {"none", batch::ProgressMode::none}});
  o.progress_interval = vm["progress-interval"].as<double>();
  o.group_timeout = vm["group-timeout"].as<double>();
  o.scheduler = pick<batch::SchedulerMode>(vm["scheduler"].as<std::string>(), "--scheduler",
                                           {{"auto", batch::SchedulerMode::automatic},
                                            {"thread", batch::SchedulerMode::thread},
                                            {"dedicated", batch::SchedulerMode::dedicated}});
  std::ostringstream command;
  command << "spectralbrain batch";
  for (int i = 0; i < argc; ++i) command << ' ' << argv[i];
  o.command_line = command.str();
  return batch::run_batch(runtime.world(), o).exit_status;
}

}  // namespace spectralbrain::app
