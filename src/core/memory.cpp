// Node memory: /proc/meminfo and the cgroup hierarchy, RSS, sizes of arrays, guards.
#include "spectralbrain/core/memory.hpp"

#include <malloc.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace spectralbrain::core {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

// First whitespace-separated token of a one-line file ("max" or a number).
std::optional<std::string> read_token(const fs::path& file) {
  std::ifstream in(file);
  std::string token;
  if (!(in >> token)) return std::nullopt;
  return token;
}

// A cgroup limit file: "max" (v2) or a number; v1 writes a huge page-aligned number for none.
std::optional<std::uint64_t> read_limit(const fs::path& file) {
  auto token = read_token(file);
  if (!token) return std::nullopt;
  if (*token == "max") return kUnlimited;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(token->c_str(), &end, 10);
  if (errno != 0 || end == token->c_str()) return std::nullopt;
  // v1 "no limit" is LONG_MAX rounded down to the page size.
  if (v >= (1ULL << 62)) return kUnlimited;
  return v;
}

// "key value" lines of memory.stat.
std::optional<std::uint64_t> read_stat(const fs::path& file, std::string_view key) {
  std::ifstream in(file);
  std::string name;
  unsigned long long value = 0;
  while (in >> name >> value)
    if (name == key) return value;
  return std::nullopt;
}

struct CgroupLevel {
  std::uint64_t limit = kUnlimited;
  std::uint64_t usage = 0;
  bool v2 = true;
};

// Limit and usage of one cgroup folder (v2 files first, then v1); nullopt if neither.
std::optional<CgroupLevel> read_cgroup_level(const fs::path& dir) {
  CgroupLevel level;
  if (auto limit = read_limit(dir / "memory.max")) {
    level.v2 = true;
    level.limit = *limit;
    level.usage = read_limit(dir / "memory.current").value_or(0);
    if (auto cache = read_stat(dir / "memory.stat", "inactive_file"))
      level.usage -= std::min(level.usage, *cache);
    return level;
  }
  if (auto limit = read_limit(dir / "memory.limit_in_bytes")) {
    level.v2 = false;
    level.limit = *limit;
    level.usage = read_limit(dir / "memory.usage_in_bytes").value_or(0);
    // v1 memory.stat has both a local and a hierarchical count; prefer the latter.
    auto cache = read_stat(dir / "memory.stat", "total_inactive_file");
    if (!cache) cache = read_stat(dir / "memory.stat", "inactive_file");
    if (cache) level.usage -= std::min(level.usage, *cache);
    return level;
  }
  return std::nullopt;
}

// Mount point and mount root of the cgroup hierarchy holding the memory controller.
struct Mount {
  fs::path point, root;
  bool v2 = false;
};

std::vector<Mount> cgroup_mounts(const fs::path& mountinfo) {
  // Fields: id parent major:minor root mount-point options [optional...] - fstype source super
  std::vector<Mount> mounts;
  std::ifstream in(mountinfo);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, point, options, token;
    fields >> id >> parent >> dev >> root >> point >> options;
    while (fields >> token && token != "-") {
    }
    std::string fstype, source, super;
    fields >> fstype >> source >> super;
    if (fstype == "cgroup2") mounts.push_back({point, root, true});
    if (fstype == "cgroup" && (super.find("memory") != std::string::npos))
      mounts.push_back({point, root, false});
  }
  return mounts;
}

// The folders of this process's memory cgroup and its ancestors, innermost first.
std::vector<fs::path> cgroup_chain(const MemorySources& s) {
  std::vector<fs::path> chain;
  std::ifstream in(s.proc_cgroup);
  std::string line;
  std::optional<std::string> v1_path, v2_path;
  while (std::getline(in, line)) {
    // "hierarchy-id:controllers:path"
    auto a = line.find(':');
    auto b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1);
    std::string path = line.substr(b + 1);
    if (line.compare(0, a, "0") == 0 && controllers.empty()) v2_path = path;
    std::istringstream names(controllers);
    std::string name;
    while (std::getline(names, name, ','))
      if (name == "memory") v1_path = path;
  }
  for (const Mount& m : cgroup_mounts(s.mountinfo)) {
    const auto& path = m.v2 ? v2_path : v1_path;
    if (!path) continue;
    // Path relative to the mount's root (a container may mount a sub-tree at the point).
    fs::path rel = fs::path(*path).lexically_relative(m.root);
    if (rel.empty() || *rel.begin() == "..") rel = fs::path(*path).relative_path();
    if (rel == ".") rel.clear();
    fs::path dir = m.point / rel;
    if (!fs::is_directory(dir)) continue;
    // Every mount that holds a path for us: on hybrid systems the v2 tree may lack the
    // memory controller (no memory.max anywhere) while v1 has it; levels without limit
    // files are skipped by the reader.
    for (fs::path p = dir;; p = p.parent_path()) {
      chain.push_back(p);
      if (p == m.point || p == p.parent_path()) break;
    }
  }
  return chain;
}

