// core/memory.hpp: ram_status from fake meminfo and cgroup files (v1, v2, discovery through
// /proc/self/cgroup and mountinfo), sizes, shrink_array, blocks, MemoryGuard, RSS.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "batch_test_util.hpp"
#include "spectralbrain/core/memory.hpp"

namespace sb = spectralbrain;
using sb::batch::testing::ScratchDir;
using sb::batch::testing::write_text;
namespace core = sb::core;

namespace {
constexpr std::uint64_t MiB = 1024 * 1024;
core::MemorySources fake_meminfo(const ScratchDir& dir, std::uint64_t total_mib,
                                 std::uint64_t avail_mib) {
  write_text(dir / "meminfo", "MemTotal:       " + std::to_string(total_mib * 1024) +
                                  " kB\nMemFree:        1000 kB\nMemAvailable:   " +
                                  std::to_string(avail_mib * 1024) + " kB\n");
  core::MemorySources s;
  s.meminfo = dir / "meminfo";
  s.use_cgroup = false;
  return s;
}
}  // namespace

TEST(RamStatus, MemAvailableAlone) {
  ScratchDir dir("ram_meminfo");
  const auto info = core::ram_status(fake_meminfo(dir, 1000, 250));
  EXPECT_EQ(info.total, 1000 * MiB);
  EXPECT_EQ(info.available, 250 * MiB);
  EXPECT_EQ(info.used, 750 * MiB);
  EXPECT_DOUBLE_EQ(info.percent, 75.0);
  EXPECT_FALSE(info.cgroup_limit);
}

TEST(RamStatus, CgroupV2LimitIsTighterAndCacheIsReclaimable) {
  ScratchDir dir("ram_v2");
  auto s = fake_meminfo(dir, 1000, 900);
  write_text(dir / "cg/memory.max", std::to_string(400 * MiB) + "\n");
  write_text(dir / "cg/memory.current", std::to_string(300 * MiB) + "\n");
  write_text(dir / "cg/memory.stat", "anon 1\ninactive_file " + std::to_string(50 * MiB) + "\n");
  s.use_cgroup = true;
  s.cgroup_dir = dir / "cg";
  const auto info = core::ram_status(s);
  EXPECT_EQ(info.total, 400 * MiB);
  EXPECT_EQ(info.available, 150 * MiB);  // 400 - (300 - 50)
  ASSERT_TRUE(info.cgroup_limit);
  EXPECT_EQ(*info.cgroup_limit, 400 * MiB);
  EXPECT_EQ(info.cgroup.rfind("v2 ", 0), 0u);
  // "max": no limit.
  write_text(dir / "cg/memory.max", "max\n");
  EXPECT_EQ(core::ram_status(s).available, 900 * MiB);
}

TEST(RamStatus, CgroupV1) {
  ScratchDir dir("ram_v1");
  auto s = fake_meminfo(dir, 1000, 900);
  write_text(dir / "cg/memory.limit_in_bytes", std::to_string(200 * MiB));
  write_text(dir / "cg/memory.usage_in_bytes", std::to_string(180 * MiB));
  write_text(dir / "cg/memory.stat", "cache 5\ntotal_inactive_file " + std::to_string(30 * MiB));
  s.use_cgroup = true;
  s.cgroup_dir = dir / "cg";
  const auto info = core::ram_status(s);
  EXPECT_EQ(info.available, 50 * MiB);
  EXPECT_EQ(info.cgroup.rfind("v1 ", 0), 0u);
  // v1 "unlimited" is a huge number.
  write_text(dir / "cg/memory.limit_in_bytes", "9223372036854771712");
  EXPECT_FALSE(core::ram_status(s).cgroup_limit);
}

TEST(RamStatus, DiscoversTheProcessCgroupAndTakesTheTightestAncestor) {
  ScratchDir dir("ram_discover");
  auto s = fake_meminfo(dir, 1000, 900);
  // v2: the job's limit sits on a parent of the task's cgroup, as SLURM does.
  const auto root = dir / "sys/fs/cgroup";
  write_text(root / "job_7/memory.max", std::to_string(300 * MiB));
  write_text(root / "job_7/memory.current", std::to_string(100 * MiB));
  write_text(root / "job_7/step_0/task_1/memory.max", "max");
  write_text(root / "job_7/step_0/task_1/memory.current", std::to_string(10 * MiB));
  write_text(dir / "cgroup", "0::/job_7/step_0/task_1\n");
  write_text(dir / "mountinfo", "30 1 0:26 / " + root.string() +
                                    " rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n");
  s.use_cgroup = true;
  s.proc_cgroup = dir / "cgroup";
  s.mountinfo = dir / "mountinfo";
  auto info = core::ram_status(s);
  EXPECT_EQ(info.available, 200 * MiB);
  EXPECT_NE(info.cgroup.find("job_7"), std::string::npos) << info.cgroup;

  // v1 with a mount whose root is a sub-tree (a container).
  const auto v1 = dir / "v1mem";
  write_text(v1 / "slurm/uid_0/job_8/memory.limit_in_bytes", std::to_string(500 * MiB));
  write_text(v1 / "slurm/uid_0/job_8/memory.usage_in_bytes", std::to_string(100 * MiB));
  write_text(dir / "cgroup", "4:memory:/docker/abc/slurm/uid_0/job_8\n1:cpu:/\n");
  write_text(dir / "mountinfo",
             "40 1 0:30 /docker/abc " + v1.string() + " rw shared:9 - cgroup cgroup rw,memory\n");
  info = core::ram_status(s);
  EXPECT_EQ(info.available, 400 * MiB);
}

