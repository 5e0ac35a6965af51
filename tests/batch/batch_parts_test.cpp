// The batch engine's parts: status log and history, memory model and header peeks,
// canonical PETSc options, closed surfaces, and the node memory ledger (1 and 2 ranks).
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "batch_test_util.hpp"
#include "spectralbrain/batch/cohort_table.hpp"
#include "spectralbrain/batch/memory_model.hpp"
#include "spectralbrain/batch/node_memory.hpp"
#include "spectralbrain/batch/resume.hpp"
#include "spectralbrain/batch/status_log.hpp"
#include "spectralbrain/batch/stop_signal.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/mesh/primitives.hpp"
#include "spectralbrain/mesh/read.hpp"

namespace sb = spectralbrain;
namespace batch = sb::batch;
using batch::testing::ScratchDir;
using batch::testing::write_text;

namespace {
const std::filesystem::path kMeshes = std::filesystem::path(SB_TEST_DATA_DIR) / "meshes";
constexpr std::uint64_t MiB = 1024 * 1024;
}  // namespace

TEST(StatusLog, LinesAreWholeJsonAndHistoryCountsRunsThatDied) {
  ScratchDir dir("status_log");
  const auto file = dir / "log.jsonl";
  {
    batch::StatusLog log(file, "run1");
    log.write({{"event", "run_started"}});
    log.write({{"event", "started"}, {"key", "a"}});
    log.write({{"event", "started"}, {"key", "b"}});
    log.write({{"event", "done"}, {"key", "a"}, {"reason", "x\ny\"z"}});
    // run1 is killed with b in flight
  }
  {
    batch::StatusLog log(file, "run2");
    log.write({{"event", "started"}, {"key", "b"}});
    log.write({{"event", "failed"}, {"key", "b"}, {"reason", "bad mesh"}});
    log.write({{"event", "started"}, {"key", "c"}});
  }
  std::ofstream(file, std::ios::app) << "{\"event\":\"done\",\"key\":\"c\",\"ti";  // cut line
  std::ifstream in(file);
  std::string line;
  int n = 0;
  while (std::getline(in, line) && n < 7) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("time") && j.contains("run") && j.contains("elapsed"));
    ++n;
  }
  EXPECT_EQ(n, 7);
  int bad = 0;
  const auto h = batch::read_history(file, &bad);
  EXPECT_EQ(bad, 1);
  EXPECT_EQ(h.at("a").died_in_flight, 0);
  EXPECT_EQ(h.at("a").last_event, "done");
  EXPECT_EQ(h.at("b").died_in_flight, 1);
  EXPECT_EQ(h.at("b").last_event, "failed");
  EXPECT_EQ(h.at("b").last_reason, "bad mesh");
  EXPECT_EQ(h.at("c").died_in_flight, 1);
  EXPECT_TRUE(batch::read_history(dir / "none.jsonl").empty());
}

TEST(MemoryModel, HeaderPeeksMatchTheMeshes) {
  struct Case {
    const char* file;
    std::int64_t n, f;
  } cases[] = {
      {"fsaverage5/lh.pial", 10242, 20480},
      {"fsaverage5/lh.white.surf.gii", 10242, 20480},
      {"conte69/conte69_5k_lh.surf.gii", 5000, 9996},
      {"hippocampus/tpl-avg_space-canonical_den-2mm_label-hipp_midthickness.surf.gii", 419, 774},
      {"icbm152_aseg/Left-Accumbens-area.surf", 882, 1760}};
  for (const auto& c : cases) {
    const auto size = batch::peek_mesh_size(kMeshes / c.file);
    EXPECT_EQ(size.n_vertices, c.n) << c.file;
    EXPECT_EQ(size.n_faces, c.f) << c.file;
    EXPECT_GT(size.file_bytes, 0u);
  }
  EXPECT_EQ(batch::peek_mesh_size(kMeshes / "none.surf").n_vertices, 0);
  ScratchDir dir("peek");
  write_text(dir / "a.off", "# c\nOFF\n4 2 0\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n3 0 1 2\n3 1 3 2\n");
  EXPECT_EQ(batch::peek_mesh_size(dir / "a.off").n_vertices, 4);
  write_text(dir / "junk.surf", "not a mesh");
  EXPECT_EQ(batch::peek_mesh_size(dir / "junk.surf").n_vertices, 0);
}

TEST(MemoryModel, GrowsWithSizeAndKAndShrinksWithRanks) {
  const batch::MeshSize small{10242, 20480, 0}, big{163842, 327680, 0};
  const auto a = batch::estimate_subject_memory(small, 20, 0, 1);
  const auto b = batch::estimate_subject_memory(big, 20, 0, 1);
  const auto c = batch::estimate_subject_memory(small, 100, 0, 1);
  const auto d = batch::estimate_subject_memory(big, 20, 0, 4);
  EXPECT_GT(b.per_rank, 10 * a.per_rank);
  EXPECT_GT(c.per_rank, a.per_rank);
  EXPECT_LT(d.per_rank, b.per_rank / 2);
  std::vector<std::string> names;
  for (const auto& part : a.parts) names.push_back(part.first);
  EXPECT_EQ(names, (std::vector<std::string>{"mesh", "operators", "factor", "krylov",
                                             "eigenvectors", "collect"}));
  // Measured peak RSS growth of one solve (batch status log, this machine): fsaverage5 k=20
  // 27-29 MiB; icosphere(7) k=20 446 MiB, k=100 648 MiB. The estimate must not be below.
  EXPECT_GE(a.per_rank, 29 * MiB);
  EXPECT_GE(b.per_rank, 446 * MiB);
  EXPECT_GE(batch::estimate_subject_memory(big, 100, 0, 1).per_rank, 648 * MiB);
  EXPECT_LE(b.per_rank, 4 * 446 * MiB);
}

