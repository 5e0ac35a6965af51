#!/usr/bin/python3
"""Make the benchmark surface: a FreeSurfer binary surface refined by midpoint subdivision
n times (geometry unchanged), written as OFF. fsaverage5 (10,242 vertices) subdivided twice
has 163,842 vertices, the size the solver figures are quoted for."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "support"))
import lapy_method  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("surface")
    p.add_argument("output")
    p.add_argument("--times", type=int, default=2)
    args = p.parse_args()
    v, f = lapy_method.read_freesurfer(args.surface)
    for _ in range(args.times):
        v, f = lapy_method.subdivide(v, f)
    lapy_method.write_off(args.output, v, f)
    print(f"{args.output}: {len(v)} vertices, {len(f)} faces")


if __name__ == "__main__":
    main()