std::optional<std::uint64_t> status_field_kb(const fs::path& status, std::string_view key) {
  std::ifstream in(status);
  std::string name;
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0 || line.size() <= key.size() ||
        line[key.size()] != ':')
      continue;
    return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10) * 1024ULL;
  }
  return std::nullopt;
}

}  // namespace

MemorySources MemorySources::from_environment() {
  MemorySources s;
  if (const char* meminfo = std::getenv("SPECTRALBRAIN_MEMINFO"); meminfo && *meminfo)
    s.meminfo = meminfo;
  if (const char* dir = std::getenv("SPECTRALBRAIN_CGROUP_DIR"); dir && *dir) {
    if (std::string_view(dir) == "none")
      s.use_cgroup = false;
    else
      s.cgroup_dir = dir;
  }
  return s;
}

MemoryInfo ram_status(const MemorySources& sources) {
  MemoryInfo info;
  {
    std::ifstream in(sources.meminfo);
    if (!in) throw InputError(sources.meminfo.string(), "", "cannot read the memory status");
    std::optional<std::uint64_t> total, available, free_kb;
    std::string name;
    std::uint64_t value = 0;
    std::string unit;
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      if (!(fields >> name >> value)) continue;
      if (name == "MemTotal:") total = value * 1024;
      if (name == "MemAvailable:") available = value * 1024;
      if (name == "MemFree:") free_kb = value * 1024;
    }
    if (!total) throw InputError(sources.meminfo.string(), "MemTotal", "missing");
    info.meminfo_total = *total;
    // Kernels before 3.14 have no MemAvailable: MemFree is the cautious substitute.
    info.meminfo_available = available ? *available : free_kb.value_or(0);
  }
  info.total = info.meminfo_total;
  info.available = info.meminfo_available;

  if (sources.use_cgroup) {
    std::vector<fs::path> chain;
    if (!sources.cgroup_dir.empty())
      chain.push_back(sources.cgroup_dir);
    else
      chain = cgroup_chain(sources);
    // The tightest headroom over the chain: a job limit may sit on a parent of the task's
    // cgroup (SLURM puts the limit on the job or step, tasks below it).
    std::uint64_t best_headroom = kUnlimited;
    for (const fs::path& dir : chain) {
      auto level = read_cgroup_level(dir);
      if (!level || level->limit == kUnlimited) continue;
      const std::uint64_t headroom = level->limit - std::min(level->limit, level->usage);
      if (headroom < best_headroom) {
        best_headroom = headroom;
        info.cgroup_limit = level->limit;
        info.cgroup_usage = level->usage;
        info.cgroup = cat(level->v2 ? "v2 " : "v1 ", dir.string());
      }
    }
    if (info.cgroup_limit) {
      info.total = std::min(info.total, *info.cgroup_limit);
      info.available = std::min(info.available, best_headroom);
    }
  }
  info.available = std::min(info.available, info.total);
  info.used = info.total - info.available;
  info.percent = info.total ? 100.0 * static_cast<double>(info.used) / info.total : 0.0;
  return info;
}

std::uint64_t current_rss_bytes() noexcept {
  try {
    return status_field_kb("/proc/self/status", "VmRSS").value_or(0);
  } catch (...) {
    return 0;
  }
}

std::uint64_t peak_rss_bytes() noexcept {
  try {
    return status_field_kb("/proc/self/status", "VmHWM").value_or(0);
  } catch (...) {
    return 0;
  }
}

bool reset_peak_rss() noexcept {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (!f) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

std::optional<std::uint64_t> process_rss_bytes(long pid) noexcept {
  try {
    return status_field_kb(fs::path("/proc") / std::to_string(pid) / "status", "VmRSS");
  } catch (...) {
    return std::nullopt;
  }
}

std::uint64_t release_memory() noexcept {
  const std::uint64_t before = current_rss_bytes();
  malloc_trim(0);
  const std::uint64_t after = current_rss_bytes();
  return before > after ? before - after : 0;
}

std::size_t scalar_bytes(ScalarType type) noexcept {
  switch (type) {
    case ScalarType::float64:
    case ScalarType::int64:
      return 8;
    case ScalarType::float32:
    case ScalarType::int32:
      return 4;
    case ScalarType::uint8:
      return 1;
  }
  return 8;
}

std::uint64_t estimate_array_bytes(std::span<const std::int64_t> shape, ScalarType type) {
  std::uint64_t bytes = scalar_bytes(type);
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0)
      throw InputError("estimate_array_bytes", cat("dimension ", i),
                       cat("negative size ", shape[i]));
    const auto d = static_cast<std::uint64_t>(shape[i]);
    if (d != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / d)
      throw InputError("estimate_array_bytes", cat("dimension ", i),
                       "the array's size overflows 64 bits");
    bytes *= d;
  }
  return bytes;
}