TEST(RamStatus, MissingMeminfoIsAnInputError) {
  core::MemorySources s;
  s.meminfo = "/nonexistent/meminfo";
  EXPECT_THROW(core::ram_status(s), core::InputError);
}

TEST(RamStatus, RealMachineIsPlausible) {
  const auto info = core::ram_status(core::MemorySources{});
  EXPECT_GT(info.total, 0u);
  EXPECT_LE(info.available, info.total);
  EXPECT_GT(core::current_rss_bytes(), 0u);
  EXPECT_GE(core::peak_rss_bytes(), core::current_rss_bytes() / 2);
}

TEST(Memory, PeakRssResetsAndSeesAnAllocation) {
  if (!core::reset_peak_rss()) GTEST_SKIP() << "no /proc/self/clear_refs";
  const auto before = core::current_rss_bytes();
  {
    std::vector<char> big(64 * MiB, 1);
    volatile char sink = big[big.size() / 2];
    (void)sink;
  }
  EXPECT_GE(core::peak_rss_bytes(), before + 60 * MiB);
  core::release_memory();
  core::reset_peak_rss();
  EXPECT_LT(core::peak_rss_bytes(), before + 60 * MiB);
}

TEST(Memory, ArrayBytesAndOverflow) {
  EXPECT_EQ(core::estimate_array_bytes({1000, 100}, core::ScalarType::float64), 800000u);
  EXPECT_EQ(core::estimate_array_bytes({1000, 100}, core::ScalarType::float32), 400000u);
  EXPECT_EQ(core::estimate_array_bytes({}, core::ScalarType::int32), 4u);
  EXPECT_THROW(core::estimate_array_bytes({-1, 3}, core::ScalarType::float64), core::InputError);
  EXPECT_THROW(core::estimate_array_bytes({1LL << 40, 1LL << 30}, core::ScalarType::float64),
               core::InputError);
}

TEST(Memory, ShrinkArrayRoundsAndRefusesOverflow) {
  const std::vector<double> v = {1.0 / 3.0, -2.5, 0.0, std::numeric_limits<double>::infinity()};
  const auto f = core::shrink_array(v);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], 1.0f / 3.0f);
  EXPECT_EQ(f[1], -2.5f);
  EXPECT_TRUE(std::isinf(f[3]));
  const std::vector<double> big = {1e39};
  EXPECT_THROW(core::shrink_array(big), core::InputError);
}

TEST(Memory, BlockRangeCoversTheRowsOnce) {
  std::int64_t covered = 0, n_blocks = 0, next = 3;
  core::BlockRange blocks(3, 25, 7);
  for (core::Block b : blocks) {
    EXPECT_EQ(b.begin, next);
    next += b.count;
    covered += b.count;
    ++n_blocks;
  }
  EXPECT_EQ(covered, 22);
  EXPECT_EQ(n_blocks, 4);
  EXPECT_EQ(blocks.size(), 4);
  EXPECT_EQ(core::BlockRange(5, 5, 3).size(), 0);
  EXPECT_THROW(core::BlockRange(5, 4, 1), core::InputError);
  EXPECT_EQ(core::rows_per_block(800, 8000), 10);
  EXPECT_EQ(core::rows_per_block(800, 10), 1);
}

TEST(Memory, ParseAndFormatBytes) {
  EXPECT_EQ(core::parse_bytes("4G", "x"), 4ULL << 30);
  EXPECT_EQ(core::parse_bytes("3500M", "x"), 3500ULL << 20);
  EXPECT_EQ(core::parse_bytes("1.5GiB", "x"), 3ULL << 29);
  EXPECT_EQ(core::parse_bytes("1048576", "x"), 1ULL << 20);
  EXPECT_EQ(core::parse_bytes("2 kb", "x"), 2048u);
  EXPECT_THROW(core::parse_bytes("lots", "--max-memory-per-rank"), core::InputError);
  EXPECT_THROW(core::parse_bytes("-1G", "x"), core::InputError);
  EXPECT_THROW(core::parse_bytes("4Q", "x"), core::InputError);
  EXPECT_EQ(core::format_bytes(17), "17 B");
  EXPECT_EQ(core::format_bytes(512 * MiB), "512 MiB");
  EXPECT_EQ(core::format_bytes(3 * MiB / 2), "1.50 MiB");
}

TEST(MemoryGuard, WarnsOrThrowsAndLogsTheDelta) {
  ScratchDir dir("guard");
  const auto s = fake_meminfo(dir, 1000, 100);
  std::vector<std::string> lines;
  auto sink = [&](std::string_view m) { lines.emplace_back(m); };
  {
    core::MemoryGuard guard("small", 50 * MiB, core::MemoryGuard::Mode::raise, sink, s);
    EXPECT_TRUE(guard.satisfied());
    EXPECT_EQ(guard.on_entry().available, 100 * MiB);
  }
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("small: rss "), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("available"), std::string::npos);
  lines.clear();
  {
    core::MemoryGuard guard("big", 200 * MiB, core::MemoryGuard::Mode::warn, sink, s);
    EXPECT_FALSE(guard.satisfied());
  }
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("warning: big: needs 200 MiB available, only 100 MiB"), std::string::npos)
      << lines[0];
  try {
    core::MemoryGuard guard("big", 200 * MiB, core::MemoryGuard::Mode::raise, sink, s);
    FAIL() << "no exception";
  } catch (const core::InsufficientMemory& e) {
    EXPECT_EQ(e.required(), 200 * MiB);
    EXPECT_EQ(e.available(), 100 * MiB);
  }
}
