// Stage timing adds up repeated entries and keeps first-entered order.
#include <gtest/gtest.h>

#include <thread>

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
