#!/usr/bin/python3
"""End-to-end test of descriptors, exports and comparison under mpiexec at a given rank count.

  eigen --descriptors ... --export gifti,vtk   on fsaverage5 lh.pial; every descriptor
                                               recomputed here with NumPy from the stored
                                               eigenpairs and the papers' formulas; the GIFTI
                                               and VTK files parsed by independent readers
  descriptors --input ... --output ...         recompute equals the eigen-time result
                                               bitwise (also at 1 rank when run at N)
  compare a.h5 b.h5                            distance and per-mode differences
  bad inputs                                   non-zero exit, clear message, nothing written

usage: descriptors_cli_test.py --bin spectralbrain --mpiexec mpiexec --np N --data tests/data
"""
import argparse
import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import lapy_method  # noqa: E402

failures = []
K = 20
ALL = "shapedna,hks,si-hks,wks,gps"
PER_VERTEX = ("hks", "si_hks", "wks", "gps")


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(args, np_=None):
    cmd = [ARGS.mpiexec, "-n", str(np_ or ARGS.np), "--oversubscribe", ARGS.bin, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def ok(r, what):
    check(r.returncode == 0, f"{what} exited {r.returncode}: {r.stderr[-2000:]}")
    return r.returncode == 0


def leftovers(folder):
    return [f for f in os.listdir(folder) if ".tmp" in f]


# ---- independent references ---------------------------------------------------------------

def n_zero(lam):
    return int(np.sum(np.abs(lam) <= 1e-8 * np.abs(lam).max()))


def reference_descriptors(lam, phi, area):
    """Every descriptor from the formulas of the papers, with the documented defaults."""
    z = n_zero(lam)
    out = {"shapedna": lam * area}
    t = np.geomspace(4 * np.log(10) / lam[-1], 4 * np.log(10) / lam[z], 100)
    out["hks_times"] = t
    out["hks"] = (phi ** 2) @ np.exp(-np.outer(lam, t))
    out["heat_trace"] = np.exp(-np.outer(lam, t)).sum(axis=0)
    log_lam = np.log(lam[z:])
    sigma = 7 * (log_lam[-1] - log_lam[0]) / 100
    e = np.linspace(log_lam[0] + 2 * sigma, log_lam[-1] - 2 * sigma, 100)
    g = np.exp(-(e[None, :] - log_lam[:, None]) ** 2 / (2 * sigma ** 2))
    out["wks_energies"] = e
    out["wks"] = (phi[:, z:] ** 2) @ (g / g.sum(axis=0))
    out["gps"] = phi[:, z:] / np.sqrt(lam[z:])
    tau = 1 + np.arange(385) / 16  # 1, 1+1/16, ..., 25
    ts = 2.0 ** tau
    heat = (phi ** 2) @ np.exp(-np.outer(lam, ts))
    flux = (phi ** 2) @ (lam[:, None] * ts[None, :] * np.exp(-np.outer(lam, ts)))
    derivative = -np.log(2) * flux / heat  # d log h / d tau
    out["si_hks"] = np.abs(np.fft.fft(derivative, axis=1))[:, :6]
    return out


def close(a, b, rtol):
    return a.shape == b.shape and np.abs(a - b).max() <= rtol * np.abs(b).max()


def read_gifti(path):
    """Minimal independent GIFTI reader: [(intent, datatype, dims, name, values)] per array."""
    arrays = []
    for da in ET.parse(path).getroot().iter("DataArray"):
        dims = [int(da.get(f"Dim{i}")) for i in range(int(da.get("Dimensionality")))]
        meta = {md.find("Name").text: md.find("Value").text for md in da.iter("MD")}
        raw = base64.b64decode(da.find("Data").text)
        if da.get("Encoding") == "GZipBase64Binary":
            raw = zlib.decompress(raw)
        dtype = {"NIFTI_TYPE_FLOAT32": "<f4", "NIFTI_TYPE_INT32": "<i4"}[da.get("DataType")]
        check(da.get("Endian") == "LittleEndian", f"{path}: little-endian data")
        values = np.frombuffer(raw, dtype).reshape(dims)
        arrays.append((da.get("Intent"), da.get("DataType"), dims, meta.get("Name"), values))
    return arrays


def read_vtk(path):
    """Minimal independent reader of VTK legacy binary polydata with FIELD point data."""
    data = open(path, "rb").read()
    pos = 0

    def line():
        nonlocal pos
        end = data.index(b"\n", pos)
        text = data[pos:end].decode()
        pos = end + 1
        return text

    def block(count, dtype):
        nonlocal pos
        size = count * np.dtype(dtype).itemsize
        values = np.frombuffer(data, dtype, count, pos)
        pos += size
        if pos < len(data) and data[pos:pos + 1] == b"\n":
            pos += 1
        return values

    header = [line() for _ in range(4)]
    check(header[0].startswith("# vtk DataFile Version"), f"{path}: VTK header")
    check(header[2] == "BINARY" and header[3] == "DATASET POLYDATA", f"{path}: binary polydata")
    _, n, kind = line().split()
    points = block(3 * int(n), ">f8" if kind == "double" else ">f4").reshape(-1, 3)
    _, n_faces, size = line().split()
    cells = block(int(size), ">i4").reshape(int(n_faces), -1)
    arrays = {}
    if pos < len(data):
        check(line() == f"POINT_DATA {points.shape[0]}", f"{path}: POINT_DATA line")
        words = line().split()
        check(words[0] == "FIELD", f"{path}: FIELD line")
        for _ in range(int(words[2])):
            name, comps, tuples, dtype = line().split()
            check(dtype == "float", f"{path}: {name} stored as float")
            arrays[name] = block(int(comps) * int(tuples), ">f4").reshape(int(tuples), int(comps))
    check(pos == len(data), f"{path}: parsed to the end ({pos} of {len(data)} bytes)")
    return points, cells, arrays


# ---- tests --------------------------------------------------------------------------------

def test_eigen_descriptors(work, mesh):
    out = os.path.join(work, "lh.pial.h5")
    r = run(["eigen", "--mesh", mesh, "--k", str(K), "--output", out, "--descriptors", ALL,
             "--export", "gifti,vtk", "--export-modes", "1-5"])
    if not ok(r, "eigen --descriptors"):
        return None
    check(leftovers(work) == [], f"no temporary files: {leftovers(work)}")
    v, f = lapy_method.read_freesurfer(mesh)
    area = 0.5 * np.linalg.norm(np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]]),
                                axis=1).sum()
    with h5py.File(out, "r") as h5:
        check(int(h5.attrs["complete"]) == 1, "complete = 1")
        check("wall_seconds_descriptors" in h5.attrs, "descriptors stage timed")
        lam, phi = h5["eigen/values"][:], h5["eigen/vectors"][:]
        d = h5["descriptors"]
        check(d.attrs["computed"] == ALL, f"computed = {d.attrs['computed']}")
        check(int(d.attrs["n_zero_modes"]) == 1 and float(d.attrs["zero_tolerance"]) == 1e-8,
              "zero-mode attributes")
        ref = reference_descriptors(lam, phi, area)
        for name, rtol in (("shapedna", 1e-12), ("hks", 1e-12), ("hks_times", 1e-14),
                           ("heat_trace", 1e-13), ("wks", 1e-11), ("wks_energies", 1e-13),
                           ("gps", 1e-14), ("si_hks", 1e-9)):
            check(name in d, f"/descriptors/{name} written")
            if name in d:
                got = d[name][:]
                err = np.abs(got - ref[name]).max() / np.abs(ref[name]).max()
                check(close(got, ref[name], rtol),
                      f"{name} {got.shape} equals the independent formula (rel. error {err:.1e})")
        check(d["shapedna"].attrs["normalization"] == "surface"
              and d["shapedna"].attrs["reweighting"] == "none", "ShapeDNA convention attributes")
        check("Sun, Ovsjanikov, Guibas" in d["hks"].attrs["convention"], "HKS convention")
        check(abs(float(d["wks"].attrs["variance_factor"]) - 7) == 0, "WKS variance factor")
        check(abs(float(d["wks"].attrs["sigma"]) -
                  7 * np.log(lam[-1] / lam[1]) / 100) < 1e-12, "WKS sigma stored")
        check(int(d["gps"].attrs["first_mode"]) == 1, "GPS first_mode")
        for name in ("alpha", "tau_min", "tau_max", "tau_step", "n_frequencies"):
            check(name in d["si_hks"].attrs, f"SI-HKS attribute {name}")
        stored = {name: d[name][:] for name in PER_VERTEX}

    # GIFTI, read by an independent XML reader.
    stem = os.path.join(work, "lh.pial")
    surf = read_gifti(stem + ".surf.gii")
    check([a[0] for a in surf] == ["NIFTI_INTENT_POINTSET", "NIFTI_INTENT_TRIANGLE"],
          "surface intents")
    check(np.array_equal(surf[1][4], f) and np.allclose(surf[0][4], v, atol=1e-4),
          "GIFTI surface equals the mesh")
    modes = read_gifti(stem + ".eigenfunctions.func.gii")
    check(len(modes) == 5 and all(a[0] == "NIFTI_INTENT_NONE" and a[2] == [len(v)]
                                  for a in modes), "eigenfunctions: 5 1-D NONE arrays")
    check(all(np.array_equal(modes[j][4], phi[:, j + 1].astype(np.float32)) for j in range(5)),
          "eigenfunction values (float32)")
    check(modes[0][3].startswith("phi_1 lambda="), f"array name {modes[0][3]}")
    for name in PER_VERTEX:
        arrays = read_gifti(f"{stem}.{name}.shape.gii")
        values = np.stack([a[4] for a in arrays], axis=1)
        check(all(a[0] == "NIFTI_INTENT_SHAPE" and a[1] == "NIFTI_TYPE_FLOAT32"
                  and a[2] == [len(v)] for a in arrays), f"{name}: 1-D float32 SHAPE arrays")
        check(np.array_equal(values, stored[name].astype(np.float32)),
              f"{name}.shape.gii holds /descriptors/{name} ({values.shape})")
    check(read_gifti(stem + ".hks.shape.gii")[0][3].startswith("hks t="), "HKS array names")

    # VTK, read by an independent binary reader.
    points, cells, arrays = read_vtk(stem + ".vtk")
    check(np.array_equal(points, v), "VTK points = mesh vertices (double)")
    check(np.all(cells[:, 0] == 3) and np.array_equal(cells[:, 1:], f), "VTK triangles")
    expected = [f"phi_{j}" for j in range(1, 6)] + list(PER_VERTEX)
    check(list(arrays) == expected, f"VTK point-data arrays {list(arrays)}")
    if list(arrays) == expected:
        check(np.array_equal(arrays["phi_3"][:, 0], phi[:, 3].astype(np.float32)), "phi_3")
        for name in PER_VERTEX:
            check(np.array_equal(arrays[name], stored[name].astype(np.float32)),
                  f"VTK {name} {arrays[name].shape}")
    return out


