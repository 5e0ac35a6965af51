// Stage timing adds up repeated entries and keeps first-entered order.
#include <gtest/gtest.h>

#include <thread>

#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/stage.hpp"

using spectralbrain::core::StageTimer;

TEST(StageTimer, AccumulatesInOrder) {
  StageTimer timer;
  {
    auto s = timer.enter("read");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  { auto s = timer.enter("solve"); }
  {
    auto s = timer.enter("read");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(timer.seconds().size(), 2u);
  EXPECT_EQ(timer.seconds()[0].first, "read");
  EXPECT_EQ(timer.seconds()[1].first, "solve");
  EXPECT_GE(timer.seconds("read"), 0.035);
  EXPECT_EQ(timer.seconds("never"), 0.0);
}

TEST(StageTimer, SlowestRankSecondsAreEveryRanksMaximum) {
  // Rank r spends about 10·(r + 1) ms in "read": every rank must get the slowest rank's time,
  // the same value everywhere, and the stages in their own order.
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  StageTimer timer;
  {
    auto s = timer.enter("read");
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * (rank + 1)));
  }
  { auto s = timer.enter("solve"); }
  const auto slowest = timer.slowest_rank_seconds(MPI_COMM_WORLD);
  ASSERT_EQ(slowest.size(), 2u);
  EXPECT_EQ(slowest[0].first, "read");
  EXPECT_EQ(slowest[1].first, "solve");
  EXPECT_GE(slowest[0].second, timer.seconds("read"));
  EXPECT_GE(slowest[0].second, 0.009 * size);
  double low = slowest[0].second, high = slowest[0].second;
  MPI_Allreduce(MPI_IN_PLACE, &low, 1, MPI_DOUBLE, MPI_MIN, MPI_COMM_WORLD);
  MPI_Allreduce(MPI_IN_PLACE, &high, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  EXPECT_EQ(low, high);
  EXPECT_EQ(spectralbrain::core::max_over_ranks(static_cast<double>(rank), MPI_COMM_WORLD),
            static_cast<double>(size - 1));
}
