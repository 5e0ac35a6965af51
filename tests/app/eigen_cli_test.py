#!/usr/bin/python3
"""End-to-end test of `spectralbrain eigen` under mpiexec at a given rank count.

Truth is independent: eigenpairs of the same mesh from tests/support/lapy_method.py (the
LaPy method in SciPy). Bad inputs must give a clear error, a non-zero exit and no output.

usage: eigen_cli_test.py --bin spectralbrain --mpiexec mpiexec --np N --data tests/data
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import lapy_method  # noqa: E402

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(args, np_):
    cmd = [ARGS.mpiexec, "-n", str(np_), "--oversubscribe", ARGS.bin, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def leftovers(folder):
    return [f for f in os.listdir(folder) if ".tmp" in f]


def test_real_mesh(work, mesh):
    out = os.path.join(work, "lh.pial.h5")
    k = 20
    r = run(["eigen", "--mesh", mesh, "--k", str(k), "--output", out], ARGS.np)
    check(r.returncode == 0, f"eigen on {mesh} exited {r.returncode}: {r.stderr[-2000:]}")
    if r.returncode != 0:
        return
    check("wrote" in r.stdout and out in r.stdout, "report names the output file")
    check(leftovers(work) == [], f"no temporary files left: {leftovers(work)}")
    v, f = lapy_method.read_freesurfer(mesh)
    ref_values, ref_vectors, L, M = lapy_method.eigenpairs(v, f, k)
    with h5py.File(out, "r") as h5:
        a = h5.attrs
        check(int(a["complete"]) == 1, "complete = 1")
        check(int(a["n_vertices"]) == len(v) and int(a["n_faces"]) == len(f), "N and F")
        check(int(a["k"]) == k and int(a["n_ranks"]) == ARGS.np, "k and n_ranks attributes")
        check(abs(float(a["sigma"]) + 0.01) < 1e-15, "sigma attribute")
        check(a["mass"] == "consistent", "mass attribute")
        check(a["sha256"] == hashlib.sha256(open(mesh, "rb").read()).hexdigest(), "sha256")
        check("-eps_tol" in a["petsc_options"], "petsc_options stored: " + a["petsc_options"])
        area = 0.5 * np.linalg.norm(np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]]),
                                    axis=1).sum()
        check(abs(float(a["area"]) - area) < 1e-9 * area, f"area {a['area']} vs {area}")
        for stage in ("read", "assemble", "solve", "write"):
            check(f"wall_seconds_{stage}" in a, f"wall_seconds_{stage} attribute")
        check(np.array_equal(h5["mesh/faces"][:], f), "faces in input order")
        check(np.allclose(h5["mesh/vertices"][:], v, rtol=0, atol=0), "vertices in input order")
        values = h5["eigen/values"][:]
        vectors = h5["eigen/vectors"][:]
        residuals = h5["eigen/residuals"][:]
    check(vectors.shape == (len(v), k) and vectors.dtype == np.float64, "vectors (N,k) float64")
    check(np.all(np.diff(values) >= 0), "eigenvalues ascending")
    scale = ref_values[1]
    err = np.abs(values - ref_values) / np.maximum(np.abs(ref_values), scale)
    check(err.max() < 1e-8, f"eigenvalues agree with SciPy to 1e-8 relative (max {err.max():.2e})")
    gram = vectors.T @ (M @ vectors)
    check(np.abs(gram - np.eye(k)).max() < 1e-8, "vectors M-orthonormal")
    res = np.linalg.norm(L @ vectors - (M @ vectors) * values, axis=0) / np.linalg.norm(
        M @ vectors, axis=0)
    check(res.max() < 1e-8, f"residuals small (max {res.max():.2e})")
    check(np.allclose(res, residuals, rtol=1e-3, atol=1e-14), "stored residuals are the true ones")
    # Simple eigenvalues: the same vector as SciPy's up to sign.
    gaps = np.minimum(np.r_[np.inf, np.diff(ref_values)], np.r_[np.diff(ref_values), np.inf])
    for j in range(1, k):
        if gaps[j] > 1e-3 * ref_values[j]:
            c = abs(vectors[:, j] @ (M @ ref_vectors[:, j]))
            check(abs(c - 1) < 1e-6, f"vector {j} equals SciPy's up to sign (|<.,.>_M| = {c})")
    return values


def test_single_and_lumped(work, mesh):
    out = os.path.join(work, "single.h5")
    r = run(["eigen", "--mesh", mesh, "--k", "6", "--mass", "lumped", "--precision", "single",
             "--output", out], ARGS.np)
    check(r.returncode == 0, f"lumped/single run exited {r.returncode}: {r.stderr[-2000:]}")
    if r.returncode != 0:
        return
    v, f = lapy_method.read_freesurfer(mesh)
    ref = lapy_method.eigenpairs(v, f, 6, lumped=True)[0]
    with h5py.File(out, "r") as h5:
        check(h5["eigen/vectors"].dtype == np.float32, "--precision single stores float32")
        check(h5.attrs["mass"] == "lumped", "mass attribute lumped")
        values = h5["eigen/values"][:]
    err = np.abs(values - ref) / np.maximum(np.abs(ref), ref[1])
    check(err.max() < 1e-8, f"lumped eigenvalues agree with SciPy (max {err.max():.2e})")


def test_cleaning_policies(work, mesh):
    """Unreferenced vertices are dropped and marked NaN; --largest-component solves on the
    largest component only; C components >= k is an input error."""
    v, f = lapy_method.read_freesurfer(mesh)
    # An extra vertex no face uses, in the middle of the input order.
    extra = len(v) // 2
    v2 = np.insert(v, extra, [1e3, 1e3, 1e3], axis=0)
    f2 = np.where(f >= extra, f + 1, f)
    path = os.path.join(work, "unreferenced.off")
    lapy_method.write_off(path, v2, f2)
    out = os.path.join(work, "unreferenced.h5")
    r = run(["eigen", "--mesh", path, "--k", "8", "--output", out], ARGS.np)
    check(r.returncode == 0, f"unreferenced vertex: exit {r.returncode}: {r.stderr[-1500:]}")
    if r.returncode == 0:
        ref_values, ref_vectors, _, M = lapy_method.eigenpairs(v, f, 8)
        with h5py.File(out, "r") as h5:
            vectors = h5["eigen/vectors"][:]
            values = h5["eigen/values"][:]
            check(int(h5.attrs["n_dropped_vertices"]) == 1, "n_dropped_vertices = 1")
            check(h5["mesh/vertices"].shape[0] == len(v2), "/mesh keeps the input vertices")
        check(vectors.shape[0] == len(v2), "one row per input vertex")
        check(np.all(np.isnan(vectors[extra])), "the dropped vertex's row is NaN")
        kept = np.delete(vectors, extra, axis=0)
        check(not np.isnan(kept).any(), "all other rows finite")
        err = np.abs(values - ref_values) / np.maximum(np.abs(ref_values), ref_values[1])
        check(err.max() < 1e-8, f"eigenvalues as without the extra vertex ({err.max():.1e})")
        c = abs(kept[:, 1] @ (M @ ref_vectors[:, 1]))
        check(abs(c - 1) < 1e-6, f"rows line up with the input order (|<.,.>_M| = {c})")

    # Two copies of the surface, the second shifted and scaled by 0.5: two components.
    v3 = np.vstack([v, 0.5 * v + 500.0])
    f3 = np.vstack([f, f + len(v)])
    path = os.path.join(work, "two.off")
    lapy_method.write_off(path, v3, f3)
    expect_failure(work, ["eigen", "--mesh", path, "--k", "2", "--output",
                          os.path.join(work, "two_k2.h5")],
                   ["2 connected components", "--largest-component"], "components >= k")
    out = os.path.join(work, "largest.h5")
    r = run(["eigen", "--mesh", path, "--k", "6", "--largest-component", "--output", out],
            ARGS.np)
    check(r.returncode == 0, f"--largest-component: exit {r.returncode}: {r.stderr[-1500:]}")
    if r.returncode == 0:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        adjacency = coo_matrix((np.ones(3 * len(f3)), (f3.ravel(), np.roll(f3, 1, 1).ravel())),
                               shape=(len(v3), len(v3)))
        n, labels = connected_components(adjacency, directed=False)
        check(n == 2, "the test mesh has two components")
        # Equal vertex counts: the first component is the larger by BrainPrint's rule? Both
        # have N vertices; whichever was kept, its spectrum is one of the two references.
        with h5py.File(out, "r") as h5:
            vectors = h5["eigen/vectors"][:]
            values = h5["eigen/values"][:]
        kept_rows = ~np.isnan(vectors).any(axis=1)
        check(kept_rows.sum() == len(v), f"one component's rows kept ({kept_rows.sum()})")
        check(len(set(labels[kept_rows])) == 1, "the kept rows are one component")
        scale = 1.0 if kept_rows[0] else 0.5
        ref = lapy_method.eigenpairs(v * scale, f, 6)[0]
        err = np.abs(values - ref) / np.maximum(np.abs(ref), ref[1])
        check(err.max() < 1e-8, f"spectrum of the kept component ({err.max():.1e})")


def expect_failure(work, args, words, label):
    before = set(os.listdir(work))
    r = run(args, ARGS.np)
    check(r.returncode != 0, f"{label}: exit status non-zero (got {r.returncode})")
    for w in words:
        check(w in r.stderr, f"{label}: error mentions '{w}': {r.stderr.strip()[-600:]}")
    check(set(os.listdir(work)) == before, f"{label}: nothing written ({set(os.listdir(work)) - before})")


def test_bad_inputs(work, mesh):
    bad = os.path.join(work, "bad")
    os.mkdir(bad)
    out = os.path.join(bad, "out.h5")
    data = open(mesh, "rb").read()
    truncated = os.path.join(bad, "truncated.pial")
    open(truncated, "wb").write(data[: len(data) // 2])
    tiny = os.path.join(bad, "tetra.off")
    open(tiny, "w").write("OFF\n4 4 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n"
                          "3 0 2 1\n3 0 1 3\n3 0 3 2\n3 1 2 3\n")
    expect_failure(bad, ["eigen", "--mesh", truncated, "--output", out], ["truncated.pial"],
                   "truncated mesh")
    expect_failure(bad, ["eigen", "--mesh", os.path.join(bad, "missing.white"), "--output", out],
                   ["missing.white"], "missing mesh")
    expect_failure(bad, ["eigen", "--mesh", tiny, "--k", "4", "--output", out], ["k"],
                   "k >= N")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--k", "0", "--output", out], ["k"], "k = 0")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--mass", "heavy", "--output", out],
                   ["--mass", "heavy"], "bad --mass")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--precision", "half", "--output", out],
                   ["--precision", "half"], "bad --precision")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--output", os.path.join(bad, "no", "x.h5")],
                   [os.path.join(bad, "no")], "missing output folder")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--bogus", "1", "--output", out], ["bogus"],
                   "unknown option")
    expect_failure(bad, ["eigen", "--output", out], ["--mesh"], "missing --mesh")
    r = run(["eigen", "--help"], 1)
    check(r.returncode == 0 and "--mesh" in r.stdout and "--k" in r.stdout, "--help")


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--mpiexec", default="mpiexec")
    p.add_argument("--np", type=int, default=1)
    p.add_argument("--data", required=True)
    ARGS = p.parse_args()
    mesh = os.path.join(ARGS.data, "meshes", "fsaverage5", "lh.pial")
    work = tempfile.mkdtemp(prefix="sb_eigen_cli_")
    try:
        test_real_mesh(work, mesh)
        test_single_and_lumped(work, mesh)
        test_bad_inputs(work, mesh)
        test_cleaning_policies(work, mesh)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'FAILED' if failures else 'OK'}: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
