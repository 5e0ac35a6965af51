// The cohort batch engine: queue on rank 0, groups of ranks solving subjects, memory guard,
// status log, resume, graceful stop, cohort table. See engine.hpp for the design.
#include "spectralbrain/batch/engine.hpp"

#include <petscsys.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <set>
#include <thread>

#include "progress.hpp"
#include "spectralbrain/batch/cohort_table.hpp"
#include "spectralbrain/batch/manifest.hpp"
#include "spectralbrain/batch/memory_model.hpp"
#include "spectralbrain/batch/resume.hpp"
#include "spectralbrain/batch/status_log.hpp"
#include "spectralbrain/batch/stop_signal.hpp"
#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/log.hpp"
#include "spectralbrain/core/memory.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/parallel.hpp"
#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/pipeline/subject_job.hpp"

namespace spectralbrain::batch {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr int kTagRequest = 5101;
constexpr int kTagReply = 5102;
constexpr double kMiB = 1024.0 * 1024.0;

// ---------------------------------------------------------------- small MPI helpers

void send_json(MPI_Comm comm, const json& message, int dest, int tag) {
  const std::string text = message.dump();
  SB_MPI(MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, dest, tag, comm));
}

json recv_json(MPI_Comm comm, int source, int tag, MPI_Status* status_out = nullptr) {
  MPI_Status status;
  SB_MPI(MPI_Probe(source, tag, comm, &status));
  int count = 0;
  SB_MPI(MPI_Get_count(&status, MPI_CHAR, &count));
  std::string text(static_cast<std::size_t>(count), '\0');
  SB_MPI(MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, tag, comm, MPI_STATUS_IGNORE));
  if (status_out) *status_out = status;
  return json::parse(text);
}

// Broadcasts `text` from `root`.
std::string bcast_string(MPI_Comm comm, std::string text, int root) {
  int length = static_cast<int>(text.size());
  SB_MPI(MPI_Bcast(&length, 1, MPI_INT, root, comm));
  text.resize(static_cast<std::size_t>(length));
  SB_MPI(MPI_Bcast(text.data(), length, MPI_CHAR, root, comm));
  return text;
}

