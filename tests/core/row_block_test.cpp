// core::row_block: the same blocks as PETSc's own split on this communicator, and for any
// size contiguous blocks in rank order that cover every row once, sizes differing by at most
// one with the larger blocks first.
#include <gtest/gtest.h>
#include <petscsys.h>

#include <cstdint>
#include <string>

#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"

namespace {

using spectralbrain::core::row_block;

TEST(RowBlock, MatchesPetscSplitOwnershipOnThisCommunicator) {
  const MPI_Comm comm = PETSC_COMM_WORLD;
  const int rank = spectralbrain::core::rank(comm), size = spectralbrain::core::size(comm);
  for (const PetscInt n : {0, 1, 2, 5, 7, 163842}) {
    PetscInt local = PETSC_DECIDE, global = n;
    SB_PETSC(PetscSplitOwnership(comm, &local, &global));
    PetscInt begin = 0;
    SB_MPI(MPI_Exscan(&local, &begin, 1, MPIU_INT, MPI_SUM, comm));
    if (rank == 0) begin = 0;  // MPI_Exscan leaves rank 0's result undefined
    const auto block = row_block(n, rank, size);
    EXPECT_EQ(block.count, local) << "n " << n;
    EXPECT_EQ(block.begin, begin) << "n " << n;
  }
}

TEST(RowBlock, ContiguousBalancedCoveringBlocks) {
  for (const std::int64_t n : {0LL, 1LL, 2LL, 5LL, 7LL, 64LL, 163842LL, 3000000000LL})
    for (const int size : {1, 2, 3, 4, 7, 64, 1000}) {
      std::int64_t next = 0, previous = -1;
      for (int rank = 0; rank < size; ++rank) {
        const auto block = row_block(n, rank, size);
        const std::string where = "n " + std::to_string(n) + ", " + std::to_string(size) +
                                  " ranks, rank " + std::to_string(rank);
        EXPECT_EQ(block.begin, next) << where;
        EXPECT_GE(block.count, n / size) << where;
        EXPECT_LE(block.count, n / size + 1) << where;
        if (previous >= 0) {
          EXPECT_LE(block.count, previous) << where;
        }
        previous = block.count;
        next += block.count;
      }
      EXPECT_EQ(next, n) << "n " << n << ", " << size << " ranks";
    }
}

}  // namespace
