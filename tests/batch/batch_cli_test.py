#!/usr/bin/python3
"""End-to-end tests of `spectralbrain batch` (and `info`) under mpiexec.

Python standard library only: results are read from the cohort table (CSV, 17 digits), the
status log (JSON lines) and batch_report.json, which the batch writes itself.

usage: batch_cli_test.py CASE --bin spectralbrain --mpiexec mpiexec --data tests/data
                         --make-mesh batch_make_mesh --work DIR
cases: cohort (1, 2, 3 ranks; failures isolated; same eigenvalues), kill (SIGKILL, rerun),
       term (SIGTERM to the ranks, as SLURM does, at 1 and 2 ranks; SIGUSR1 to mpiexec),
       memory (every --on-low-memory policy with fake meminfo/cgroup files),
       manifest (input errors before any work), resume (parameters, --no-resume), info
"""
import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

failures = []
EXIT_FAILED, EXIT_LOW_MEMORY, EXIT_INTERRUPTED = 3, 4, 75


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)
    return condition


def command(np_, args):
    return [ARGS.mpiexec, "-n", str(np_), "--oversubscribe", ARGS.bin, *args]


def run(np_, args, env=None, timeout=600):
    r = subprocess.run(command(np_, args), capture_output=True, text=True, timeout=timeout,
                       env=env)
    return r