// Every rank gets the message of the lowest rank with `mine` set (nullopt: no rank set it).
// With a deadline: returns false in `agreed` if the ranks did not all arrive in time.
std::optional<std::string> agree_message(MPI_Comm comm, bool mine, const std::string& message,
                                         double deadline_seconds = -1, bool* agreed = nullptr) {
  const int rank = core::rank(comm), size = core::size(comm);
  int first = mine ? rank : size;
  if (deadline_seconds < 0) {
    SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &first, 1, MPI_INT, MPI_MIN, comm));
  } else {
    int value = first;
    MPI_Request request;
    SB_MPI(MPI_Iallreduce(&value, &first, 1, MPI_INT, MPI_MIN, comm, &request));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(deadline_seconds);
    int done = 0;
    while (true) {
      SB_MPI(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
      if (done) break;
      if (std::chrono::steady_clock::now() > deadline) {
        if (agreed) *agreed = false;
        return std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  if (agreed) *agreed = true;
  if (first == size) return std::nullopt;
  return bcast_string(comm, rank == first ? message : std::string(), first);
}

const char* error_kind(const std::exception& e) {
  if (dynamic_cast<const core::InputError*>(&e)) return "input";
  if (dynamic_cast<const core::ComputationError*>(&e)) return "computation";
  if (dynamic_cast<const core::LibraryError*>(&e)) return "library";
  return "other";
}

std::string signal_name(int signo) {
  switch (signo) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGUSR1:
      return "SIGUSR1";
    default:
      return core::cat("signal ", signo);
  }
}

// Writes `text` to `file` atomically (temporary + rename).
void write_atomically(const fs::path& file, const std::string& text) {
  const fs::path temp = file.string() + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(temp);
    out << text;
    if (!out.flush()) throw core::InputError(temp.string(), "", "cannot write");
  }
  fs::rename(temp, file);
}

// ---------------------------------------------------------------- scheduler (world rank 0)

struct Assignment {
  std::int32_t index = -1;
  std::int32_t stop = 0;
  std::int32_t final_attempt = 0;
  std::int32_t attempt = 0;
  std::int64_t n_vertices = 0;
  std::int64_t n_faces = 0;
};

class Scheduler {
 public:
  Scheduler(const Manifest& manifest, std::vector<MeshSize> sizes, std::deque<int> queue,
            StatusLog& log, detail::Progress& progress, BatchSummary& summary, int n_groups,
            std::map<int, int> attempts)
      : manifest_(manifest),
        sizes_(std::move(sizes)),
        queue_(std::move(queue)),
        log_(log),
        progress_(progress),
        summary_(summary),
        n_active_(n_groups),
        attempts_(std::move(attempts)) {}

  // One request from a group leader: the outcome of its last subject (if any), then the
  // next subject or "stop".
  json handle(const json& request) {
    std::lock_guard<std::mutex> lock(mu_);
    if (request.contains("report") && request["report"].is_object()) record(request["report"]);
    if (request.value("stop", false))
      begin_stop(core::cat(signal_name(request.value("signal", SIGTERM)), " on rank ",
                           request.value("rank", -1)),
                 kExitInterrupted);
    check_signal();
    if (stop_status_ == 0) {
      int index = -1;
      bool final_attempt = false;
      if (!queue_.empty()) {
        index = queue_.front();
        queue_.pop_front();
      } else if (!deferred_.empty()) {
        index = deferred_.front();
        deferred_.pop_front();
        final_attempt = true;
      }
      if (index >= 0) {
        const ManifestEntry& e = manifest_.entries[static_cast<std::size_t>(index)];
        const int attempt = ++attempts_[index];
        ++n_running_;
        log_.write({{"event", "started"},
                    {"subject", e.subject},
                    {"structure", e.structure},
                    {"key", e.key()},
                    {"index", index},
                    {"group", request.value("group", -1)},
                    {"rank", request.value("rank", -1)},
                    {"ranks", request.value("ranks", 1)},
                    {"attempt", attempt},
                    {"n_vertices", sizes_[static_cast<std::size_t>(index)].n_vertices}});
        return {{"index", index},
                {"final", final_attempt},
                {"attempt", attempt},
                {"n_vertices", sizes_[static_cast<std::size_t>(index)].n_vertices},
                {"n_faces", sizes_[static_cast<std::size_t>(index)].n_faces}};
      }
    }
    --n_active_;
    return {{"stop", true}};
  }

  // Between requests: signals, progress.
  void tick() {
    std::lock_guard<std::mutex> lock(mu_);
    check_signal();
    progress_.tick(n_running_);
  }

  bool all_stopped() {
    std::lock_guard<std::mutex> lock(mu_);
    return n_active_ == 0;
  }
  int stop_status() const { return stop_status_; }
  std::int64_t remaining() const {
    return static_cast<std::int64_t>(queue_.size() + deferred_.size());
  }

 private:
  void check_signal() {
    if (StopSignals::requested())
      begin_stop(signal_name(StopSignals::signal_number()) + " on rank 0", kExitInterrupted);
  }

  void begin_stop(const std::string& reason, int status) {
    if (stop_status_ != 0) return;
    stop_status_ = status;
    log_.write({{"event", "stopping"},
                {"reason", reason},
                {"in_flight", n_running_},
                {"remaining", remaining()}});
    std::fprintf(stdout, "%sstopping: %s; %d subject%s in flight will finish, %lld not started\n",
                 "", reason.c_str(), n_running_, n_running_ == 1 ? "" : "s",
                 static_cast<long long>(remaining()));
    std::fflush(stdout);
  }

  void record(const json& report) {
    --n_running_;
    const int index = report.value("index", -1);
    const ManifestEntry& e = manifest_.entries.at(static_cast<std::size_t>(index));
    std::string outcome = report.value("outcome", "failed");
    const std::string reason = report.value("reason", "");
    json event = report;
    event.erase("outcome");
    event["subject"] = e.subject;
    event["structure"] = e.structure;
    event["key"] = e.key();
    const bool stop_low = outcome == "stop_low_memory";
    if (stop_low) {
      outcome = "skipped";
      event["reason"] = reason + "; stopping the batch (--on-low-memory error)";
    }
    event["event"] = outcome;
    log_.write(event);
    if (outcome == "done") {
      ++summary_.n_done;
      summary_.subject_seconds += report.value("wall_seconds", 0.0);
    } else if (outcome == "failed" || outcome == "skipped") {
      ++(outcome == "failed" ? summary_.n_failed : summary_.n_skipped);
      summary_.failures.push_back({e.key(), outcome, event.value("reason", "")});
    } else if (outcome == "deferred") {
      deferred_.push_back(index);
    } else if (outcome == "interrupted") {
      queue_.push_front(index);  // counted as remaining
    }
    progress_.finished(e.key(), outcome, report.value("wall_seconds", 0.0),
                       report.value("peak_rss_mib", 0.0), report.value("rank", -1),
                       event.value("reason", ""));
    if (stop_low) begin_stop("low memory (--on-low-memory error): " + reason, kExitLowMemoryStop);
  }

  std::mutex mu_;
  const Manifest& manifest_;
  std::vector<MeshSize> sizes_;
  std::deque<int> queue_, deferred_;
  StatusLog& log_;
  detail::Progress& progress_;
  BatchSummary& summary_;
  int n_active_;
  int n_running_ = 0;
  int stop_status_ = 0;
  std::map<int, int> attempts_;
};

// Serves requests until every group has been told to stop. Runs on world rank 0, in the
// scheduler thread or (dedicated mode) on the main thread.
void serve(Scheduler& scheduler, MPI_Comm comm) {
  while (!scheduler.all_stopped()) {
    int flag = 0;
    MPI_Status status;
    SB_MPI(MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, comm, &flag, &status));
    if (flag) {
      const json request = recv_json(comm, status.MPI_SOURCE, kTagRequest);
      send_json(comm, scheduler.handle(request), status.MPI_SOURCE, kTagReply);
      continue;
    }
    scheduler.tick();
    // Polling, not a blocking receive: Open MPI busy-waits in MPI_Recv, which would take the
    // core from the solve running on rank 0's main thread.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// ---------------------------------------------------------------- workers (every group)

struct WorkerContext {
  const BatchOptions& options;
  const Manifest& manifest;
  NodeMemory& node;
  MPI_Comm group;
  int group_id;
  int leader_world_rank;
  int ncv;  // -eps_ncv if set, else 0
};

bool stop_agreed(MPI_Comm group) {
  int stop = StopSignals::requested() ? 1 : 0;
  SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &stop, 1, MPI_INT, MPI_MAX, group));
  return stop != 0;
}

