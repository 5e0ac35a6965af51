#!/usr/bin/python3
"""`spectralbrain sample` as a user runs it: a formula model on a small cohort table joined
with the bundled covariates file, end to end at 2 ranks (posterior file readable by
`spectralbrain summary` and xarray, brms names, observed data), and for bad input (formula,
column, missing values, prior, family, plugin errors) a non-zero exit, a message naming the
problem, and no output file.

usage: sample_cli_test.py SPECTRALBRAIN MPIEXEC DATA_DIR WORK_DIR ARK_PLUGIN FAULTY_PLUGIN
"""
import csv
import json
import os
import random
import shutil
import subprocess
import sys

import numpy as np
import xarray as xr

failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def table_rows(out):
    """Row names of the printed summary table: the lines after the header to a blank line."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "r_hat" in line) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return [line.split("  ")[0].strip() for line in lines[start:end]]


def make_cohort(path, covariates, blank=None):
    """A cohort table as `batch` writes it, with an area that depends on age, sex and site."""
    rng = random.Random(7)
    site_effect = {"montreal": 0.0, "oxford": 3.0, "nijmegen": -2.0}
    with open(covariates, newline="") as f:
        subjects = list(csv.DictReader(f))
    with open(path, "w") as f:
        f.write("subject,structure,n_vertices,area,volume,ev_1,ev_2,ev_3\n")
        for r in subjects:
            age, male = int(r["age"]), r["sex"] == "M"
            area = (60000 - 80 * age + (4000 if male else 0) + 1000 * site_effect[r["site"]]
                    + rng.gauss(0, 1500))
            ev1 = 0.01 + 0.00005 * age + rng.gauss(0, 0.0005)
            cells = [r["subject"], "lh_pial", "10242", f"{area:.3f}", f"{3.1 * area:.1f}",
                     f"{ev1:.6f}", f"{2 * ev1 + rng.gauss(0, 0.001):.6f}", f"{3 * ev1:.6f}"]
            if blank is not None and r["subject"] == blank[0]:
                cells[blank[1]] = ""
            f.write(",".join(cells) + "\n")
    return subjects


def main():
    exe, mpiexec, data, work, ark, faulty = sys.argv[1:7]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    covariates = os.path.join(data, "models", "demo_covariates.csv")
    cohort = os.path.join(work, "cohort.csv")
    subjects = make_cohort(cohort, covariates)
    short = ["--draws", "300", "--tune=300", "--chains", "2", "--no-progress"]

    def sample(args, np_=1, output="posterior.h5"):
        out_path = os.path.join(work, output)
        cmd = [mpiexec, "-n", str(np_), "--oversubscribe", exe, "sample"] + args + \
              ["--output", out_path]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
        return r.returncode, r.stdout, r.stderr, out_path

    # End to end at 2 ranks: table + covariates -> posterior file -> summary.
    code, out, err, post = sample(["--data", cohort, "--covariates", covariates, "--formula",
                                   "area ~ 1 + age + sex + (1 | site)"] + short, np_=2)
    check(code == 0, f"sample exits 0 (got {code}; stderr {err[-2000:]!r})")
    check(os.path.exists(post), "the posterior file is written")
    check("reference F" in out and "site: 3 levels" in out,
          "the reference level and the group sizes are reported")
    check("student_t(3, " in out and "default" in out, "the priors are printed")
    rows = table_rows(out) if "r_hat" in out else []
    expected = ["b_Intercept", "b_age", "b_sexM", "sd_site__Intercept", "sigma",
                "r_site[montreal,Intercept]", "r_site[nijmegen,Intercept]",
                "r_site[oxford,Intercept]"]
    check(rows == expected, f"summary rows named as brms: {rows}")
    check(out.count("r_hat") == 1, "the summary table is printed once (rank 0)")

    code, sout, serr = (lambda r: (r.returncode, r.stdout, r.stderr))(
        subprocess.run([exe, "summary", post], capture_output=True, text=True, timeout=120))
    check(code == 0 and table_rows(sout) == expected,
          f"`spectralbrain summary` reads it with the same rows ({serr.strip()})")

    with xr.open_dataset(post, group="posterior") as p:
        check(p["b_age"].dims == ("chain", "draw") and p["b_age"].shape == (2, 300),
              f"b_age has dims (chain, draw): {p['b_age'].dims} {p['b_age'].shape}")
        check(p["r_site"].dims == ("chain", "draw", "r_site_dim_0"), "r_site dims")
        check(list(p["r_site_dim_0"].values) ==
              ["montreal,Intercept", "nijmegen,Intercept", "oxford,Intercept"],
              f"r_site coords are level,term labels: {list(p['r_site_dim_0'].values)}")
        b_age = float(p["b_age"].mean())
    check(-140 < b_age < -20, f"b_age near the simulated -80 (posterior mean {b_age:.1f})")
    with xr.open_dataset(post, group="observed_data") as o:
        with open(cohort, newline="") as f:
            area = [float(r["area"]) for r in csv.DictReader(f)]
        check("area" in o and np.allclose(o["area"].values, area),
              "observed_data holds the response, in table order")

    # student_t with prior overrides.
    code, out, err, post = sample(["--data", cohort, "--covariates", covariates, "--formula",
                                   "ev_1 ~ age", "--family", "student_t",
                                   "--prior", "b ~ normal(0, 0.01)",
                                   "--prior", "nu ~ gamma(2, 0.1)"] + short, output="t.h5")
    check(code == 0 and "nu" in table_rows(out),
          f"student_t family with --prior overrides: nu in the table ({err[-500:]!r})")
    check("b ~ normal(0, 0.01)" in out, "the source of an overridden prior is shown")

    # A plugin model: posteriordb's arK built by the test suite.
    ark_data = os.path.join(data, "posteriordb", "arK-arK.json")
    code, out, err, post = sample(["--model-lib", ark, "--data", ark_data] + short, np_=2,
                                  output="ark.h5")
    rows = table_rows(out) if code == 0 else []
    check(code == 0 and rows[:3] == ["alpha", "beta[0]", "beta[1]"] and rows[-1] == "sigma",
          f"a plugin model samples end to end: {rows} ({err[-500:]!r})")

    # Bad input: non-zero exit, one clear message, no output file.
    def expect_error(args, needles, what, np_=1):
        code, out, err, post = sample(args, np_=np_, output="bad.h5")
        said = [n for n in needles if n not in err]
        check(code != 0 and not said and not os.path.exists(post),
              f"{what}: exit {code}, message {err.strip().splitlines()[:3]!r}"
              + (f" lacks {said}" if said else ""))
        return err

    base = ["--data", cohort, "--covariates", covariates] + short
    err = expect_error(base + ["--formula", "area ~ 1 + age + + (1 | site)"],
                       ["--formula: position 18", "expected a term", "^"], "bad formula", np_=2)
    check(err.count("spectralbrain: error") == 1, "an error is printed once at 2 ranks")
    expect_error(base + ["--formula", "area ~ 1 + agee"],
                 ["no column 'agee'", "columns: subject, structure"], "unknown column")
    expect_error(base + ["--formula", "area ~ age"] + ["--prior", "b ~ normall(0, 1)"],
                 ["--prior", "unknown distribution 'normall'"], "bad prior distribution")
    expect_error(base + ["--formula", "area ~ age"] + ["--prior", "b:sex ~ normal(0, 1)"],
                 ["no coefficient 'sex' in class b (age)"], "prior for an absent coefficient")
    expect_error(base + ["--formula", "area ~ age"] + ["--prior", "b normal(0, 1)"],
                 ["expected 'class[:coef] ~ distribution'"], "prior without '~'")
    expect_error(base + ["--formula", "area ~ age", "--family", "poisson"],
                 ["unknown family 'poisson'"], "unknown family")

    gappy = os.path.join(work, "gappy.csv")
    make_cohort(gappy, covariates, blank=(subjects[3]["subject"], 3))
    expect_error(["--data", gappy, "--covariates", covariates, "--formula", "area ~ age"] + short,
                 [f"{gappy}: line 5: column 'area': missing value", "--drop-missing"],
                 "a missing value names file, line and column")
    code, out, err, post = sample(["--data", gappy, "--covariates", covariates, "--formula",
                                   "area ~ age", "--drop-missing"] + short, output="dropped.h5")
    check(code == 0 and "29 of 30 rows used, 1 dropped" in out and "line 5" in out,
          f"--drop-missing drops and reports the row ({err[-300:]!r})")
    partial = os.path.join(work, "partial_covariates.csv")
    with open(covariates) as f, open(partial, "w") as g:
        lines = f.readlines()
        g.writelines(lines[:3] + lines[4:])
    missing = lines[3].split(",")[0]
    expect_error(["--data", cohort, "--covariates", partial, "--formula", "area ~ age"] + short,
                 [f"subject '{missing}' has no row in {partial}", "column 'age'"],
                 "a subject without covariates")
    expect_error(["--data", cohort, "--formula", "area ~ age"] + short,
                 ["no column 'age'"], "covariates are needed for age")

    # A plugin that fails mid-run, and one that cannot be built.
    def faulty_data(mode, calls=0):
        path = os.path.join(work, f"faulty_{mode}.json")
        with open(path, "w") as f:
            json.dump({"mode": mode, "calls": calls}, f)
        return path
    expect_error(["--model-lib", faulty, "--data", faulty_data("error_after", 200)] + short,
                 ["sb_model_log_density_gradient returned error status -1",
                  "simulated failure in the model"], "a plugin error stops the run", np_=2)
    expect_error(["--model-lib", faulty, "--data", faulty_data("construct_fails")] + short,
                 ["faulty: construction failed on purpose"], "a plugin that cannot construct")
    expect_error(["--model-lib", faulty, "--data", faulty_data("nan_everywhere")] + short,
                 ["could not be initialised", "NaN or infinite"], "a plugin returning NaN")
    expect_error(["--model-lib", cohort] + short, ["cannot be loaded"], "not a shared library")
    expect_error(["--model-lib", ark, "--formula", "y ~ x"] + short,
                 ["--formula does not apply to a --model-lib plugin"], "plugin with a formula")

    print(f"\n{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
