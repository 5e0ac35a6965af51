#!/usr/bin/python3
"""Cohort benchmark (see runs/bench/cohort/run). Standard library only.

Figures:
  throughput     subjects per minute of `batch` at 1 and 2 ranks (whole command, wall clock,
                 including MPI start-up, resume checks and the cohort table); speed-up np2/np1
  vs eigen       batch np1 wall time per subject over `eigen` wall time per subject (one
                 process per subject, as a user without batch would run them)
  busy           at 2 ranks, the fraction of the run's time the two groups spent inside
                 subjects: 100% means no rank waited for work (what the scheduler controls);
                 on a shared machine the speed-up is lower when the two ranks lack two cores
  engine         batch np1 time over the sum of its subjects' solve times (time inside
                 pipeline::run_subject, from the status log): what the engine adds, for the
                 whole command (with MPI/PETSc start-up) and inside run_batch only (the
                 run_finished event: peeks, resume checks, queue, memory checks, log, table)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import time


def timed(cmd, **kw):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-3000:]}")
    return dt


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--k", type=int, default=50)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--copies", type=int, default=4, help="copies of each large mesh")
    p.add_argument("--work", default=None)
    a = p.parse_args()
    build = os.environ.get("SB_BUILD_DIR", os.path.join(a.root, "build"))
    exe = os.path.join(build, "spectralbrain")
    work = a.work or os.path.join(build, "bench_cohort")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    m = os.path.join(a.root, "tests", "data", "meshes")
    large = ["fsaverage5/lh.pial", "fsaverage5/lh.pial.surf.gii", "fsaverage5/lh.white.surf.gii",
             "conte69/conte69_5k_lh.surf.gii"]
    small = ["hippocampus/tpl-avg_space-canonical_den-2mm_label-hipp_midthickness.surf.gii",
             "icbm152_aseg/Left-Accumbens-area.surf"]
    rows = []
    for c in range(a.copies):
        for i, f in enumerate(large):
            rows.append((f"sub-{c:02d}", f"s{i}", os.path.join(m, f)))
    for c in range(2):
        for i, f in enumerate(small):
            rows.append((f"sub-{c:02d}", f"x{i}", os.path.join(m, f)))
    manifest = os.path.join(work, "subjects.tsv")
    with open(manifest, "w") as f:
        f.write("subject\tstructure\tmesh\n")
        f.writelines(f"{s}\t{t}\t{p_}\n" for s, t, p_ in rows)
    n = len(rows)
    print(f"cohort benchmark: {n} subjects, k = {a.k}, {a.repeat} repeats, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}", flush=True)

    results = {"eigen": [], "np1": [], "np2": [], "engine": [], "engine_in": [], "busy": []}
    for rep in range(a.repeat):
        out = os.path.join(work, "eigen")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        t = 0.0
        for s, st, mesh in rows:
            t += timed(["mpiexec", "-n", "1", exe, "eigen", "--mesh", mesh, "--k", str(a.k),
                        "--output", os.path.join(out, f"{s}_{st}.h5")])
        results["eigen"].append(t)
        for np_ in (1, 2):
            out = os.path.join(work, f"batch{np_}")
            shutil.rmtree(out, ignore_errors=True)
            t = timed(["mpiexec", "-n", str(np_), exe, "batch", "--manifest", manifest,
                       "--output-dir", out, "--k", str(a.k), "--no-resume", "--progress", "none"])
            results[f"np{np_}"].append(t)
            if np_ == 2:
                with open(os.path.join(out, "batch_status.jsonl")) as f:
                    events = [json.loads(line) for line in f]
                solve = sum(e.get("wall_seconds", 0) for e in events if e["event"] == "done")
                inside = [e["wall_seconds"] for e in events if e["event"] == "run_finished"][-1]
                results["busy"].append(solve / (2 * inside))
            if np_ == 1:
                with open(os.path.join(out, "batch_status.jsonl")) as f:
                    events = [json.loads(line) for line in f]
                solve = sum(e.get("wall_seconds", 0) for e in events if e["event"] == "done")
                inside = [e["wall_seconds"] for e in events if e["event"] == "run_finished"][-1]
                results["engine"].append(t / solve - 1)
                results["engine_in"].append(inside / solve - 1)
        print(f"  repeat {rep + 1}: eigen one by one {results['eigen'][-1]:.1f} s, "
              f"batch np1 {results['np1'][-1]:.1f} s, np2 {results['np2'][-1]:.1f} s, "
              f"engine overhead {100 * results['engine'][-1]:+.1f}% "
              f"({100 * results['engine_in'][-1]:+.1f}% inside run_batch), "
              f"np2 ranks busy {100 * results['busy'][-1]:.0f}%, load {os.getloadavg()[0]:.1f}",
              flush=True)

    med = {k: statistics.median(v) for k, v in results.items()}
    print("\nmedians")
    print(f"  eigen one by one   {med['eigen']:7.1f} s   {60 * n / med['eigen']:6.1f} subjects/min")
    print(f"  batch, 1 rank      {med['np1']:7.1f} s   {60 * n / med['np1']:6.1f} subjects/min")
    print(f"  batch, 2 ranks     {med['np2']:7.1f} s   {60 * n / med['np2']:6.1f} subjects/min")
    print(f"  speed-up np2/np1   {med['np1'] / med['np2']:.2f}x   (target >= 1.8x on 2 free cores)")
    print(f"  np2 ranks busy     {100 * med['busy']:.0f}% of the run inside subjects "
          f"(the scheduler's share of a speed-up; the rest is CPU contention)")
    print(f"  batch np1 vs eigen {100 * (med['np1'] / med['eigen'] - 1):+.1f}% per subject "
          f"(target < +5%)")
    print(f"  engine overhead    {100 * med['engine']:+.1f}% over the subjects' solve time "
          f"(whole command), {100 * med['engine_in']:+.1f}% inside run_batch")


if __name__ == "__main__":
    main()
