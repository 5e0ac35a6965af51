// sha256_file against published digests and against the system's sha256sum.
#include "spectralbrain/io/sha256.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "spectralbrain/core/error.hpp"

namespace fs = std::filesystem;
namespace io = spectralbrain::io;
namespace core = spectralbrain::core;

namespace {
class Sha256 : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sb-sha256-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  fs::path dir_;
};
}  // namespace

TEST_F(Sha256, KnownDigests) {
  // FIPS 180-2 example "abc" and the empty message.
  EXPECT_EQ(io::sha256_file(write("abc", "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(io::sha256_file(write("empty", "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(Sha256, MatchesSha256sumAcrossBufferBoundaries) {
  // 3 MiB + 17 bytes: several full 1 MiB reads and a partial one.
  std::mt19937 bits(7);
  std::string bytes(3 * (1 << 20) + 17, '\0');
  for (auto& c : bytes) c = static_cast<char>(bits() & 0xff);
  const fs::path p = write("random.bin", bytes);

  std::FILE* pipe = ::popen(("/usr/bin/sha256sum '" + p.string() + "'").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, pipe), nullptr);
  ASSERT_EQ(::pclose(pipe), 0);
  EXPECT_EQ(io::sha256_file(p), std::string(line, 64));
}

TEST_F(Sha256, UnreadableFileIsNamed) {
  const fs::path missing = dir_ / "no-such-mesh.white";
  try {
    io::sha256_file(missing);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.file(), missing.string());
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
  try {
    io::sha256_file(dir_);
    FAIL() << "expected InputError";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.file(), dir_.string());
    EXPECT_NE(std::string(e.what()).find("folder"), std::string::npos) << e.what();
  }
}
