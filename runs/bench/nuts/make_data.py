#!/usr/bin/env python3
"""Simulated linear-regression data for the NUTS benchmark, fixed seed.

y = 1 + X beta + N(0, 1.5^2), X ~ N(0, 1) with N=1000 rows and K=5 columns,
beta = (0.5, -1, 2, 0, 0.3). Writes CSV "y,x1,..,x5" to the path given.
"""
import random
import sys

N, K = 1000, 5
ALPHA, BETA, SIGMA = 1.0, [0.5, -1.0, 2.0, 0.0, 0.3], 1.5

rng = random.Random(20240611)
with open(sys.argv[1], "w") as out:
    out.write("y," + ",".join(f"x{k + 1}" for k in range(K)) + "\n")
    for _ in range(N):
        x = [rng.gauss(0.0, 1.0) for _ in range(K)]
        y = ALPHA + sum(b * v for b, v in zip(BETA, x)) + rng.gauss(0.0, SIGMA)
        out.write(",".join(repr(v) for v in [y] + x) + "\n")
