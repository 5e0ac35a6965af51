#!/usr/bin/python3
"""The executable's transparent-huge-page set-up (core/huge_pages.hpp), seen from outside.

Where the kernel runs THP in madvise mode, every spectralbrain process of a large-memory command
must be running with glibc.malloc.hugetlb=1 (it re-executes itself with the tunable), at 1 and 2
ranks; SPECTRALBRAIN_HUGE_PAGES=0, or a tunable the user set, must leave it alone. The
expectation comes from the kernel's own sysfs file. The premise is checked too: on this machine
a process started with the tunable really gets huge pages for a large block, and one without
does not (else the re-execution would buy nothing).

usage: huge_pages_cli_test.py SPECTRALBRAIN MPIEXEC
"""
import os
import re
import subprocess
import sys

BIN, MPIEXEC = sys.argv[1], sys.argv[2]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def info(env_extra, np_=1):
    env = dict(os.environ)
    env.pop("GLIBC_TUNABLES", None)
    env.pop("SPECTRALBRAIN_HUGE_PAGES", None)
    env.update(env_extra)
    cmd = [MPIEXEC, "-n", str(np_), "--oversubscribe", BIN, "info"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    check(r.returncode == 0, f"info exited {r.returncode}: {r.stderr}")
    line = [l for l in r.stdout.splitlines() if l.strip().startswith("pages")]
    check(len(line) == 1, f"one 'pages' line expected in:\n{r.stdout}")
    return line[0] if line else ""


try:
    with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
        mode = re.search(r"\[(\w+)\]", f.read()).group(1)
except OSError:
    mode = None
print("kernel THP mode:", mode)

default = info({})
default2 = info({}, np_=2)
opted_out = info({"SPECTRALBRAIN_HUGE_PAGES": "0"})
user_set = info({"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"})
if mode == "madvise":
    check("malloc asks for them (glibc.malloc.hugetlb=1)" in default, f"default run: {default}")
    check("malloc asks for them (glibc.malloc.hugetlb=1)" in default2, f"2 ranks: {default2}")
    check("not used (SPECTRALBRAIN_HUGE_PAGES=0)" in opted_out, f"opted out: {opted_out}")
    # A user's own setting wins: glibc.malloc.hugetlb=0 is kept, not overridden.
    check("not used by malloc (glibc.malloc.hugetlb=0)" in user_set, f"user's tunable: {user_set}")
    # The premise: glibc honours the tunable (a 64 MiB block, every page touched).
    probe = ("b = bytearray(64 << 20)\n"
             "for i in range(0, len(b), 4096): b[i] = 1\n"
             "print([int(l.split()[1]) for l in open('/proc/self/smaps_rollup')"
             " if l.startswith('AnonHugePages')][0])")

    def huge_kib(tunables):
        env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
        if tunables:
            env["GLIBC_TUNABLES"] = tunables
        r = subprocess.run(["/usr/bin/python3", "-c", probe], capture_output=True, text=True,
                           timeout=60, env=env)
        return int(r.stdout.strip() or -1)

    with_tunable, without = huge_kib("glibc.malloc.hugetlb=1"), huge_kib(None)
    print(f"AnonHugePages of a 64 MiB block: {with_tunable} KiB with the tunable, {without} without")
    check(with_tunable >= 32 * 1024, f"glibc gave {with_tunable} KiB of huge pages with the tunable")
    check(without < with_tunable, f"{without} KiB without the tunable, {with_tunable} with")
elif mode == "always":
    check("used for all memory" in default, f"THP always: {default}")
elif mode == "never":
    check("not used" in default, f"THP never: {default}")
else:
    check("no transparent huge pages" in default, f"no THP: {default}")

print(f"{0 if failures else 1} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
