// Transparent huge pages for the process's memory.
//
// On the virtual machines we measured, the first touch of a fresh 4 KiB page is expensive:
// filling 1 GiB of new memory took 3.3 s, against 0.31 s when the region is backed by 2 MiB
// transparent huge pages (THP). A k = 300 solve on a 163,842-vertex surface touches about
// 1.3 GiB of new memory per rank (Krylov bases, factors, eigenvector blocks), and its system
// time fell from 9.6 s to 3.5 s with huge pages, the whole run from 28.4 s to 25.3 s
// (petsc_options/README.md). Most kernels (Debian's too) run THP in "madvise" mode, where
// only regions a program marks get huge pages; glibc 2.35+ marks its malloc heap and mmap'd
// chunks when started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, a setting it reads only at
// process start. So main() re-executes the program once with that tunable added, before MPI
// or anything else starts (same process ID, so mpirun and srun see nothing), for the commands
// that fill large arrays (eigen, batch, descriptors; and info, which reports the state): the
// second start costs 0.1-0.2 s, loading the large shared libraries again.
//
// Not done when THP is "always" (nothing to gain) or "never" (nothing to have), when the
// tunable is already set, under valgrind, or when SPECTRALBRAIN_HUGE_PAGES=0.
#pragma once

#include <string>

namespace spectralbrain::core {

/// Re-executes this program (the file /proc/self/exe points to, same arguments) with
/// glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES, if THP is in madvise mode and none of the
/// exceptions above holds. Call first thing in main(). Returns only if the program was not
/// re-executed (including when exec fails, which leaves the environment as it was).
void use_huge_pages(char** argv) noexcept;

/// One line for `spectralbrain info`: the kernel's THP mode and whether malloc asks for huge
/// pages in this process (glibc then backs its large blocks with them; the test checks that).
std::string huge_pages_status();

}  // namespace spectralbrain::core
