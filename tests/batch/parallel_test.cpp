// core/parallel.hpp at 1 and 2 ranks: results in item order, root or all, errors agreed.
#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/parallel.hpp"

namespace core = spectralbrain::core;

TEST(ParallelMap, ResultsInItemOrderOnTheRoot) {
  const MPI_Comm comm = MPI_COMM_WORLD;
  for (std::int64_t n : {0, 1, 2, 7, 100}) {
    std::vector<int> ran_on(static_cast<std::size_t>(n), -1);
    const auto squares = core::parallel_map(comm, n, [&](std::int64_t i) {
      ran_on[static_cast<std::size_t>(i)] = core::rank(comm);
      return i * i;
    });
    if (core::rank(comm) == 0) {
      ASSERT_EQ(squares.size(), static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i) EXPECT_EQ(squares[i], i * i);
    } else {
      EXPECT_TRUE(squares.empty());
    }
    // Cyclic: item i on rank i mod size.
    for (std::int64_t i = 0; i < n; ++i) {
      if (ran_on[i] >= 0) {
        EXPECT_EQ(ran_on[i], i % core::size(comm));
      }
    }
  }
}

TEST(ParallelMap, StringsAndVectorsToAll) {
  const std::vector<std::string> items = {"a", "", "ccc", "dddd", "e"};
  const auto upper = core::parallel_map(
      MPI_COMM_WORLD, items, [](const std::string& s) { return s + "!" + s; }, {.to_all = true});
  ASSERT_EQ(upper.size(), items.size());
  EXPECT_EQ(upper[2], "ccc!ccc");
  EXPECT_EQ(upper[1], "!");
  const auto vecs = core::parallel_map(
      MPI_COMM_WORLD, std::int64_t{4},
      [](std::int64_t i) { return std::vector<double>(static_cast<std::size_t>(i), 0.5 * i); },
      {.to_all = true});
  ASSERT_EQ(vecs.size(), 4u);
  EXPECT_EQ(vecs[3], std::vector<double>(3, 1.5));
  EXPECT_TRUE(vecs[0].empty());
}

TEST(ParallelMap, AnErrorOnOneRankIsThrownOnEveryRank) {
  const int size = core::size(MPI_COMM_WORLD);
  try {
    core::parallel_map(MPI_COMM_WORLD, std::int64_t{6}, [&](std::int64_t i) -> int {
      if (i == size - 1) throw core::InputError("item.txt", "line 3", "broken");
      return 1;
    });
    FAIL() << "no exception";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("item.txt: line 3: broken"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(core::cat("(rank ", size - 1, ")")), std::string::npos);
  }
}

TEST(ParallelBatch, FillsRowsInBlocksAndGathers) {
  const std::int64_t n = 23, cols = 3;
  std::int64_t max_block = 0;
  const auto all = core::parallel_batch(
      MPI_COMM_WORLD, n, cols, 4, [&](core::Block rows, std::span<double> out) {
        max_block = std::max(max_block, rows.count);
        ASSERT_EQ(out.size(), static_cast<std::size_t>(rows.count * cols));
        for (std::int64_t j = 0; j < rows.count; ++j)
          for (std::int64_t c = 0; c < cols; ++c) out[j * cols + c] = 10.0 * (rows.begin + j) + c;
      });
  EXPECT_LE(max_block, 4);
  if (core::rank(MPI_COMM_WORLD) == 0) {
    ASSERT_EQ(all.size(), static_cast<std::size_t>(n * cols));
    for (std::int64_t r = 0; r < n; ++r)
      for (std::int64_t c = 0; c < cols; ++c) EXPECT_EQ(all[r * cols + c], 10.0 * r + c);
  }
  // Row split as PetscSplitOwnership: sizes differ by at most one, contiguous.
  std::int64_t next = 0;
  for (int r = 0; r < 3; ++r) {
    const auto b = core::owned_rows(10, r, 3);
    EXPECT_EQ(b.begin, next);
    next += b.count;
  }
  EXPECT_EQ(next, 10);
  EXPECT_THROW(core::parallel_batch(MPI_COMM_WORLD, 3, 1, 0, [](core::Block, std::span<double>) {}),
               core::InputError);
  EXPECT_THROW(core::parallel_batch(MPI_COMM_WORLD, 4, 1, 1,
                                    [](core::Block b, std::span<double>) {
                                      if (b.begin == 3) throw core::Error("row 3");
                                    }),
               core::Error);
}