def test_recompute(work, subject):
    """`descriptors` equals the eigen-time result bitwise, at this and at 1 rank."""
    outs = {}
    for np_ in sorted({ARGS.np, 1}):
        outs[np_] = os.path.join(work, f"recomputed_np{np_}.h5")
        r = run(["descriptors", "--input", subject, "--output", outs[np_], "--descriptors", ALL],
                np_)
        if not ok(r, f"descriptors at {np_} ranks"):
            return
    with h5py.File(subject, "r") as a:
        for np_, path in outs.items():
            with h5py.File(path, "r") as b:
                for name in ("shapedna", "hks", "hks_times", "heat_trace", "wks", "wks_energies",
                             "gps", "si_hks"):
                    check(np.array_equal(a["descriptors"][name][:], b["descriptors"][name][:]),
                          f"recomputed at {np_} ranks: {name} identical to eigen's")
                for name in ("eigen/values", "eigen/vectors", "eigen/residuals", "mesh/vertices",
                             "mesh/faces"):
                    check(np.array_equal(a[name][:], b[name][:]), f"{name} copied")
                for attr in ("subject", "source_mesh", "sha256", "sigma", "mass", "petsc_options",
                             "k", "area", "wall_seconds_solve"):
                    check(a.attrs[attr] == b.attrs[attr], f"root attribute {attr} copied")
                check(int(b.attrs["n_ranks"]) == np_ and int(b.attrs["complete"]) == 1,
                      "n_ranks of the recompute, complete")
    # In place, with other parameters: the file is replaced by a complete one.
    copy = os.path.join(work, "in_place.h5")
    shutil.copy(subject, copy)
    r = run(["descriptors", "--input", copy, "--output", copy, "--descriptors", "hks,wks",
             "--hks-times", "7", "--hks-scaling", "heat-trace", "--wks-energies", "40"])
    if ok(r, "descriptors in place"):
        with h5py.File(copy, "r") as h5:
            check(sorted(h5["descriptors"]) == ["heat_trace", "hks", "hks_times", "wks",
                                                 "wks_energies"], "old descriptors replaced")
            check(h5["descriptors/hks"].shape == (h5.attrs["n_vertices"], 7), "7 HKS times")
            check(h5["descriptors/hks"].attrs["scaling"] == "heat-trace", "scaling stored")
    check(leftovers(work) == [], f"no temporary files: {leftovers(work)}")


