#!/usr/bin/python3
"""Opens a posterior file written by SpectralBrain the way ArviZ and xarray users do and
checks groups, dims, coordinates, shapes, dtypes, values and attributes.

usage: check_posterior.py WRITE_EXAMPLE_POSTERIOR_EXE WORK_DIR

The writer produces tests/posterior/example_posterior.hpp's draws; the expected values below
follow the same formulas, computed here independently with numpy.
"""
import os
import subprocess
import sys

import netCDF4
import numpy as np
import xarray as xr

C, D = 3, 50


def expected():
    c = np.arange(C)[:, None].astype(float)
    d = np.arange(D)[None, :].astype(float)
    k4 = np.arange(4)[None, None, :]
    k2 = np.arange(2)[None, None, :]
    a = np.arange(2)[None, None, :, None]
    b = np.arange(3)[None, None, None, :]
    tree = (np.arange(D) % 5 + 1)[None, :] + 0 * c
    return {
        "posterior": {
            "mu": (("chain", "draw"), c + 0.01 * d + 0.5 * np.sin(d), "float64"),
            "theta": (("chain", "draw", "theta_dim_0"),
                      10.0 * k4 + c[..., None] + d[..., None] / 1000.0, "float64"),
            "r_site": (("chain", "draw", "site"),
                       c[..., None] * 100.0 + d[..., None] + 0.5 * k2, "float64"),
            "L": (("chain", "draw", "L_dim_0", "L_dim_1"),
                  c[..., None, None] * 1e4 + d[..., None, None] * 10.0 + a * 3 + b, "float64"),
            "count": (("chain", "draw"), (c * 100 + d).astype(np.int64), "int64"),
            "flag": (("chain", "draw"), ((c + d) % 3 == 0), "bool"),
        },
        "sample_stats": {
            "lp": (("chain", "draw"), -d - c, "float64"),
            "acceptance_rate": (("chain", "draw"), 0.8 + 0 * (c + d), "float64"),
            "step_size": (("chain", "draw"), 0.1 * (c + 1.0) + 0 * d, "float64"),
            "tree_depth": (("chain", "draw"), tree.astype(np.int64), "int64"),
            "n_steps": (("chain", "draw"), (2 ** tree - 1).astype(np.int64), "int64"),
            "diverging": (("chain", "draw"), (d == 7) + 0 * c > 0, "bool"),
            "energy": (("chain", "draw"), np.cos(0.3 * d) + c, "float64"),
        },
        "observed_data": {
            "y": (("obs",), np.array([0, 1.5, 3, 4.5, 6]), "float64"),
            "group_index": (("obs",), np.array([0, 1, 0, 1, 0]), "int64"),
            "n_obs": ((), np.array(5), "int64"),
        },
    }


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def check_group(path, group, variables, engine):
    where = f"{engine}:{group}"
    with xr.open_dataset(path, group=group, engine=engine) as ds:
        check(list(ds.data_vars) == list(variables),
              f"{where}: variables {list(ds.data_vars)} != {list(variables)}")
        for name, (dims, values, dtype) in variables.items():
            var = ds[name]
            check(var.dims == dims, f"{where}/{name}: dims {var.dims} != {dims}")
            check(var.dtype == np.dtype(dtype), f"{where}/{name}: dtype {var.dtype} != {dtype}")
            check(var.shape == np.shape(values), f"{where}/{name}: shape {var.shape}")
            # Floats to a few ulps: numpy's sin/cos need not round like the C library's.
            same = (np.allclose(var.values, values, rtol=1e-14, atol=1e-14) if dtype == "float64"
                    else np.array_equal(var.values, values))
            check(same, f"{where}/{name}: values differ")
        if group != "observed_data":
            check(np.array_equal(ds["chain"].values, np.arange(C)), f"{where}: chain coordinate")
            check(np.array_equal(ds["draw"].values, np.arange(D)), f"{where}: draw coordinate")
            check(ds["chain"].dtype == np.int64, f"{where}: chain dtype {ds['chain'].dtype}")
        if group == "posterior":
            check(dict(ds.sizes) == {"chain": C, "draw": D, "theta_dim_0": 4, "site": 2,
                                     "L_dim_0": 2, "L_dim_1": 3}, f"{where}: sizes {dict(ds.sizes)}")
            check(list(ds["site"].values) == ["Oxford", "Zürich"],
                  f"{where}: site labels {list(ds['site'].values)}")
            check(np.array_equal(ds["theta_dim_0"].values, np.arange(4)), f"{where}: theta_dim_0")
            check(list(ds.r_site.sel(site="Zürich").isel(chain=1, draw=2).values.flat) == [102.5],
                  f"{where}: label selection")
        check(ds.attrs.get("inference_library") == "spectralbrain",
              f"{where}: attrs {dict(ds.attrs)}")
        check("created_at" in ds.attrs and "inference_library_version" in ds.attrs,
              f"{where}: attrs {dict(ds.attrs)}")


def main():
    writer, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, "example_posterior.h5")
    subprocess.run([writer, path], check=True)

    # What arviz.from_netcdf does: list the groups with netCDF4, open each with xarray.
    with netCDF4.Dataset(path) as nc:
        groups = list(nc.groups)
        check(groups == ["posterior", "sample_stats", "observed_data"], f"groups {groups}")
        check(nc.getncattr("complete") == 1, "root attribute complete")
    want = expected()
    for engine in ("netcdf4", "h5netcdf"):
        for group, variables in want.items():
            check_group(path, group, variables, engine)
    with xr.open_dataset(path, engine="netcdf4") as root:
        check(root.attrs.get("posterior_format_version") == 1, f"root attrs {dict(root.attrs)}")
    print(f"check_posterior: {path} reads as ArviZ InferenceData with netcdf4 and h5netcdf")


if __name__ == "__main__":
    main()