// One subject, collectively on the group. The returned report is the same on every rank.
json process_subject(const WorkerContext& cx, const Assignment& a) {
  const ManifestEntry& e = cx.manifest.entries.at(static_cast<std::size_t>(a.index));
  const int n_ranks = core::size(cx.group);
  json report = {{"index", a.index},
                 {"group", cx.group_id},
                 {"rank", cx.leader_world_rank},
                 {"ranks", n_ranks},
                 {"attempt", a.attempt}};
  const MeshSize size{a.n_vertices, a.n_faces, 0};
  // Unknown size (unrecognised or missing file): no estimate; run_subject will say what is
  // wrong with the file.
  const std::uint64_t need =
      size.n_vertices > 0
          ? estimate_subject_memory(size, cx.options.k, cx.ncv, n_ranks, cx.options.precision)
                .per_rank
          : 0;
  report["need_bytes"] = need;

  // Memory guard: every rank checks its node; the group goes ahead only if all fit.
  double waited = 0;
  for (int round = 0;; ++round) {
    FitCheck check;
    if (need > 0) check = cx.node.try_reserve(need);
    int worst = static_cast<int>(check.fit);
    SB_MPI(MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MIN, cx.group));
    if (worst == static_cast<int>(Fit::fits)) break;
    cx.node.release();
    const std::string why =
        agree_message(cx.group, static_cast<int>(check.fit) == worst, check.reason).value_or("?");
    report["reason"] = "low memory: " + why;
    report["available_bytes"] = check.available;
    const LowMemoryPolicy policy = cx.options.memory.on_low;
    if (policy == LowMemoryPolicy::error) {
      report["outcome"] = "stop_low_memory";
      return report;
    }
    if (policy == LowMemoryPolicy::skip || worst == static_cast<int>(Fit::never)) {
      report["outcome"] = "skipped";
      return report;
    }
    // wait: back off 1, 2, 4, ... 30 s (the same schedule on every rank of the group).
    const double step =
        std::min({std::pow(2.0, round), 30.0, cx.options.memory.wait_seconds - waited});
    if (step <= 1e-9) {
      report["outcome"] = a.final_attempt ? "skipped" : "deferred";
      report["reason"] = core::cat("low memory after waiting ", waited, " s",
                                   a.final_attempt ? " twice" : " (retried at the end)", ": ", why);
      return report;
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(step);
    while (std::chrono::steady_clock::now() < until && !StopSignals::requested())
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (stop_agreed(cx.group)) {
      report["outcome"] = "interrupted";
      report["reason"] = "stop requested while waiting for memory";
      return report;
    }
    waited += step;
  }
  report["memory_wait_seconds"] = waited;

  pipeline::SubjectJob job;
  job.mesh = e.mesh;
  job.output = cx.options.output_dir / e.output_name();
  job.subject = e.structure.empty() ? e.subject : e.subject + "_" + e.structure;
  job.k = cx.options.k;
  job.sigma = cx.options.sigma;
  job.mass = cx.options.mass;
  job.precision = cx.options.precision;
  job.descriptors = cx.options.descriptors;
  job.exports = cx.options.exports;
  job.largest_component = cx.options.largest_component;

  core::reset_peak_rss();
  const double rss_before = static_cast<double>(core::current_rss_bytes()) / kMiB;
  const double t0 = MPI_Wtime();
  bool failed = false;
  std::string message;
  pipeline::SubjectResult result;
  try {
    result = pipeline::run_subject(cx.group, job);
  } catch (const std::exception& ex) {
    failed = true;
    message = std::string(error_kind(ex)) + "\n" + ex.what();
  }
  cx.node.release();
  core::release_memory();
  bool agreed = true;
  const auto failure = agree_message(cx.group, failed, message, cx.options.group_timeout, &agreed);
  if (!agreed) {
    core::log_error(cx.leader_world_rank,
                    core::cat(e.key(), ": the ranks of group ", cx.group_id,
                              " did not agree within ", cx.options.group_timeout,
                              " s (a rank is stuck in a collective); aborting the job. ",
                              failed ? "This rank failed with: " + message : std::string()));
    MPI_Abort(MPI_COMM_WORLD, kExitError);
  }
  const double wall = MPI_Wtime() - t0;
  const double peak = static_cast<double>(core::peak_rss_bytes()) / kMiB;
  const double growth = peak - rss_before;  // this rank's memory for the subject
  report["wall_seconds"] = core::max_over_ranks(wall, cx.group);
  report["peak_rss_mib"] = core::max_over_ranks(peak, cx.group);
  report["rss_growth_mib"] = core::max_over_ranks(growth, cx.group);
  if (failure) {
    const auto newline = failure->find('\n');
    report["outcome"] = "failed";
    report["error"] = failure->substr(0, newline);
    report["reason"] = newline == std::string::npos ? *failure : failure->substr(newline + 1);
    return report;
  }
  report["outcome"] = "done";
  report["output"] = job.output.string();
  report["n_vertices"] = result.n_vertices;
  report["area"] = result.area;
  json stages = json::object();
  for (const auto& [stage, seconds] : result.wall_seconds) stages[stage] = seconds;
  report["stages"] = stages;
  return report;
}