TEST(Resume, CanonicalOptionsIgnoreOrderViewersAndAppOptions) {
  const std::string a =
      "--k 20 --manifest m.tsv -eps_tol 1e-10 -st_type sinvert -eps_view -log_view -eps_purify 1 "
      "-eps_target -0.01";
  const std::string b =
      "-eps_purify 1 -st_type sinvert -eps_target -0.01 -eps_tol 1e-10 --k 30 "
      "-eps_monitor -options_left";
  EXPECT_EQ(batch::canonical_petsc_options(a), batch::canonical_petsc_options(b));
  EXPECT_EQ(batch::canonical_petsc_options(a),
            "-eps_purify 1 -eps_target -0.01 -eps_tol 1e-10 -st_type sinvert");
  EXPECT_NE(batch::canonical_petsc_options(a), batch::canonical_petsc_options("-eps_tol 1e-8"));
}

TEST(CohortTable, ClosedAndOrientedSurfaces) {
  EXPECT_TRUE(batch::closed_and_oriented(sb::mesh::icosphere(2)));
  EXPECT_FALSE(batch::closed_and_oriented(sb::mesh::rectangle(1, 1, 4, 4)));
  auto flipped = sb::mesh::icosphere(1);
  std::swap(flipped.faces[0][1], flipped.faces[0][2]);
  EXPECT_FALSE(batch::closed_and_oriented(flipped));
  EXPECT_TRUE(batch::closed_and_oriented(sb::mesh::read_mesh(kMeshes / "fsaverage5/lh.pial")));
}

TEST(NodeMemory, PoliciesParseAndReservationsAreShared) {
  EXPECT_EQ(batch::parse_low_memory_policy("skip", "--on-low-memory"),
            batch::LowMemoryPolicy::skip);
  EXPECT_THROW(batch::parse_low_memory_policy("maybe", "--on-low-memory"), sb::core::InputError);

  const MPI_Comm world = MPI_COMM_WORLD;
  ScratchDir dir("node_memory", world);
  if (sb::core::rank(world) == 0)
    write_text(dir / "meminfo",
               "MemTotal: 1048576 kB\nMemAvailable: 102400 kB\n");  // 1 GiB, 100 MiB
  MPI_Barrier(world);
  batch::MemoryPolicy policy;
  policy.sources.meminfo = dir / "meminfo";
  policy.sources.use_cgroup = false;
  policy.min_available = 10 * MiB;
  policy.max_per_rank = 500 * MiB;
  batch::NodeMemory node(world, policy);
  EXPECT_EQ(node.ranks_on_node(), sb::core::size(world));  // one machine

  EXPECT_EQ(node.try_reserve(600 * MiB).fit, batch::Fit::never);  // above the per-rank cap
  auto check = node.try_reserve(2000 * MiB);
  EXPECT_EQ(check.fit, batch::Fit::never);  // above the node's total
  check = node.try_reserve(95 * MiB);       // 100 available - 10 kept
  EXPECT_EQ(check.fit, batch::Fit::not_now);
  EXPECT_NE(check.reason.find("free"), std::string::npos) << check.reason;

  // Rank 0 reserves 60 MiB; rank 1 then sees 100 - 60 - 10 = 30 MiB free (this process's RSS
  // does not grow, so the whole reservation counts).
  if (sb::core::rank(world) == 0) {
    EXPECT_EQ(node.try_reserve(60 * MiB).fit, batch::Fit::fits);
  }
  MPI_Barrier(world);
  if (sb::core::rank(world) == 1) {
    EXPECT_EQ(node.try_reserve(40 * MiB).fit, batch::Fit::not_now);
    EXPECT_EQ(node.try_reserve(25 * MiB).fit, batch::Fit::fits);
    node.release();
  }
  MPI_Barrier(world);
  if (sb::core::rank(world) == 0) node.release();
  MPI_Barrier(world);
  // Everything released: each rank in turn may take all that is free; at the same time, only
  // one of them could.
  for (int r = 0; r < sb::core::size(world); ++r) {
    if (sb::core::rank(world) == r) {
      EXPECT_EQ(node.try_reserve(85 * MiB).fit, batch::Fit::fits);
      node.release();
    }
    MPI_Barrier(world);
  }
}

TEST(StopSignals, FirstSignalSetsTheFlag) {
  batch::StopSignals::reset();
  {
    batch::StopSignals signals;
    EXPECT_FALSE(batch::StopSignals::requested());
    std::raise(SIGUSR1);
    EXPECT_TRUE(batch::StopSignals::requested());
    EXPECT_EQ(batch::StopSignals::signal_number(), SIGUSR1);
  }
  batch::StopSignals::reset();
}