def test_single_precision(work, mesh):
    out = os.path.join(work, "single.h5")
    r = run(["eigen", "--mesh", mesh, "--k", "8", "--precision", "single", "--descriptors",
             "hks,gps", "--output", out])
    if ok(r, "eigen --precision single --descriptors"):
        with h5py.File(out, "r") as h5:
            check(h5["descriptors/hks"].dtype == np.float32, "per-vertex descriptors in float32")
            check(h5["descriptors/hks_times"].dtype == np.float64, "times stay float64")


def test_compare(work, pial, white_mesh):
    white = os.path.join(work, "lh.white.h5")
    if not ok(run(["eigen", "--mesh", white_mesh, "--k", str(K), "--output", white,
                   "--descriptors", "shapedna"]), "eigen lh.white"):
        return
    csv = os.path.join(work, "compare.csv")
    r = run(["compare", pial, white, "--csv", csv], 1)
    if not ok(r, "compare"):
        return
    with h5py.File(pial, "r") as a, h5py.File(white, "r") as b:
        sa = a["eigen/values"][:] * a.attrs["area"]
        sb = b["eigen/values"][:] * b.attrs["area"]
        ea, eb = a["eigen/values"][:], b["eigen/values"][:]
    distance = np.linalg.norm(sa - sb)
    m = re.search(r"distance\s+([0-9.eE+-]+)", r.stdout)
    check(m is not None and abs(float(m.group(1)) - distance) <= 1e-8 * distance,
          f"distance {m.group(1) if m else None} vs {distance}")
    check("stored /descriptors/shapedna" in r.stdout, "compare uses the stored vectors")
    table = np.loadtxt(csv, delimiter=",", skiprows=1)
    check(table.shape == (K, 4) and np.allclose(table[:, 3], sa - sb, rtol=1e-12, atol=1e-9),
          "per-mode differences in the CSV")
    r = run(["compare", pial, white, "--normalization", "none", "--reweighting", "index",
             "--k", "10"], 1)
    if ok(r, "compare --normalization none --reweighting index --k 10"):
        expected = np.linalg.norm(ea[1:10] / np.arange(1, 10) - eb[1:10] / np.arange(1, 10))
        m = re.search(r"distance\s+([0-9.eE+-]+)", r.stdout)
        check(m is not None and abs(float(m.group(1)) - expected) <= 1e-8 * expected,
              "recomputed distance (none, index, k=10)")
    return white


