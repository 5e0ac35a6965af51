#!/usr/bin/python3
"""Driver of runs/bench/descriptors/run: synthetic kernel timings per block size, then the
real eigen + descriptors runs on the 163,842-vertex surface; prints a summary. Whole-run
wall time and peak resident memory come from GNU time (/usr/bin/time); stage seconds from
the subject file's wall_seconds_* attributes."""
import argparse
import os
import subprocess
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gnu_time import stages, timed  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--k", type=int, default=300)
    p.add_argument("--times", type=int, default=100)
    p.add_argument("--ranks", default="1")
    p.add_argument("--blocks", default="1024 4096 16384")
    p.add_argument("--no-solve", action="store_true", help="synthetic kernels only")
    args = p.parse_args()
    build = os.environ.get("SB_BUILD_DIR", os.path.join(args.root, "build"))
    out = os.path.join(args.root, "runs", "bench", "out", "descriptors")
    os.makedirs(out, exist_ok=True)
    log = os.path.join(out, "bench.log")
    n = 163842
    load = open("/proc/loadavg").read().split()[:3]
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(load)} (shared: expect noise)")

    print(f"\n1. kernels on synthetic eigenpairs, N={n}, k={args.k}, T=E={args.times}, one rank")
    for block in args.blocks.split():
        wall, rss, text = timed([os.path.join(build, "runs", "bench", "descriptors",
                                              "descriptors_bench"), str(n), str(args.k),
                                 str(args.times), block], log)
        print(text.rstrip())
        print(f"   whole process: {wall:.1f} s, peak {rss:.0f} MiB")
    if args.no_solve:
        return

    mesh = os.path.join(args.root, "runs", "bench", "out", "eigen", "lh.pial.163842.off")
    if not os.path.exists(mesh):
        mesh = os.path.join(out, "lh.pial.163842.off")
    if not os.path.exists(mesh):
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "..", "eigen", "refine_mesh.py"),
                        os.path.join(args.root, "tests", "data", "meshes", "fsaverage5",
                                     "lh.pial"), mesh, "--times", "2"], check=True)
    binary = os.path.join(build, "spectralbrain")
    descriptors = "shapedna,hks,wks,gps"
    print(f"\n2. the real pipeline on {mesh}, --descriptors {descriptors}")
    for np_ in map(int, args.ranks.split()):
        h5 = os.path.join(out, f"sb_k{args.k}_np{np_}.h5")
        wall, rss, _ = timed(["mpirun", "-n", str(np_), binary, "eigen", "--mesh", mesh, "--k",
                              str(args.k), "--hks-times", str(args.times), "--wks-energies",
                              str(args.times), "--descriptors", descriptors, "--output", h5], log)
        s = stages(h5)
        solve = s.get("factor", 0) + s.get("solve", 0) + s.get("count", 0)
        print(f"eigen np={np_}: whole run {wall:.1f} s, peak {rss:.0f} MiB; stages "
              + ", ".join(f"{k} {v:.2f}" for k, v in s.items()))
        print(f"   descriptors {s['descriptors']:.2f} s = {100 * s['descriptors'] / solve:.1f}% of "
              f"the eigensolve (factor + solve + count = {solve:.1f} s)")
        again = os.path.join(out, f"recomputed_np{np_}.h5")
        wall, rss, _ = timed(["mpirun", "-n", str(np_), binary, "descriptors", "--input", h5,
                              "--output", again, "--descriptors", descriptors, "--hks-times",
                              str(args.times), "--wks-energies", str(args.times)], log)
        print(f"descriptors np={np_} (from the file, no solve): whole run {wall:.1f} s, "
              f"peak {rss:.0f} MiB; descriptors stage {stages(again)['descriptors']:.2f} s; "
              f"eigenvectors alone are {n * args.k * 8 / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
