// A column of a SLEPc BV borrowed as a Vec, given back however the scope is left.
#pragma once

#include <slepcbv.h>

#include "spectralbrain/core/petsc.hpp"

namespace spectralbrain::spectral {

/// One column of a BV, borrowed as a Vec (BVGetColumn) and given back (BVRestoreColumn) by
/// give_back() or, if an exception leaves the scope first, by the destructor. SLEPc lends at
/// most two columns at a time, so columns left out by errors would make later borrows from
/// the same BV fail with an unrelated error ("too many requested columns").
class BorrowedColumn {
 public:
  BorrowedColumn(BV bv, PetscInt j) : bv_(bv), j_(j) { SB_PETSC(BVGetColumn(bv_, j_, &column_)); }
  BorrowedColumn(const BorrowedColumn&) = delete;
  BorrowedColumn& operator=(const BorrowedColumn&) = delete;
  ~BorrowedColumn() {
    if (column_) (void)BVRestoreColumn(bv_, j_, &column_);  // unwinding: the first error stands
  }
  Vec get() const { return column_; }
  /// Gives the column back now, reporting an error (the destructor cannot).
  void give_back() {
    Vec column = column_;
    column_ = nullptr;
    SB_PETSC(BVRestoreColumn(bv_, j_, &column));
  }

 private:
  BV bv_;
  PetscInt j_;
  Vec column_ = nullptr;
};

}  // namespace spectralbrain::spectral
