#!/usr/bin/python3
"""The LaPy method, timed as a whole process for the side-by-side benchmark: read an OFF
mesh, assemble with NumPy/SciPy, scipy.sparse.linalg.eigsh(L, k, M, sigma=-0.01) (SuperLU).
Writes the eigenvalues (.npy)."""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "support"))
import lapy_method  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("mesh")
    p.add_argument("--k", type=int, default=100)
    p.add_argument("--sigma", type=float, default=-0.01)
    p.add_argument("--output", required=True, help="eigenvalues, .npy")
    args = p.parse_args()
    start = time.perf_counter()
    values = lapy_method.eigenpairs(*lapy_method.read_off(args.mesh), args.k, args.sigma)[0]
    np.save(args.output, values)
    print(f"scipy: k={args.k} whole solve {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
