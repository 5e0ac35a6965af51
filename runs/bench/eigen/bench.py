#!/usr/bin/python3
"""Driver of runs/bench/eigen/run: runs each configuration, collects the figures, prints a
table. Whole-run wall time and peak resident memory come from GNU time (/usr/bin/time) around
the whole command; the per-stage seconds from the HDF5 file's wall_seconds_* attributes."""
import argparse
import os
import statistics
import subprocess
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from gnu_time import timed  # noqa: E402


def load():
    """The 1, 5 and 15 minute load averages (the machine is shared; timings depend on it)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--k", default="100 300")
    p.add_argument("--ranks", default="1 2")
    p.add_argument("--repeat", type=int, default=1, help="runs of each spectralbrain configuration")
    p.add_argument("--scipy-repeat", type=int, default=1, help="runs of SciPy (k=300: ~4.5 min)")
    p.add_argument("--no-scipy", action="store_true")
    p.add_argument("--variant", action="append", default=[], metavar="LABEL=OPTIONS",
                   help="a named set of spectralbrain/PETSc options, run after the extra options; "
                        "repeatable (e.g. fast='-options_file petsc_options/eigen-fast.opts')")
    p.add_argument("extra", nargs=argparse.REMAINDER)
    args = p.parse_args()
    extra = [a for a in args.extra if a != "--"]
    variants = [("", [])]
    if args.variant:
        variants = [(v.split("=", 1)[0], v.split("=", 1)[1].split()) for v in args.variant]
    out = os.path.join(args.root, "runs", "bench", "out", "eigen")
    os.makedirs(out, exist_ok=True)
    log = os.path.join(out, "bench.log")
    mesh = os.path.join(out, "lh.pial.163842.off")
    if not os.path.exists(mesh):
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "refine_mesh.py"),
                        os.path.join(args.root, "tests", "data", "meshes", "fsaverage5", "lh.pial"),
                        mesh, "--times", "2"], check=True)
    binary = os.path.join(os.environ.get("SB_BUILD_DIR", os.path.join(args.root, "build")),
                          "spectralbrain")

    def output(k, label, np_):
        return os.path.join(out, f"sb_k{k}_np{np_}{'_' + label if label else ''}.h5")

    def command(k, label, options, np_):
        # Options files named relative to the repository resolve against it.
        options = [os.path.join(args.root, o) if o.startswith("petsc_options/") else o
                   for o in options]
        return ["mpirun", "-n", str(np_), binary, "eigen", "--mesh", mesh, "--k", str(k),
                "--output", output(k, label, np_), *extra, *options]

    print(f"machine: {os.cpu_count()} cores; mesh {mesh}; options {' '.join(extra) or '(defaults)'}")
    print(f"load average at start: {load()}")
    rows = []
    ratios = []  # (name, [SciPy time / this run's time, round by round])
    for k in map(int, args.k.split()):
        # SciPy and the configurations in turn, round by round (SciPy in the first
        # --scipy-repeat rounds), so that a drift in the machine's speed touches them alike;
        # the rounds with both also give paired ratios.
        configs = [(label, options, n) for label, options in variants
                   for n in map(int, args.ranks.split())]
        times = {c: [] for c in range(len(configs))}
        scipy_runs = []
        npy = os.path.join(out, f"scipy_k{k}.npy")
        n_scipy = 0 if args.no_scipy else args.scipy_repeat
        for r in range(max(args.repeat, n_scipy)):
            if r < n_scipy:
                scipy_runs.append(timed(["/usr/bin/python3", os.path.join(HERE, "scipy_eigsh.py"),
                                         mesh, "--k", str(k), "--output", npy], log))
            if r < args.repeat:
                for c, (label, options, np_) in enumerate(configs):
                    times[c].append(timed(command(k, label, options, np_), log))
        ref = None
        if scipy_runs:
            ref = np.load(npy)
            rows.append((f"scipy eigsh k={k}", statistics.median(r[0] for r in scipy_runs),
                         max(r[1] for r in scipy_runs), "", ""))
            for c, (label, options, np_) in enumerate(configs):
                paired = [a[0] / b[0] for a, b in zip(scipy_runs, times[c])]
                if paired:
                    name = f"spectralbrain k={k} np={np_}" + (f" {label}" if label else "")
                    ratios.append((name, paired))
        for c, (label, options, np_) in enumerate(configs):
            with h5py.File(output(k, label, np_), "r") as f:
                stages = ", ".join(f"{key[13:]} {float(v):.1f}" for key, v in f.attrs.items()
                                   if key.startswith("wall_seconds_"))
                values = f["eigen/values"][:]
                residuals = f["eigen/residuals"][:]
                max_res = float(residuals.max())
                max_res_rel = float((residuals / np.maximum(np.abs(values),
                                                            abs(float(f.attrs["sigma"])))).max())
            agree = ""
            if ref is not None:
                err = np.abs(values - ref) / np.maximum(np.abs(ref), ref[1])
                agree = (f"max rel diff vs scipy {err.max():.1e}; max residual {max_res:.1e} "
                         f"({max_res_rel:.1e} of max(|lambda|,|sigma|))")
            name = f"spectralbrain k={k} np={np_}" + (f" {label}" if label else "")
            rows.append((name, statistics.median(r[0] for r in times[c]),
                         max(r[1] for r in times[c]), stages, agree))
    print(f"load average at end: {load()}")
    print(f"\n{'run':34} {'wall s':>8} {'peak MiB':>9}  stages (s, last run) / agreement")
    for name, wall, rss, stages, agree in rows:
        print(f"{name:34} {wall:8.1f} {rss:9.0f}  {stages}")
        if agree:
            print(f"{'':54}{agree}")
    scipy = {r[0].split("k=")[1]: r[1] for r in rows if r[0].startswith("scipy")}
    for name, wall, *_ in rows:
        if name.startswith("spectralbrain"):
            k = name.split("k=")[1].split()[0]
            if k in scipy:
                print(f"speed-up over scipy, {name}: {scipy[k] / wall:.1f}x (medians)")
    for name, paired in ratios:
        print(f"paired rounds, {name}: SciPy/this "
              f"{', '.join(f'{x:.2f}' for x in paired)}; median {statistics.median(paired):.2f}x")


if __name__ == "__main__":
    main()
