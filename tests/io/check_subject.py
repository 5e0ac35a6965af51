#!/usr/bin/python3
"""Checks a subject file against the layout in DESIGN.md, independently of the C++ reader.

  check_subject.py layout FILE N_RANKS PRECISION   the synthetic subject of subject_file_test
  check_subject.py same FILE_A FILE_B              identical datasets and attributes
                                                   (except n_ranks and wall_seconds_*)
Exits 0 when every check passes; prints what failed otherwise.
"""
import sys

import h5py
import numpy as np

# Must match subject_file_test.cpp.
N_VERTICES, N_FACES, K = 42, 80, 6
STAGES = ["read", "assemble", "solve"]


def vector_entry(i, j):
    return 1000.0 * i + j + 0.25


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_dataset(f, name, shape, dtype):
    check(name in f, f"{name} missing")
    d = f[name]
    check(isinstance(d, h5py.Dataset), f"{name} is not a dataset")
    check(d.shape == shape, f"{name} shape {d.shape}, expected {shape}")
    check(d.dtype == np.dtype(dtype), f"{name} dtype {d.dtype}, expected {dtype}")
    return d[()]


def check_attr(attrs, name, kind, value=None):
    check(name in attrs, f"root attribute {name} missing")
    a = attrs[name]
    if kind is str:
        check(isinstance(a, str), f"{name} is {type(a)}, expected a UTF-8 string")
    else:
        check(isinstance(a, kind), f"{name} is {type(a)}, expected {kind}")
    if value is not None:
        check(a == value, f"{name} = {a!r}, expected {value!r}")
    return a


def layout(path, n_ranks, precision):
    with h5py.File(path, "r") as f:
        a = f.attrs
        check_attr(a, "complete", np.int64, 1)
        check_attr(a, "format_version", np.int64, 1)
        check_attr(a, "spectralbrain_version", str)
        check_attr(a, "subject", str, "sub-01_lh.white")
        check_attr(a, "source_mesh", str, "/data/sub-01/surf/lh.white")
        check_attr(a, "sha256", str, "ab" * 32)
        check_attr(a, "n_vertices", np.int64, N_VERTICES)
        check_attr(a, "n_faces", np.int64, N_FACES)
        check_attr(a, "k", np.int64, K)
        check_attr(a, "sigma", np.float64, -0.01)
        check_attr(a, "mass", str, "lumped")
        check_attr(a, "n_ranks", np.int64, n_ranks)
        check_attr(a, "petsc_options", str, "-eps_tol 1e-10 -st_type sinvert")
        check_attr(a, "precision", str, precision)
        for s in STAGES:
            # Each rank r reports 1.5 + r seconds; the file keeps the slowest.
            check_attr(a, "wall_seconds_" + s, np.float64, 1.5 + (n_ranks - 1))

        vertices = check_dataset(f, "/mesh/vertices", (N_VERTICES, 3), "<f8")
        faces = check_dataset(f, "/mesh/faces", (N_FACES, 3), "<i4")
        check(np.allclose(np.linalg.norm(vertices, axis=1), 1.0), "vertices not on unit sphere")
        check(faces.min() == 0 and faces.max() == N_VERTICES - 1, "face indices out of range")
        e1 = vertices[faces[:, 1]] - vertices[faces[:, 0]]
        e2 = vertices[faces[:, 2]] - vertices[faces[:, 0]]
        area = 0.5 * np.linalg.norm(np.cross(e1, e2), axis=1).sum()
        check(abs(check_attr(a, "area", np.float64) - area) < 1e-12 * area, "area attribute")

        values = check_dataset(f, "/eigen/values", (K,), "<f8")
        check(np.array_equal(values, np.arange(K) * (np.arange(K) + 1.0)), "eigen values")
        check(np.all(np.diff(values) >= 0), "eigen values not ascending")
        residuals = check_dataset(f, "/eigen/residuals", (K,), "<f8")
        check(np.array_equal(residuals, 1e-12 * (np.arange(K) + 1)), "residuals")
        dtype = "<f8" if precision == "double" else "<f4"
        vectors = check_dataset(f, "/eigen/vectors", (N_VERTICES, K), dtype)
        i, j = np.meshgrid(np.arange(N_VERTICES), np.arange(K), indexing="ij")
        check(np.array_equal(vectors, vector_entry(i, j).astype(dtype)), "vector rows/order")

        hks = check_dataset(f, "/descriptors/hks", (N_VERTICES, 3), "<f8")
        i, j = np.meshgrid(np.arange(N_VERTICES), np.arange(3), indexing="ij")
        check(np.array_equal(hks, -vector_entry(i, j)), "descriptor rows/order")
        times = check_dataset(f, "/descriptors/hks_times", (3,), "<f8")
        check(np.array_equal(times, [0.1, 1.0, 10.0]), "hks_times")
        check(f["/descriptors/hks"].attrs["units"] == "mm^2", "descriptor attribute")
        check(np.array_equal(f["/descriptors/hks"].attrs["scales"], [1.0, 2.0]), "array attr")
    return 0


def same(path_a, path_b):
    ignored = {"n_ranks"}
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        names_a, names_b = [], []
        a.visit(names_a.append)
        b.visit(names_b.append)
        check(sorted(names_a) == sorted(names_b), f"objects differ: {names_a} vs {names_b}")
        for name in names_a:
            if isinstance(a[name], h5py.Dataset):
                check(a[name].dtype == b[name].dtype, f"{name} dtype differs")
                check(np.array_equal(a[name][()], b[name][()]), f"{name} contents differ")
        for name in ["/"] + names_a:
            attrs_a, attrs_b = a[name].attrs, b[name].attrs
            for key in set(attrs_a) | set(attrs_b):
                if name == "/" and (key in ignored or key.startswith("wall_seconds_")):
                    continue
                check(key in attrs_a and key in attrs_b, f"{name} attribute {key} in one file")
                check(np.array_equal(attrs_a[key], attrs_b[key]), f"{name} attribute {key}")
    return 0


if __name__ == "__main__":
    try:
        if sys.argv[1] == "layout":
            sys.exit(layout(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
        if sys.argv[1] == "same":
            sys.exit(same(sys.argv[2], sys.argv[3]))
        sys.exit(f"unknown mode {sys.argv[1]}")
    except AssertionError as e:
        print(f"check_subject.py: {sys.argv[2]}: {e}", file=sys.stderr)
        sys.exit(1)