def fresh(name):
    d = os.path.join(ARGS.work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


MESHES = None


def meshes():
    m = os.path.join(ARGS.data, "meshes")
    return {
        "pial": os.path.join(m, "fsaverage5", "lh.pial"),
        "pial_gii": os.path.join(m, "fsaverage5", "lh.pial.surf.gii"),
        "white": os.path.join(m, "fsaverage5", "lh.white.surf.gii"),
        "conte": os.path.join(m, "conte69", "conte69_5k_lh.surf.gii"),
        "hipp": os.path.join(m, "hippocampus",
                             "tpl-avg_space-canonical_den-2mm_label-hipp_midthickness.surf.gii"),
        "acc": os.path.join(m, "icbm152_aseg", "Left-Accumbens-area.surf"),
    }


def write_manifest(folder, rows, name="subjects.tsv"):
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write("subject\tstructure\tmesh\n")
        for subject, structure, mesh in rows:
            f.write(f"{subject}\t{structure}\t{mesh}\n")
    return path


def read_log(out):
    events = []
    path = os.path.join(out, "batch_status.jsonl")
    if not os.path.exists(path):
        return events
    with open(path) as f:
        for line in f:
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                events.append({"event": "<cut line>"})
    return events


def read_report(out):
    with open(os.path.join(out, "batch_report.json")) as f:
        return json.load(f)


def read_table(out):
    with open(os.path.join(out, "cohort.csv")) as f:
        return {(r["subject"], r["structure"]): r for r in csv.DictReader(f)}


def eigenvalues(row):
    keys = sorted((k for k in row if k.startswith("ev_")), key=lambda k: int(k[3:]))
    return [float(row[k]) for k in keys]


def leftovers(out):
    return [f for f in os.listdir(out) if ".tmp-" in f]


def rank_pids(launcher_pid):
    """The spectralbrain processes started by mpiexec (its children), by scanning /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            with open(f"/proc/{entry}/comm") as f:
                comm = f.read().strip()
        except (OSError, ValueError):
            continue
        if ppid == launcher_pid and comm.startswith("spectralbrain"):
            pids.append(int(entry))
    return pids


def wait_for_done(out, n, proc, timeout=300):
    """Waits until the log of the current run has n 'done' events (or the run ends)."""
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        done = [e for e in read_log(out) if e.get("event") == "done"]
        if len(done) >= n:
            return True
        time.sleep(0.05)
    return False


def kill_tree(proc, sig):
    for pid in rank_pids(proc.pid):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


# ------------------------------------------------------------------ cases

def case_cohort():
    """Good meshes, a corrupt one and a missing file at 1, 2 and 3 ranks (3 oversubscribed,
    3 ranks in groups of 2, and 2 ranks with rank 0 a dedicated scheduler, the path taken
    without MPI_THREAD_MULTIPLE): the good ones done, the two failures recorded with reasons,
    exit status 3, and the same eigenvalues whatever the rank count."""
    m = meshes()
    work = fresh("cohort")
    with open(m["pial"], "rb") as f:
        head = f.read(5000)
    with open(os.path.join(work, "corrupt.pial"), "wb") as f:
        f.write(head)
    rows = [("sub-01", "lh_pial", m["pial"]), ("sub-01", "lh_white", m["white"]),
            ("sub-02", "lh", m["conte"]), ("sub-03", "hipp", m["hipp"]),
            ("sub-04", "Left-Accumbens", m["acc"]), ("sub-05", "lh", "corrupt.pial"),
            ("sub-06", "lh", "no/such/lh.white")]
    manifest = write_manifest(work, rows)
    tables = {}
    for np_, extra in [(1, []), (2, []), (3, []), (3, ["--ranks-per-subject", "2"]),
                       (2, ["--scheduler", "dedicated"])]:
        label = f"np{np_}" + ("_" + extra[1] if extra else "")
        out = os.path.join(work, "out_" + label)
        r = run(np_, ["batch", "--manifest", manifest, "--output-dir", out, "--k", "12",
                      "--shapedna-normalization", "none", "--progress", "lines", *extra])
        check(r.returncode == EXIT_FAILED,
              f"{label}: exit status {r.returncode}, expected {EXIT_FAILED}: {r.stderr[-3000:]}")
        if not os.path.exists(os.path.join(out, "batch_report.json")):
            check(False, f"{label}: no report")
            continue
        rep = read_report(out)
        check(rep["done"] == 5 and rep["failed"] == 2 and rep["skipped"] == 0,
              f"{label}: 5 done, 2 failed: {rep}")
        reasons = {f["key"]: f["reason"] for f in rep["failures"]}
        check("truncated" in reasons.get("sub-05/lh", ""),
              f"{label}: corrupt mesh reason: {reasons.get('sub-05/lh')}")
        check("not found" in reasons.get("sub-06/lh", ""),
              f"{label}: missing mesh reason: {reasons.get('sub-06/lh')}")
        check("sub-05/lh" in r.stdout and "sub-06/lh" in r.stdout, f"{label}: summary lists failures")
        check(r.stdout.count("] done ") == 5, f"{label}: one progress line per done subject")
        events = read_log(out)
        failed = {e["key"]: e for e in events if e["event"] == "failed"}
        check(set(failed) == {"sub-05/lh", "sub-06/lh"}, f"{label}: failed events {set(failed)}")
        check(all(e.get("error") == "input" and e.get("reason") for e in failed.values()),
              f"{label}: failed events carry kind and reason")
        done = [e for e in events if e["event"] == "done"]
        check(all("peak_rss_mib" in e and "wall_seconds" in e and "stages" in e for e in done),
              f"{label}: done events carry timings and peak memory")
        if "--ranks-per-subject" in extra:
            check(any(e.get("ranks") == 2 for e in done), f"{label}: a group of 2 solved something")
        if "dedicated" in extra:
            check(all(e.get("rank") != 0 for e in done) and "scheduler: dedicated" in r.stdout,
                  f"{label}: rank 0 only schedules")
        # Largest first: the first two started are the 10242-vertex meshes.
        started = [e for e in events if e["event"] == "started"]
        check(started and started[0]["n_vertices"] == 10242, f"{label}: largest mesh first")
        check(leftovers(out) == [], f"{label}: no temporary files: {leftovers(out)}")
        table = read_table(out)
        check(len(table) == 5, f"{label}: 5 table rows, got {len(table)}")
        vol = table.get(("sub-04", "Left-Accumbens"), {}).get("volume", "")
        check(vol != "" and float(vol) > 0, f"{label}: closed surface has a volume ({vol})")
        check(table.get(("sub-03", "hipp"), {}).get("volume", "x") == "",
              f"{label}: open surface has no volume")
        tables[label] = table
    ref = tables.get("np1")
    for label, table in tables.items():
        if ref is None or label == "np1":
            continue
        for key, row in ref.items():
            a, b = eigenvalues(row), eigenvalues(table[key])
            scale = max(abs(a[1]), 1e-300)
            err = max(abs(x - y) / max(abs(x), scale) for x, y in zip(a, b))
            check(len(a) == len(b) == 12 and err < 1e-10,
                  f"{label}: eigenvalues of {key} agree with np1 to 1e-10 (max rel {err:.1e})")


def cohort_for_kill(work):
    m = meshes()
    ico = os.path.join(work, "ico5.off")
    subprocess.run([ARGS.make_mesh, "icosphere", "5", ico], check=True)
    rows = [("s01", "lh", m["pial"]), ("s02", "lh", m["pial_gii"]), ("s03", "lh", m["white"]),
            ("s04", "sphere", ico), ("s05", "lh", m["conte"]), ("s06", "lh", m["conte"]),
            ("s07", "hipp", m["hipp"]), ("s08", "acc", m["acc"])]
    return write_manifest(work, rows), len(rows)


def check_story(out, n, label):
    """After the final run: every subject complete exactly once, the log accounts for it."""
    events = read_log(out)
    keys = {e["key"] for e in events if e.get("event") == "started"}
    for key in sorted(keys):
        done = sum(1 for e in events if e.get("key") == key and e["event"] in ("done", "recovered"))
        check(done == 1, f"{label}: {key} done exactly once (log says {done})")
    rep = read_report(out)
    check(rep["status"] == 0, f"{label}: final run status {rep['status']}")
    check(len(read_table(out)) == n, f"{label}: cohort table complete with {n} rows")
    check(leftovers(out) == [], f"{label}: no temporary files left: {leftovers(out)}")
    outputs = [f for f in os.listdir(out) if f.endswith(".h5")]
    check(len(outputs) == n, f"{label}: {n} subject files, got {len(outputs)}")


def case_kill():
    """SIGKILL every rank mid-run, rerun: every subject ends complete exactly once."""
    work = fresh("kill")
    manifest, n = cohort_for_kill(work)
    out = os.path.join(work, "out")
    args = ["batch", "--manifest", manifest, "--output-dir", out, "--k", "20", "--progress", "none"]
    proc = subprocess.Popen(command(2, args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    check(wait_for_done(out, 2, proc), "kill: two subjects done before the kill")
    kill_tree(proc, signal.SIGKILL)
    proc.kill()
    proc.wait(timeout=60)
    events = read_log(out)
    first_run = events[0]["run"] if events else None
    in_flight = {e["key"] for e in events if e["event"] == "started"} - {
        e["key"] for e in events if e["event"] in ("done", "failed")}
    check(not any(e["event"] == "run_finished" for e in events), "kill: first run has no end")
    check(len(in_flight) >= 1, f"kill: subjects were in flight at the kill ({in_flight})")
    r = run(2, args)
    check(r.returncode == 0, f"kill: rerun exit {r.returncode}: {r.stderr[-2000:]}")
    events = read_log(out)
    resume = [e for e in events if e["event"] == "resume" and e["run"] != first_run]
    check(resume and resume[0]["complete"] >= 2, f"kill: rerun found the finished ones: {resume}")
    check_story(out, n, "kill")


def case_term():
    """SIGTERM to the ranks (as SLURM sends it) at 1 and 2 ranks, and SIGUSR1 to mpiexec:
    in-flight subjects finish, the log ends cleanly, exit 75; the rerun completes."""
    work = fresh("term")
    manifest, n = cohort_for_kill(work)
    for np_, target, sig in [(1, "ranks", signal.SIGTERM), (2, "ranks", signal.SIGTERM),
                             (2, "mpiexec", signal.SIGUSR1)]:
        label = f"term np{np_} {sig.name} to {target}"
        out = os.path.join(work, f"out_{np_}_{sig.name}")
        args = ["batch", "--manifest", manifest, "--output-dir", out, "--k", "20",
                "--progress", "lines"]
        proc = subprocess.Popen(command(np_, args), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        check(wait_for_done(out, 1, proc), f"{label}: one subject done before the signal")
        if target == "ranks":
            kill_tree(proc, sig)
        else:
            proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=300)
        check(proc.returncode == EXIT_INTERRUPTED,
              f"{label}: exit status {proc.returncode}, expected {EXIT_INTERRUPTED}: {stderr[-2000:]}")
        check("stopping" in stdout and "rerun the same command" in stdout,
              f"{label}: says it stops and how to resume: {stdout[-1500:]}")
        events = read_log(out)
        run_id = events[-1]["run"] if events else None
        this = [e for e in events if e.get("run") == run_id]
        started = {e["key"] for e in this if e["event"] == "started"}
        ended = {e["key"] for e in this if e["event"] in ("done", "failed", "skipped")}
        check(started == ended, f"{label}: every started subject ended ({started - ended})")
        check(any(e["event"] == "stopping" and ("SIGTERM" in e["reason"] or "SIGUSR1" in e["reason"])
                  for e in this), f"{label}: log has the stopping event with the signal")
        check(this and this[-1]["event"] == "run_finished" and this[-1]["status"] == EXIT_INTERRUPTED,
              f"{label}: log ends with run_finished status 75")
        check(this[-1].get("not_started", 0) >= 1, f"{label}: some subjects were not started")
        check(leftovers(out) == [], f"{label}: no temporary files: {leftovers(out)}")
        r = run(np_, args)
        check(r.returncode == 0, f"{label}: rerun exit {r.returncode}: {r.stderr[-2000:]}")
        check_story(out, n, label)


def fake_memory(folder, total_mib, available_mib, limit_mib=None, usage_mib=None):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "meminfo"), "w") as f:
        f.write(f"MemTotal: {total_mib * 1024} kB\nMemFree: 1 kB\n"
                f"MemAvailable: {available_mib * 1024} kB\n")
    env = dict(os.environ, SPECTRALBRAIN_MEMINFO=os.path.join(folder, "meminfo"))
    if limit_mib is None:
        env["SPECTRALBRAIN_CGROUP_DIR"] = "none"
    else:
        cg = os.path.join(folder, "cgroup")
        os.makedirs(cg, exist_ok=True)
        with open(os.path.join(cg, "memory.max"), "w") as f:
            f.write(f"{limit_mib << 20}\n")
        with open(os.path.join(cg, "memory.current"), "w") as f:
            f.write(f"{usage_mib << 20}\n")
        env["SPECTRALBRAIN_CGROUP_DIR"] = cg
    return env


def case_memory():
    """Each --on-low-memory policy with fake meminfo/cgroup files and --max-memory-per-rank.
    Estimates at k=20 (spectralbrain info): fsaverage5 ~31 MiB, conte69 ~15 MiB,
    hippocampus and accumbens ~1-2 MiB."""
    m = meshes()
    work = fresh("memory")
    manifest = write_manifest(work, [("big", "lh", m["pial"]), ("mid", "lh", m["conte"]),
                                     ("small", "hipp", m["hipp"])])

    def batch(label, env, *extra, np_=1):
        out = os.path.join(work, label)
        t0 = time.time()
        r = run(np_, ["batch", "--manifest", manifest, "--output-dir", out, "--k", "20",
                      "--progress", "lines", *extra], env=env)
        return out, r, time.time() - t0

    plenty = fake_memory(os.path.join(work, "plenty"), 64000, 60000)

    # --max-memory-per-rank: a subject above it can never fit: skipped at once, even with wait.
    out, r, secs = batch("cap", plenty, "--max-memory-per-rank", "20M", "--on-low-memory", "wait")
    check(r.returncode == EXIT_FAILED, f"cap: exit {r.returncode}: {r.stderr[-1500:]}")
    rep = read_report(out)
    reasons = {f["key"]: f["reason"] for f in rep["failures"]}
    check(list(reasons) == ["big/lh"] and "--max-memory-per-rank" in reasons["big/lh"],
          f"cap: big skipped for the cap: {reasons}")
    check(rep["done"] == 2 and secs < 60, f"cap: others done, no waiting ({secs:.0f} s)")

    # cgroup v2 headroom of 20 MiB (limit 1 GiB, usage 1004 MiB); skip.
    low = fake_memory(os.path.join(work, "low"), 64000, 60000, 1024, 1004)
    out, r, _ = batch("skip", low, "--on-low-memory", "skip")
    check(r.returncode == EXIT_FAILED, f"skip: exit {r.returncode}")
    rep = read_report(out)
    reasons = {f["key"]: f["reason"] for f in rep["failures"]}
    check(list(reasons) == ["big/lh"] and "low memory" in reasons["big/lh"] and "free" in reasons["big/lh"],
          f"skip: big skipped for low memory: {reasons}")
    check(rep["done"] == 2, "skip: mid and small done")
    skipped = [e for e in read_log(out) if e["event"] == "skipped"]
    check(skipped and skipped[0].get("need_bytes", 0) > 20 << 20, "skip: the log has the estimate")

    # meminfo alone (no cgroup): 10 MiB available; --min-available-gb keeps some of it.
    tiny = fake_memory(os.path.join(work, "tiny"), 64000, 20)
    out, r, _ = batch("meminfo", tiny, "--on-low-memory", "skip", "--min-available-gb", "0.01")
    rep = read_report(out)
    check(r.returncode == EXIT_FAILED and rep["done"] == 1 and rep["skipped"] == 2,
          f"meminfo: only the small subject fits in 20 - 10 MiB: {rep}")

    # error: the largest subject comes first and does not fit: stop cleanly, exit 4.
    out, r, _ = batch("error", low, "--on-low-memory", "error")
    check(r.returncode == EXIT_LOW_MEMORY, f"error: exit {r.returncode}, expected 4")
    events = read_log(out)
    check(any(e["event"] == "stopping" and "low memory" in e["reason"] for e in events),
          "error: log has the stopping event")
    check(events[-1]["event"] == "run_finished" and events[-1]["status"] == EXIT_LOW_MEMORY,
          "error: the log ends cleanly")
    rep = read_report(out)
    check(rep["not_started"] == 2 and rep["done"] == 0, f"error: nothing else started: {rep}")
    r = run(1, ["batch", "--manifest", manifest, "--output-dir", out, "--k", "20"], env=plenty)
    check(r.returncode == 0 and read_report(out)["done"] == 3, "error: rerun with memory completes")

    # wait, memory stays low: back off, defer to the end, then skip (exit 3).
    out, r, secs = batch("wait_skip", low, "--on-low-memory", "wait", "--memory-wait", "2")
    check(r.returncode == EXIT_FAILED, f"wait_skip: exit {r.returncode}")
    events = read_log(out)
    kinds = [e["event"] for e in events if e.get("key") == "big/lh"]
    check(kinds == ["started", "deferred", "started", "skipped"],
          f"wait_skip: big waits, is deferred, retried last, skipped: {kinds}")
    order = [e["key"] for e in events if e["event"] == "started"]
    check(order[-1] == "big/lh", f"wait_skip: the deferred subject is retried at the end: {order}")
    check(secs >= 4, f"wait_skip: it waited twice 2 s ({secs:.1f} s)")

    # wait, memory comes back after 3 s: the subject waits, then runs.
    wait_env = fake_memory(os.path.join(work, "wait_ok"), 64000, 60000, 1024, 1004)

    def free_memory():
        time.sleep(3)
        with open(os.path.join(work, "wait_ok", "cgroup", "memory.current"), "w") as f:
            f.write(f"{100 << 20}\n")

    t = threading.Thread(target=free_memory)
    t.start()
    out, r, _ = batch("wait_ok", wait_env, "--on-low-memory", "wait", "--memory-wait", "60")
    t.join()
    check(r.returncode == 0, f"wait_ok: exit {r.returncode}: {r.stderr[-1500:]}")
    done = {e["key"]: e for e in read_log(out) if e["event"] == "done"}
    check(done.get("big/lh", {}).get("memory_wait_seconds", 0) >= 2,
          f"wait_ok: big waited for memory: {done.get('big/lh')}")

    # Two ranks on one node share 45 MiB of headroom: two 31 MiB subjects do not both fit
    # at once (the ledger), so one waits until the other's reservation has become resident
    # memory (which the fake files do not see) or it has finished; both end done.
    two = fake_memory(os.path.join(work, "two"), 64000, 60000, 1024, 979)
    m2 = write_manifest(work, [("a", "lh", m["pial"]), ("b", "lh", m["pial_gii"])], "two.tsv")
    out = os.path.join(work, "shared")
    r = run(2, ["batch", "--manifest", m2, "--output-dir", out, "--k", "20", "--memory-wait", "120"],
            env=two)
    check(r.returncode == 0, f"shared: exit {r.returncode}: {r.stderr[-1500:]}")
    done = [e for e in read_log(out) if e["event"] == "done"]
    check(len(done) == 2 and max(e.get("memory_wait_seconds", 0) for e in done) >= 1,
          f"shared: one of the two waited for the other: {[e.get('memory_wait_seconds') for e in done]}")


def case_manifest():
    """Manifest errors (missing file, duplicate rows, missing column): exit 1, a message with
    file, line and problem, and nothing created."""
    m = meshes()
    work = fresh("manifest")
    dup = write_manifest(work, [("s1", "lh", m["hipp"]), ("s2", "lh", m["acc"]),
                                ("s1", "lh", m["acc"])], "dup.tsv")
    nocol = os.path.join(work, "nocol.csv")
    with open(nocol, "w") as f:
        f.write("subject,surface\ns1,a.surf\n")
    for label, manifest, expect in [
            ("missing", os.path.join(work, "none.tsv"), "none.tsv: manifest not found"),
            ("duplicate", dup, "dup.tsv: line 4: repeats line 2"),
            ("column", nocol, "nocol.csv: line 1 (header): no 'mesh' column")]:
        out = os.path.join(work, "out_" + label)
        for np_ in (1, 2):
            r = run(np_, ["batch", "--manifest", manifest, "--output-dir", out, "--k", "5"])
            check(r.returncode == 1, f"{label} np{np_}: exit {r.returncode}")
            check(expect in r.stderr, f"{label} np{np_}: message '{expect}' in: {r.stderr[-800:]}")
            check(r.stderr.count("error [rank") == 1, f"{label} np{np_}: said once")
            check(not os.path.exists(out), f"{label} np{np_}: no output folder created")
    r = run(1, ["batch", "--manifest", dup, "--output-dir", os.path.join(work, "o"),
                "--on-low-memory", "sometimes"])
    check(r.returncode == 1 and "--on-low-memory" in r.stderr, "bad option value named")


def case_resume():
    """A rerun keeps complete outputs made with the same parameters; other k or --no-resume
    recompute; the table is rebuilt from the files."""
    m = meshes()
    work = fresh("resume")
    manifest = write_manifest(work, [("a", "", m["hipp"]), ("b", "", m["acc"]),
                                     ("c", "", m["conte"])])
    out = os.path.join(work, "out")
    base = ["batch", "--manifest", manifest, "--output-dir", out, "--progress", "none"]
    r = run(1, base + ["--k", "8"])
    check(r.returncode == 0, f"resume: first run {r.returncode}: {r.stderr[-1500:]}")
    first = read_table(out)
    r = run(2, base + ["--k", "8"])
    rep = read_report(out)
    check(r.returncode == 0 and rep["done"] == 0 and rep["already_complete"] == 3,
          f"resume: same parameters, nothing recomputed: {rep}")
    check(read_table(out) == first, "resume: table rebuilt identically from the files")
    r = run(1, base + ["--k", "9"])
    rep = read_report(out)
    stale = [e for e in read_log(out) if e["event"] == "stale"]
    check(r.returncode == 0 and rep["done"] == 3 and len(stale) == 3 and "k = 8" in stale[0]["reason"],
          f"resume: other k recomputes: {rep}")
    r = run(1, base + ["--k", "9", "-eps_tol", "1e-9"])
    check(read_report(out)["done"] == 3, "resume: other PETSc options recompute")
    r = run(1, base + ["--k", "9", "-eps_tol", "1e-9", "--no-resume"])
    check(read_report(out)["done"] == 3, "resume: --no-resume recomputes")
    r = run(1, base + ["--k", "9", "-eps_tol", "1e-9", "-log_view"])
    check(read_report(out)["done"] == 0, "resume: -log_view does not change parameters")


def case_info():
    m = meshes()
    work = fresh("info")
    env = fake_memory(os.path.join(work, "fake"), 8000, 6000, 2048, 1024)
    r = run(1, ["info", "--mesh", m["pial"], "--k", "20"], env=env)
    check(r.returncode == 0, f"info: exit {r.returncode}: {r.stderr}")
    check("limit 2.00 GiB" in r.stdout and "available 1.00 GiB" in r.stdout,
          f"info: cgroup and effective memory: {r.stdout}")
    check("10242 vertices" in r.stdout and "estimate" in r.stdout, f"info: estimate: {r.stdout}")
    r = run(2, ["info"])
    check(r.returncode == 0 and "2 on this node" in r.stdout, f"info np2: {r.stdout}")


CASES = {"cohort": case_cohort, "kill": case_kill, "term": case_term, "memory": case_memory,
         "manifest": case_manifest, "resume": case_resume, "info": case_info}

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("case", choices=sorted(CASES))
    p.add_argument("--bin", required=True)
    p.add_argument("--mpiexec", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--make-mesh", required=True)
    p.add_argument("--work", required=True)
    ARGS = p.parse_args()
    os.makedirs(ARGS.work, exist_ok=True)
    t0 = time.time()
    CASES[ARGS.case]()
    print(f"{ARGS.case}: {len(failures)} failure(s) in {time.time() - t0:.1f} s")
    sys.exit(1 if failures else 0)
