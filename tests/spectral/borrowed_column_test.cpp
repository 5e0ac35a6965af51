// BorrowedColumn: a column left by an exception is given back, so the BV stays usable.
#include <gtest/gtest.h>

#include <stdexcept>

#include "spectralbrain/core/petsc.hpp"
#include "spectralbrain/spectral/borrowed_column.hpp"

namespace {

using spectralbrain::spectral::BorrowedColumn;
using PBV = spectralbrain::core::PetscObject<BV, BVDestroy>;

PBV make_bv(PetscInt rows, PetscInt cols) {
  PBV bv;
  SB_PETSC(BVCreate(PETSC_COMM_WORLD, bv.out()));
  SB_PETSC(BVSetSizes(bv.get(), rows, PETSC_DECIDE, cols));
  SB_PETSC(BVSetType(bv.get(), BVSVEC));
  SB_PETSC(BVSetFromOptions(bv.get()));
  return bv;
}

TEST(BorrowedColumn, WritesReachTheBv) {
  PBV bv = make_bv(5, 3);
  {
    BorrowedColumn column(bv.get(), 1);
    SB_PETSC(VecSet(column.get(), 2.0));
    column.give_back();
    EXPECT_EQ(column.get(), nullptr);
  }
  PetscReal norm = 0;
  SB_PETSC(BVNormColumn(bv.get(), 1, NORM_INFINITY, &norm));
  EXPECT_EQ(norm, 2.0);
}

// SLEPc lends at most two columns at once: without the guard, the third borrow after two
// scopes left by exceptions would fail ("too many requested columns").
TEST(BorrowedColumn, AnExceptionGivesTheColumnBack) {
  PBV bv = make_bv(5, 4);
  for (PetscInt j = 0; j < 3; ++j) {
    EXPECT_THROW(
        {
          BorrowedColumn column(bv.get(), j);
          SB_PETSC(VecSet(column.get(), 1.0 + j));
          throw std::runtime_error("fill failed");
        },
        std::runtime_error);
  }
  BorrowedColumn last(bv.get(), 3);
  SB_PETSC(VecSet(last.get(), 7.0));
  last.give_back();
  for (PetscInt j = 0; j < 4; ++j) {
    PetscReal norm = 0;
    SB_PETSC(BVNormColumn(bv.get(), j, NORM_INFINITY, &norm));
    EXPECT_EQ(norm, j < 3 ? 1.0 + j : 7.0) << "column " << j;
  }
}

}  // namespace