class WorkSource {
 public:
  virtual ~WorkSource() = default;
  virtual Assignment exchange(const json& request) = 0;
};

Assignment to_assignment(const json& reply) {
  Assignment a;
  if (reply.value("stop", false)) {
    a.stop = 1;
    return a;
  }
  a.index = reply.at("index").get<std::int32_t>();
  a.final_attempt = reply.value("final", false) ? 1 : 0;
  a.attempt = reply.value("attempt", 1);
  a.n_vertices = reply.value("n_vertices", std::int64_t{0});
  a.n_faces = reply.value("n_faces", std::int64_t{0});
  return a;
}

class MpiSource : public WorkSource {
 public:
  explicit MpiSource(MPI_Comm comm) : comm_(comm) {}
  Assignment exchange(const json& request) override {
    send_json(comm_, request, 0, kTagRequest);
    return to_assignment(recv_json(comm_, 0, kTagReply));
  }

 private:
  MPI_Comm comm_;
};

class DirectSource : public WorkSource {
 public:
  explicit DirectSource(Scheduler& s) : s_(s) {}
  Assignment exchange(const json& request) override {
    s_.tick();
    return to_assignment(s_.handle(request));
  }

 private:
  Scheduler& s_;
};

void work(const WorkerContext& cx, WorkSource* source) {
  const bool leader = core::rank(cx.group) == 0;
  json report = nullptr;
  while (true) {
    const bool stop = stop_agreed(cx.group);
    Assignment a;
    if (leader)
      a = source->exchange({{"group", cx.group_id},
                            {"rank", cx.leader_world_rank},
                            {"ranks", core::size(cx.group)},
                            {"report", report},
                            {"stop", stop},
                            {"signal", StopSignals::signal_number()}});
    SB_MPI(MPI_Bcast(&a, sizeof(Assignment), MPI_BYTE, 0, cx.group));
    if (a.stop) return;
    report = process_subject(cx, a);
  }
}

