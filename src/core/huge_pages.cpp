// Transparent huge pages for the process's memory (see the header).
#include "spectralbrain/core/huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace spectralbrain::core {

namespace {

constexpr const char* tunable = "glibc.malloc.hugetlb=1";

// The kernel's THP mode: "always", "madvise", "never", or "" if it has no THP.
std::string thp_mode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(in, line)) return "";
  const auto open = line.find('['), close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  return line.substr(open + 1, close - open - 1);
}

bool opted_out() {
  const char* opt = std::getenv("SPECTRALBRAIN_HUGE_PAGES");
  return opt && std::strcmp(opt, "0") == 0;
}

bool tunable_set() {
  const char* t = std::getenv("GLIBC_TUNABLES");
  return t && std::strstr(t, "glibc.malloc.hugetlb");
}

bool under_valgrind() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload && std::strstr(preload, "vgpreload");
}

}  // namespace

void use_huge_pages(char** argv) noexcept {
  try {
    if (opted_out() || tunable_set() || under_valgrind() || thp_mode() != "madvise") return;
    const char* old = std::getenv("GLIBC_TUNABLES");
    const std::string previous = old ? old : "";
    const std::string value = previous.empty() ? tunable : previous + ":" + tunable;
    if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
    // The resolved path, not /proc/self/exe: the process name (ps, top, pkill) comes from it.
    char self[4096];
    const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length > 0) {
      self[length] = '\0';
      execv(self, argv);
    }
    // exec failed: carry on as we are.
    if (old)
      setenv("GLIBC_TUNABLES", previous.c_str(), 1);
    else
      unsetenv("GLIBC_TUNABLES");
  } catch (...) {
  }
}

std::string huge_pages_status() {
  const std::string mode = thp_mode();
  if (mode.empty()) return "no transparent huge pages in this kernel";
  std::string s = "transparent huge pages: " + mode + " mode; ";
  if (mode == "always") return s + "used for all memory";
  if (mode == "never") return s + "not used";
  if (tunable_set()) {
    const std::string all = std::getenv("GLIBC_TUNABLES");
    const auto at = all.find("glibc.malloc.hugetlb=");
    if (at == std::string::npos) return s + "as GLIBC_TUNABLES says (" + all + ")";
    const std::string entry = all.substr(at, all.find(':', at) - at);
    return s +
           (entry == "glibc.malloc.hugetlb=0" ? "not used by malloc (" : "malloc asks for them (") +
           entry + ")";
  }
  if (opted_out()) return s + "not used (SPECTRALBRAIN_HUGE_PAGES=0)";
  return s + "not used by malloc";
}

}  // namespace spectralbrain::core
