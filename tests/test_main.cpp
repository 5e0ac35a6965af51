// The one GoogleTest main: MPI/PETSc/SLEPc initialised once, output on rank 0 only, and the
// exit status is the worst over all ranks so a failure on any rank fails the test.
#include <gtest/gtest.h>
#include <mpi.h>

#include "spectralbrain/core/runtime.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  spectralbrain::core::Runtime runtime(argc, argv);
  if (runtime.rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int local = RUN_ALL_TESTS();
  int worst = local;
  MPI_Allreduce(&local, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return worst;
}