// ---------------------------------------------------------------- setup

void validate(const BatchOptions& o, int world_size) {
  auto bad = [](const std::string& option, const std::string& problem) {
    return core::InputError("command line", option, problem);
  };
  if (o.manifest.empty()) throw bad("--manifest", "is required (see --help)");
  if (o.output_dir.empty()) throw bad("--output-dir", "is required (see --help)");
  if (o.k < 1) throw bad("--k", core::cat("k = ", o.k, ": at least 1 eigenpair is needed"));
  if (o.mass != "consistent" && o.mass != "lumped")
    throw bad("--mass", "'" + o.mass + "' is not one of consistent, lumped");
  if (o.ranks_per_subject < 1)
    throw bad("--ranks-per-subject", core::cat(o.ranks_per_subject, ": must be >= 1"));
  if (o.ranks_per_subject > world_size)
    throw bad("--ranks-per-subject",
              core::cat(o.ranks_per_subject, " ranks per subject, but the job has only ",
                        world_size, " rank", world_size == 1 ? "" : "s"));
  if (!(o.memory.wait_seconds >= 0)) throw bad("--memory-wait", "must be >= 0 seconds");
  if (!(o.group_timeout > 0)) throw bad("--group-timeout", "must be > 0 seconds");
  if (o.max_attempts < 0) throw bad("--max-attempts", "must be >= 0");
  if (o.shapedna.reweighting == descriptors::ShapeDnaReweighting::index && o.k < 2)
    throw bad("--shapedna-reweighting", "index reweighting drops lambda_0 and needs k >= 2");
}

ProgressMode resolve(ProgressMode mode) {
  if (mode != ProgressMode::automatic) return mode;
  // Under mpirun every rank's stdout is a pseudo-terminal whatever the real output is, so a
  // bar is drawn only outside a launcher.
  // (A singleton Open MPI process has PMIX_RANK too, so that one does not count.)
  const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_RANK") ||
                        std::getenv("SLURM_STEP_ID");
  return isatty(fileno(stdout)) && !launched ? ProgressMode::bar : ProgressMode::lines;
}

std::string make_run_id() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return core::cat(std::hex, std::chrono::duration_cast<std::chrono::milliseconds>(now).count(),
                   "-", getpid());
}