std::uint64_t estimate_array_bytes(std::initializer_list<std::int64_t> shape, ScalarType type) {
  return estimate_array_bytes(std::span<const std::int64_t>(shape.begin(), shape.size()), type);
}

std::vector<float> shrink_array(std::span<const double> values) {
  std::vector<float> out(values.size());
  constexpr double kMax = std::numeric_limits<float>::max();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    if (std::isfinite(v) && std::abs(v) > kMax)
      throw InputError("shrink_array", cat("element ", i),
                       cat("value ", v, " does not fit single precision"));
    out[i] = static_cast<float>(v);
  }
  return out;
}

BlockRange::BlockRange(std::int64_t begin, std::int64_t end, std::int64_t block_rows)
    : begin_(begin), end_(end), step_(block_rows) {
  if (end < begin) throw InputError("BlockRange", "", cat("end ", end, " is before begin ", begin));
  if (block_rows < 1)
    throw InputError("BlockRange", "", cat("block_rows = ", block_rows, ": must be >= 1"));
}

std::int64_t rows_per_block(std::uint64_t bytes_per_row, std::uint64_t budget_bytes) noexcept {
  if (bytes_per_row == 0) return std::numeric_limits<std::int32_t>::max();
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(budget_bytes / bytes_per_row));
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 5) {
    v /= 1024.0;
    ++u;
  }
  char text[32];
  if (u == 0)
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(text, sizeof text,
                  v < 10    ? "%.2f %s"
                  : v < 100 ? "%.1f %s"
                            : "%.0f %s",
                  v, units[u]);
  return text;
}

std::uint64_t parse_bytes(std::string_view text, std::string_view what) {
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const double number = std::strtod(s.c_str(), &end);
  auto bad = [&] {
    return InputError(std::string(what), "",
                      cat("'", s, "' is not a memory size (e.g. 4G, 3500M, 1.5GiB)"));
  };
  if (end == s.c_str() || errno != 0 || !(number >= 0) || !std::isfinite(number)) throw bad();
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  double scale = 1;
  if (unit.empty() || unit == "B")
    scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KIB")
    scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MIB")
    scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GIB")
    scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TB" || unit == "TIB")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else
    throw bad();
  const double bytes = number * scale;
  if (bytes > 1.8e19) throw bad();
  return static_cast<std::uint64_t>(std::llround(bytes));
}

MemoryGuard::MemoryGuard(std::string label, std::uint64_t minimum_available, Mode mode, Sink sink,
                         MemorySources sources)
    : label_(std::move(label)), sink_(std::move(sink)), sources_(std::move(sources)) {
  if (!sink_)
    sink_ = [](std::string_view m) {
      std::fprintf(stderr, "memory: %.*s\n", static_cast<int>(m.size()), m.data());
      std::fflush(stderr);
    };
  entry_ = ram_status(sources_);
  rss_entry_ = current_rss_bytes();
  satisfied_ = entry_.available >= minimum_available;
  if (!satisfied_) {
    const std::string message =
        cat(label_, ": needs ", format_bytes(minimum_available), " available, only ",
            format_bytes(entry_.available), " is",
            entry_.cgroup_limit ? cat(" (cgroup limit ", format_bytes(*entry_.cgroup_limit), ")")
                                : std::string());
    if (mode == Mode::raise) throw InsufficientMemory(message, minimum_available, entry_.available);
    sink_("warning: " + message);
  }
}

MemoryGuard::~MemoryGuard() {
  try {
    const MemoryInfo now = ram_status(sources_);
    const auto rss = static_cast<double>(current_rss_bytes());
    const double d_rss = rss - static_cast<double>(rss_entry_);
    const double d_avail =
        static_cast<double>(now.available) - static_cast<double>(entry_.available);
    auto signed_bytes = [](double d) {
      return (d < 0 ? "-" : "+") + format_bytes(static_cast<std::uint64_t>(std::abs(d)));
    };
    sink_(cat(label_, ": rss ", signed_bytes(d_rss), " (peak ", format_bytes(peak_rss_bytes()),
              "), available ", signed_bytes(d_avail), " (now ", format_bytes(now.available), ")"));
  } catch (...) {
  }
}

}  // namespace spectralbrain::core
