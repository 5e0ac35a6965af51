#!/usr/bin/python3
"""Opens a posterior written from real sampler output with xarray, as users do, and checks
dims, dtypes and one value against the C++ summary. usage: check_sampled.py FILE THETA0_MEAN"""
import sys

import numpy as np
import xarray as xr

path, theta0_mean = sys.argv[1], float(sys.argv[2])
p = xr.open_dataset(path, group="posterior")
s = xr.open_dataset(path, group="sample_stats")
problems = []
if p.theta.dims != ("chain", "draw", "theta_dim_0"):
    problems.append(f"theta dims {p.theta.dims}")
if p.mu.shape != (4, 1000):
    problems.append(f"mu shape {p.mu.shape}")
if abs(float(p.theta[:, :, 0].mean()) - theta0_mean) > 1e-9 * (1 + abs(theta0_mean)):
    problems.append(f"theta[0] mean {float(p.theta[:, :, 0].mean())} vs {theta0_mean}")
if s.diverging.dtype != bool:
    problems.append(f"diverging dtype {s.diverging.dtype}")
if s.tree_depth.dtype != np.int64:
    problems.append(f"tree_depth dtype {s.tree_depth.dtype}")
missing = {"lp", "acceptance_rate", "step_size", "n_steps", "energy", "tree_depth"} - set(s.data_vars)
if missing:
    problems.append(f"sample_stats lacks {sorted(missing)}")
for problem in problems:
    print("check_sampled:", problem)
sys.exit(1 if problems else 0)
