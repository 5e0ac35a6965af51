// Helpers for the batch unit tests: a scratch folder and small files in it.
#pragma once

#include <mpi.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace spectralbrain::batch::testing {

/// A fresh folder under the system temp folder, the same on every rank (rank 0's pid),
/// removed on destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name, MPI_Comm comm = MPI_COMM_SELF) {
    long pid = getpid();
    MPI_Bcast(&pid, 1, MPI_LONG, 0, comm);
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    path_ = std::filesystem::temp_directory_path() /
            ("sb_batch_" + name + "_" + std::to_string(pid) + "_" +
             (comm == MPI_COMM_SELF ? std::to_string(getpid()) : std::string("w")));
    if (rank == 0) {
      std::filesystem::remove_all(path_);
      std::filesystem::create_directories(path_);
    }
    MPI_Barrier(comm);
    comm_ = comm;
  }
  ~ScratchDir() {
    MPI_Barrier(comm_);
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    std::error_code ec;
    if (rank == 0) std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
  MPI_Comm comm_ = MPI_COMM_SELF;
};

/// Writes `text` to `file`.
inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

}  // namespace spectralbrain::batch::testing
