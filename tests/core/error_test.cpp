// The checking macros carry the library's own message, the call and the location.
#include <gtest/gtest.h>

#include "spectralbrain/core/error.hpp"
#include "spectralbrain/core/hdf5.hpp"
#include "spectralbrain/core/mpi.hpp"
#include "spectralbrain/core/petsc.hpp"

namespace sb = spectralbrain::core;

TEST(InputError, NamesFileRecordAndProblem) {
  sb::InputError e("lh.white", "face 12", "vertex index 99 out of range");
  EXPECT_STREQ(e.what(), "lh.white: face 12: vertex index 99 out of range");
  sb::InputError no_record("x.off", "", "empty file");
  EXPECT_STREQ(no_record.what(), "x.off: empty file");
}

TEST(PetscCheck, ThrowsWithPetscMessageAndCallSite) {
  sb::PVec v;
  SB_PETSC(VecCreateSeq(PETSC_COMM_SELF, 3, v.out()));
  try {
    // Checked even in PETSc's optimised build: a required options file that is missing.
    SB_PETSC(PetscOptionsInsertFile(PETSC_COMM_SELF, nullptr, "/no/such/file.opts", PETSC_TRUE));
    FAIL() << "expected an exception";
  } catch (const sb::LibraryError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("PETSc error"), std::string::npos) << what;
    EXPECT_NE(what.find("PetscOptionsInsertFile"), std::string::npos) << what;
    EXPECT_NE(what.find("error_test.cpp"), std::string::npos) << what;
    EXPECT_NE(what.find("/no/such/file.opts"), std::string::npos) << what;  // PETSc's message
  }
  // The handle still works after the error: the wrapper destroyed nothing early.
  PetscInt n = 0;
  SB_PETSC(VecGetSize(v.get(), &n));
  EXPECT_EQ(n, 3);
}

TEST(PetscObject, MoveTransfersOwnership) {
  sb::PVec a;
  SB_PETSC(VecCreateSeq(PETSC_COMM_SELF, 4, a.out()));
  Vec raw = a.get();
  sb::PVec b(std::move(a));
  EXPECT_FALSE(a);
  EXPECT_EQ(b.get(), raw);
}

TEST(MpiCheck, ThrowsWithMpiMessage) {
  int value = 0;
  EXPECT_THROW(SB_MPI(MPI_Bcast(&value, 1, MPI_INT, 1 << 20, MPI_COMM_WORLD)), sb::LibraryError);
}

TEST(Hdf5Check, ThrowsWithHdf5Stack) {
  try {
    SB_HDF5(H5Fopen("/nonexistent/dir/file.h5", H5F_ACC_RDONLY, H5P_DEFAULT));
    FAIL() << "expected an exception";
  } catch (const sb::LibraryError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("HDF5 error"), std::string::npos) << what;
    EXPECT_NE(what.find("H5Fopen"), std::string::npos) << what;
  }
}

TEST(Comm, SplitGivesPrivateCommunicator) {
  sb::Comm self = sb::Comm::split(MPI_COMM_WORLD, sb::rank(MPI_COMM_WORLD), 0);
  EXPECT_EQ(sb::size(self.get()), 1);
  EXPECT_EQ(sb::rank(self.get()), 0);
}
