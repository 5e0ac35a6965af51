#!/usr/bin/python3
"""`spectralbrain summary` as a user runs it: the table, the CSV, --var, files written by
xarray, one voice under mpiexec, and a clear error naming the file (non-zero exit) for a
missing, corrupt, truncated or incomplete file.

usage: summary_cli_test.py SPECTRALBRAIN WRITE_EXAMPLE_POSTERIOR MPIEXEC WORK_DIR
"""
import csv
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np
import xarray as xr

failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def run(args):
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def table_rows(out):
    """Row names of the printed table: the lines after the header up to a blank line."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "r_hat" in line) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return [line.split("  ")[0].strip() for line in lines[start:end]]


def main():
    exe, writer, mpiexec, work = sys.argv[1:5]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    good = os.path.join(work, "posterior.h5")
    subprocess.run([writer, good], check=True)

    # The table, its warnings and the CSV.
    out_csv = os.path.join(work, "summary.csv")
    code, out, err = run([exe, "summary", good, "--csv", out_csv])
    check(code == 0, f"summary of a good file exits 0 (got {code}; stderr {err!r})")
    header = [line for line in out.splitlines() if "r_hat" in line]
    check(len(header) == 1 and header[0].split() ==
          ["mean", "sd", "hdi_3%", "hdi_97%", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail",
           "r_hat"], f"one table header with ArviZ's columns: {header}")
    rows = table_rows(out)
    check(rows == ["mu", "theta[0]", "theta[1]", "theta[2]", "theta[3]", "r_site[Oxford]",
                   "r_site[Zürich]", "L[0, 0]", "L[0, 1]", "L[0, 2]", "L[1, 0]", "L[1, 1]",
                   "L[1, 2]", "count", "flag"], f"table rows {rows}")
    check("warning: 3 of 150 transitions (2.0%) ended with a divergence" in out,
          "divergence warning")
    check("warning: R-hat above 1.01" in out, "R-hat warning")
    check("E-BFMI" in out, "E-BFMI reported")
    with open(out_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == 15, f"CSV has 15 rows (got {len(rows)})")
    with xr.open_dataset(good, group="posterior") as post:
        mu = post.mu.values
    mu_row = next(r for r in rows if r["variable"] == "mu")
    check(abs(float(mu_row["mean"]) - mu.mean()) < 1e-12, "CSV mean of mu equals numpy's")
    check(abs(float(mu_row["sd"]) - mu.std(ddof=1)) < 1e-12, "CSV sd of mu (ddof=1)")
    check(any(r["variable"] == "L[1, 2]" for r in rows), "CSV quotes names with commas")

    # --var selects; an unknown name is an error naming it.
    code, out, err = run([exe, "summary", good, "--var", "mu", "theta"])
    names = table_rows(out)
    check(code == 0 and names == ["mu", "theta[0]", "theta[1]", "theta[2]", "theta[3]"],
          f"--var mu theta shows only those ({names})")
    code, out, err = run([exe, "summary", good, "--var", "sigma"])
    check(code != 0 and good in err and "'sigma'" in err, f"unknown --var fails: {err.strip()}")

    # Bad files: non-zero exit and the file named in the message.
    missing = os.path.join(work, "missing.h5")
    corrupt = os.path.join(work, "corrupt.h5")
    with open(corrupt, "wb") as f:
        f.write(os.urandom(4096))
    truncated = os.path.join(work, "truncated.h5")
    with open(good, "rb") as f:
        data = f.read()
    with open(truncated, "wb") as f:
        f.write(data[: len(data) // 2])
    incomplete = os.path.join(work, "incomplete.h5")
    shutil.copy(good, incomplete)
    with h5py.File(incomplete, "r+") as f:
        del f.attrs["complete"]
    no_posterior = os.path.join(work, "eigen.h5")
    with h5py.File(no_posterior, "w") as f:
        f["eigen/values"] = np.arange(3.0)
    for path, words in [(missing, "no such file"), (corrupt, "not an HDF5 file"),
                        (truncated, ""), (incomplete, "incomplete posterior file"),
                        (no_posterior, "no 'posterior' group")]:
        code, out, err = run([exe, "summary", path])
        check(code != 0 and path in err and words in err,
              f"{os.path.basename(path)}: exit {code}, {err.strip()[:160]}")
        check("r_hat" not in out, f"{os.path.basename(path)}: no table printed")
    code, out, err = run([exe, "summary"])
    check(code != 0 and "no posterior file" in err, f"no file given: {err.strip()}")

    # A file written by xarray through the netCDF library, as ArviZ's to_netcdf does.
    rng = np.random.default_rng(1)
    arviz_like = os.path.join(work, "from_xarray.nc")
    post = xr.Dataset(
        {"alpha": (("chain", "draw"), rng.normal(size=(2, 100))),
         "beta": (("chain", "draw", "coef"), rng.normal(size=(2, 100, 2)))},
        coords={"chain": np.arange(2), "draw": np.arange(100), "coef": ["age", "sex"]})
    stats = xr.Dataset({"diverging": (("chain", "draw"), np.zeros((2, 100), bool)),
                        "energy": (("chain", "draw"), rng.normal(size=(2, 100)))},
                       coords={"chain": np.arange(2), "draw": np.arange(100)})
    post.to_netcdf(arviz_like, group="posterior", engine="netcdf4")
    stats.to_netcdf(arviz_like, group="sample_stats", mode="a", engine="netcdf4")
    code, out, err = run([exe, "summary", arviz_like])
    check(code == 0 and "beta[sex]" in out and "alpha" in out,
          f"reads a netCDF file written by xarray (exit {code}, {err.strip()[:160]})")

    # Under mpiexec: one table, one error.
    mpi = [mpiexec, "-n", "2", "--oversubscribe", exe, "summary"]
    code, out, err = run(mpi + [good])
    check(code == 0 and out.count("r_hat") == 1, f"mpiexec -n 2: one table (exit {code})")
    code, out, err = run(mpi + [missing])
    check(code != 0 and err.count("no such file") == 1,
          f"mpiexec -n 2: error printed once (exit {code}): {err.strip()[:200]}")

    print(f"{len(failures)} failed" if failures else "summary_cli: all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