def expect_failure(folder, args, words, label, np_=None):
    before = set(os.listdir(folder))
    r = run(args, np_)
    check(r.returncode != 0, f"{label}: exit status non-zero (got {r.returncode})")
    for w in words:
        check(w in r.stderr, f"{label}: error mentions '{w}': {r.stderr.strip()[-600:]}")
    after = set(os.listdir(folder))
    check(after == before, f"{label}: nothing written ({after - before})")


def test_bad_inputs(work, mesh, pial, white):
    bad = os.path.join(work, "bad")
    os.mkdir(bad)
    out = os.path.join(bad, "out.h5")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--k", "8", "--output", out,
                         "--descriptors", "hks,bogus"], ["--descriptors", "bogus"],
                   "unknown descriptor")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--k", "8", "--output", out, "--export", "obj"],
                   ["--export", "obj"], "unknown export format")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--k", "8", "--output", out, "--export", "vtk",
                         "--export-modes", "3-9"], ["--export-modes", "mode 8"],
                   "exported mode beyond k")
    expect_failure(bad, ["eigen", "--mesh", mesh, "--k", "8", "--output", out, "--descriptors",
                         "wks", "--wks-energies", "10"], ["wks-energies"], "empty WKS window")
    expect_failure(bad, ["descriptors", "--input", os.path.join(bad, "missing.h5"), "--output",
                         out], ["missing.h5"], "missing input")
    no_eigen = os.path.join(bad, "no_eigen.h5")
    shutil.copy(pial, no_eigen)
    with h5py.File(no_eigen, "r+") as h5:
        del h5["eigen"]
    expect_failure(bad, ["descriptors", "--input", no_eigen, "--output", out],
                   ["no_eigen.h5", "/eigen"], "file without eigenpairs")
    text = os.path.join(bad, "text.h5")
    open(text, "w").write("not HDF5\n")
    expect_failure(bad, ["descriptors", "--input", text, "--output", out], ["text.h5"],
                   "input that is not HDF5")
    expect_failure(bad, ["descriptors", "--input", pial, "--output", out, "--descriptors", ""],
                   ["--descriptors"], "no descriptor asked for")
    # Comparison problems (the white file has k = 20 too; make one with another k).
    k12 = os.path.join(bad, "k12.h5")
    if ok(run(["eigen", "--mesh", mesh, "--k", "12", "--output", k12]), "eigen k=12"):
        expect_failure(bad, ["compare", pial, k12], ["--k", "12", str(K)], "mismatched k", 1)
        expect_failure(bad, ["compare", pial, k12, "--k", "13"], ["--k", "k12.h5"],
                       "--k beyond a file's k", 1)
    lumped = os.path.join(bad, "lumped.h5")
    if ok(run(["eigen", "--mesh", mesh, "--k", str(K), "--mass", "lumped", "--output", lumped]),
          "eigen lumped"):
        expect_failure(bad, ["compare", pial, lumped], ["mass", "lumped"], "mass mismatch", 1)
    volume = os.path.join(bad, "volume.h5")
    if ok(run(["eigen", "--mesh", mesh, "--k", str(K), "--descriptors", "shapedna",
               "--shapedna-normalization", "volume", "--output", volume]), "eigen volume"):
        expect_failure(bad, ["compare", pial, volume], ["conventions", "--normalization"],
                       "stored conventions differ", 1)
    expect_failure(bad, ["compare", pial], ["two subject files"], "one file only", 1)


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--mpiexec", default="mpiexec")
    p.add_argument("--np", type=int, default=1)
    p.add_argument("--data", required=True)
    ARGS = p.parse_args()
    meshes = os.path.join(ARGS.data, "meshes", "fsaverage5")
    mesh = os.path.join(meshes, "lh.pial")
    work = tempfile.mkdtemp(prefix="sb_descriptors_cli_")
    try:
        pial = test_eigen_descriptors(work, mesh)
        if pial:
            test_recompute(work, pial)
            white = test_compare(work, pial, os.path.join(meshes, "lh.white.surf.gii"))
            test_bad_inputs(work, mesh, pial, white)
        test_single_precision(work, mesh)
        r = run(["descriptors", "--help"], 1)
        check(r.returncode == 0 and "--input" in r.stdout and "--wks-energies" in r.stdout,
              "descriptors --help")
        r = run(["compare", "--help"], 1)
        check(r.returncode == 0 and "--normalization" in r.stdout, "compare --help")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'FAILED' if failures else 'OK'}: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