std::string hostname() {
  char name[256] = {0};
  gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

BatchSummary run_batch(MPI_Comm world, const BatchOptions& options) {
  const double t_start = MPI_Wtime();
  const int world_rank = core::rank(world), world_size = core::size(world);
  validate(options, world_size);
  const Manifest manifest = read_manifest(options.manifest);  // same error on every rank
  const auto n_subjects = static_cast<std::int64_t>(manifest.entries.size());
  {
    std::string error;
    if (world_rank == 0) {
      std::error_code ec;
      fs::create_directories(options.output_dir, ec);
      if (ec || !fs::is_directory(options.output_dir))
        error = "cannot create the output folder: " + (ec ? ec.message() : "not a folder");
    }
    error = bcast_string(world, error, 0);
    if (!error.empty()) throw core::InputError(options.output_dir.string(), "", error);
  }
  StopSignals signals;  // after PetscInitialize, so that ours replace PETSc's handlers

  RunParameters run{options.k, options.sigma, options.mass, options.precision,
                    core::petsc_options_string()};
  PetscInt ncv = 0;
  PetscBool ncv_set = PETSC_FALSE;
  SB_PETSC(PetscOptionsGetInt(nullptr, nullptr, "-eps_ncv", &ncv, &ncv_set));

  // Sizes of the meshes (header peeks) and the state of existing outputs, over all ranks.
  const std::vector<MeshSize> sizes = core::parallel_map(
      world, manifest.entries, [](const ManifestEntry& e) { return peek_mesh_size(e.mesh); });
  std::vector<std::string> states;  // "A" absent, "C" complete, "S<reason>" stale
  if (options.resume)
    states = core::parallel_map(world, manifest.entries, [&](const ManifestEntry& e) {
      const OutputCheck c = check_output(options.output_dir / e.output_name(), run, e.mesh);
      return std::string(c.state == OutputState::complete ? "C"
                         : c.state == OutputState::stale  ? "S"
                                                          : "A") +
             c.reason;
    });

  // Scheduler mode and groups.
  int provided = MPI_THREAD_SINGLE;
  SB_MPI(MPI_Query_thread(&provided));
  std::string mode;
  if (options.scheduler != SchedulerMode::dedicated && provided == MPI_THREAD_MULTIPLE)
    mode = "thread";
  else
    mode = world_size > 1 ? "dedicated" : "serial";
  const bool rank0_works = mode != "dedicated";
  const int P = options.ranks_per_subject;
  const int n_workers = rank0_works ? world_size : world_size - 1;
  if (n_workers < P)
    throw core::InputError("command line", "--ranks-per-subject",
                           core::cat(P, " ranks per subject, but only ", n_workers,
                                     " ranks solve (rank 0 schedules: MPI_THREAD_MULTIPLE is not "
                                     "available or --scheduler dedicated)"));
  const int n_groups = (n_workers + P - 1) / P;
  const int worker_index = rank0_works ? world_rank : world_rank - 1;
  const int group_id = worker_index >= 0 ? worker_index / P : -1;
  core::Comm group = core::Comm::split(world, group_id >= 0 ? group_id : MPI_UNDEFINED, world_rank);
  core::Comm sched = core::Comm::duplicate(world);
  NodeMemory node(world, options.memory);

  BatchSummary summary;
  summary.n_subjects = n_subjects;
  summary.scheduler = mode;
  const std::string run_id = bcast_string(world, world_rank == 0 ? make_run_id() : "", 0);
  const fs::path log_file = options.output_dir / "batch_status.jsonl";

  std::optional<StatusLog> log;
  std::optional<detail::Progress> progress;
  std::optional<Scheduler> scheduler;
  std::string setup_error;
  if (world_rank == 0) {
    try {
      int n_bad = 0;
      const auto history =
          options.resume ? read_history(log_file, &n_bad) : std::map<std::string, SubjectHistory>{};
      log.emplace(log_file, run_id);
      json hosts = json::array({hostname()});
      log->write({{"event", "run_started"},
                  {"manifest", options.manifest.string()},
                  {"subjects", n_subjects},
                  {"ranks", world_size},
                  {"groups", n_groups},
                  {"ranks_per_subject", P},
                  {"scheduler", mode},
                  {"k", options.k},
                  {"sigma", options.sigma},
                  {"mass", options.mass},
                  {"precision", io::precision_name(options.precision)},
                  {"resume", options.resume},
                  {"on_low_memory", name(options.memory.on_low)},
                  {"host", hostname()},
                  {"pid", getpid()},
                  {"command", options.command_line},
                  {"petsc_options", run.petsc_options}});
      if (n_bad > 0)
        log->write({{"event", "note"},
                    {"reason", core::cat(n_bad,
                                         " unreadable line(s) in the log from earlier runs "
                                         "were skipped (a run killed mid-write)")}});
      // Leftover temporaries of our subjects (a killed run) are removed.
      std::set<std::string> names;
      for (const auto& e : manifest.entries) names.insert(e.output_name());
      std::int64_t n_temps = 0;
      for (const auto& f : fs::directory_iterator(options.output_dir)) {
        const std::string file = f.path().filename().string();
        const auto at = file.find(".tmp-");
        if (at != std::string::npos && names.count(file.substr(0, at))) {
          std::error_code ec;
          n_temps += fs::remove(f.path(), ec) ? 1 : 0;
        }
      }
      // The queue: not complete, not given up on; largest first.
      std::vector<int> todo;
      std::int64_t n_stale = 0;
      std::map<int, int> attempts;
      for (int i = 0; i < static_cast<int>(n_subjects); ++i) {
        const ManifestEntry& e = manifest.entries[static_cast<std::size_t>(i)];
        if (options.resume && states[static_cast<std::size_t>(i)][0] == 'C') {
          ++summary.n_already;
          // Killed between publishing the file and logging "done": say so, so that the log
          // accounts for every output.
          const auto h = history.find(e.key());
          if (h != history.end() && h->second.last_event == "started")
            log->write({{"event", "recovered"},
                        {"subject", e.subject},
                        {"structure", e.structure},
                        {"key", e.key()},
                        {"index", i},
                        {"reason", "output complete, made by a run that died before logging it"}});
          continue;
        }
        if (options.resume && states[static_cast<std::size_t>(i)][0] == 'S') {
          ++n_stale;
          log->write({{"event", "stale"},
                      {"subject", e.subject},
                      {"structure", e.structure},
                      {"key", e.key()},
                      {"reason", states[static_cast<std::size_t>(i)].substr(1) + "; recomputing"}});
        }
        const auto h = history.find(e.key());
        if (h != history.end()) attempts[i] = h->second.died_in_flight;
        if (options.max_attempts > 0 && h != history.end() &&
            h->second.died_in_flight >= options.max_attempts) {
          const std::string reason =
              core::cat("the batch died ", h->second.died_in_flight,
                        " times while solving it (killed, out of memory, or a crash in a "
                        "library); rerun with --max-attempts 0 or --no-resume to try again");
          log->write({{"event", "skipped"},
                      {"subject", e.subject},
                      {"structure", e.structure},
                      {"key", e.key()},
                      {"index", i},
                      {"reason", reason}});
          ++summary.n_skipped;
          summary.failures.push_back({e.key(), "skipped", reason});
          continue;
        }
        todo.push_back(i);
      }
      std::stable_sort(todo.begin(), todo.end(), [&](int a, int b) {
        const MeshSize& x = sizes[static_cast<std::size_t>(a)];
        const MeshSize& y = sizes[static_cast<std::size_t>(b)];
        if (x.n_vertices != y.n_vertices) return x.n_vertices > y.n_vertices;
        return x.file_bytes > y.file_bytes;
      });
      log->write({{"event", "resume"},
                  {"complete", summary.n_already},
                  {"stale", n_stale},
                  {"todo", todo.size()},
                  {"temporaries_removed", n_temps}});
      progress.emplace(resolve(options.progress), static_cast<std::int64_t>(todo.size()),
                       options.progress_interval);
      std::cout << "spectralbrain batch: " << n_subjects << " subjects in "
                << options.manifest.string() << " -> " << options.output_dir.string() << "\n  "
                << summary.n_already << " already complete, " << todo.size() << " to do; "
                << world_size << " rank" << (world_size == 1 ? "" : "s") << ", " << n_groups
                << " group" << (n_groups == 1 ? "" : "s") << " of " << P << " (scheduler: " << mode
                << ")\n";
      std::cout.flush();
      scheduler.emplace(manifest, sizes, std::deque<int>(todo.begin(), todo.end()), *log, *progress,
                        summary, n_groups, std::move(attempts));
    } catch (const std::exception& e) {
      setup_error = e.what();
    }
  }
  setup_error = bcast_string(world, setup_error, 0);
  if (!setup_error.empty()) throw core::InputError(log_file.string(), "", setup_error);

  // Run: the scheduler serves; the groups work.
  std::thread server;
  std::atomic<bool> server_failed{false};
  if (world_rank == 0 && mode == "thread")
    server = std::thread([&] {
      try {
        serve(*scheduler, sched.get());
      } catch (const std::exception& e) {
        server_failed = true;
        core::log_error(0, core::cat("batch scheduler: ", e.what(), "; aborting"));
        MPI_Abort(MPI_COMM_WORLD, kExitError);
      }
    });
  if (group_id >= 0) {
    const WorkerContext cx{options,
                           manifest,
                           node,
                           group.get(),
                           group_id,
                           world_rank - core::rank(group.get()),
                           ncv_set ? static_cast<int>(ncv) : 0};
    MpiSource mpi_source(sched.get());
    std::optional<DirectSource> direct;
    if (mode == "serial") direct.emplace(*scheduler);
    work(cx, direct ? static_cast<WorkSource*>(&*direct) : &mpi_source);
  } else if (world_rank == 0) {
    serve(*scheduler, sched.get());
  }
  if (server.joinable()) server.join();

  // The end: exit status, cohort table, summary.
  int status = kExitOk;
  if (world_rank == 0) {
    summary.n_remaining = scheduler->remaining();
    status = scheduler->stop_status();
    if (status == kExitOk && (summary.n_failed > 0 || summary.n_skipped > 0))
      status = kExitSubjectsFailed;
  }
  SB_MPI(MPI_Bcast(&status, 1, MPI_INT, 0, world));
  summary.exit_status = status;
  const fs::path table = options.output_dir / "cohort.csv";
  CohortTableResult table_result;
  std::string table_error;
  if (status != kExitInterrupted) {
    try {
      table_result =
          write_cohort_table(world, manifest, options.output_dir, run, options.shapedna, table);
    } catch (const std::exception& e) {
      table_error = e.what();
      if (status == kExitOk) status = kExitSubjectsFailed;
    }
  }
  summary.exit_status = status;
  summary.wall_seconds = MPI_Wtime() - t_start;

  if (world_rank == 0) {
    progress->close();
    const double per_min =
        summary.wall_seconds > 0 ? 60.0 * summary.n_done / summary.wall_seconds : 0;
    std::ostringstream out;
    out << "spectralbrain batch: " << n_subjects
        << " subjects: " << summary.n_done + summary.n_already << " complete (" << summary.n_done
        << " now, " << summary.n_already << " before), " << summary.n_failed << " failed, "
        << summary.n_skipped << " skipped, " << summary.n_remaining << " not started\n";
    char line[256];
    std::snprintf(line, sizeof line,
                  "  time      %.1f s in all, %.2f s per solved subject (sum %.1f s), %.2f "
                  "subjects/min on %d rank%s\n",
                  summary.wall_seconds,
                  summary.n_done ? summary.subject_seconds / summary.n_done : 0.0,
                  summary.subject_seconds, per_min, world_size, world_size == 1 ? "" : "s");
    out << line;
    for (const auto& f : summary.failures)
      out << "  " << f.event << "    " << f.key << ": " << f.reason << '\n';
    if (status == kExitInterrupted)
      out << "  interrupted: rerun the same command to resume (exit status " << kExitInterrupted
          << ")\n";
    if (status == kExitLowMemoryStop)
      out << "  stopped on low memory (--on-low-memory error; exit status " << kExitLowMemoryStop
          << ")\n";
    if (!table_error.empty())
      out << "  cohort table NOT written: " << table_error << '\n';
    else if (status != kExitInterrupted)
      out << "  table     " << table.string() << " (" << table_result.n_rows << " rows, ShapeDNA "
          << descriptors::name(options.shapedna.normalization) << "/"
          << descriptors::name(options.shapedna.reweighting) << ")\n";
    for (const auto& w : table_result.warnings) out << "  warning   " << w << '\n';
    out << "  log       " << log_file.string() << "\n  report    "
        << (options.output_dir / "batch_report.json").string() << '\n';
    std::cout << out.str();
    std::cout.flush();

    json failures = json::array();
    for (const auto& f : summary.failures)
      failures.push_back({{"key", f.key}, {"event", f.event}, {"reason", f.reason}});
    const json report = {
        {"run", run_id},
        {"status", status},
        {"subjects", n_subjects},
        {"done", summary.n_done},
        {"already_complete", summary.n_already},
        {"failed", summary.n_failed},
        {"skipped", summary.n_skipped},
        {"not_started", summary.n_remaining},
        {"wall_seconds", summary.wall_seconds},
        {"subject_seconds", summary.subject_seconds},
        {"subjects_per_minute", per_min},
        {"ranks", world_size},
        {"groups", n_groups},
        {"ranks_per_subject", P},
        {"scheduler", mode},
        {"failures", failures},
        {"table",
         table_error.empty() && status != kExitInterrupted ? json(table.string()) : json(nullptr)},
        {"table_rows", table_result.n_rows}};
    try {
      write_atomically(options.output_dir / "batch_report.json", report.dump(2) + "\n");
    } catch (const std::exception& e) {
      core::log_warning(MPI_COMM_SELF, e.what());
    }
    log->write({{"event", "run_finished"},
                {"status", status},
                {"done", summary.n_done},
                {"already_complete", summary.n_already},
                {"failed", summary.n_failed},
                {"skipped", summary.n_skipped},
                {"not_started", summary.n_remaining},
                {"wall_seconds", summary.wall_seconds}});
    log->sync();
  }
  return summary;
}

}  // namespace spectralbrain::batch
