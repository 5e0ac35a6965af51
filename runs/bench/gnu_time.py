"""Shared by the benchmark drivers: run a command under GNU time (/usr/bin/time) and read the
stage seconds a subject file records."""
import re
import subprocess
import sys

import h5py


def timed(cmd, log):
    """Runs cmd under GNU time, appending its output to `log`; returns (wall seconds, peak RSS
    MiB of the largest process, stdout). Exits with the tail of stderr if the command fails."""
    r = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *cmd], capture_output=True, text=True)
    with open(log, "a") as f:
        f.write(" ".join(cmd) + "\n" + r.stdout + r.stderr + "\n")
    if r.returncode != 0:
        sys.exit(f"benchmark command failed ({r.returncode}), see {log}:\n{r.stderr[-3000:]}")
    wall, rss = re.findall(r"TIME ([\d.]+) (\d+)", r.stderr)[-1]
    return float(wall), int(rss) / 1024, r.stdout


def stages(h5):
    """{stage: seconds} from a subject file's wall_seconds_* attributes."""
    with h5py.File(h5, "r") as f:
        return {key[13:]: float(v) for key, v in f.attrs.items() if key.startswith("wall_seconds_")}
