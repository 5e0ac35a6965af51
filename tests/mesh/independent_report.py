#!/usr/bin/python3
"""Independent numbers for tests/mesh/report_test.cpp: components (scipy), boundary and
non-manifold edges, orientation conflicts, duplicate faces and zero-area triangles, computed
with numpy/scipy only (no SpectralBrain code).

    /usr/bin/python3 tests/mesh/independent_report.py tests/data/meshes/cit168/CIT168.mz3 ...
"""
import sys, os
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
sys.path.insert(0, os.path.dirname(__file__))
sys.argv, files = sys.argv[:1], sys.argv[1:]
from independent_truth import gii, fs, mz3  # noqa: E402  (prints nothing without arguments)

for p in files:
    v, f = gii(p) if p.endswith('.gii') else mz3(p) if p.endswith('.mz3') else fs(p)
    v = v.astype(np.float64); f = f.astype(np.int64)
    n = len(v)
    e = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    g = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    used = np.zeros(n, bool); used[f.ravel()] = True
    ncomp, labels = connected_components(g, directed=False)
    ncomp_used = len(np.unique(labels[used]))
    und = np.sort(e, axis=1)
    keys, counts = np.unique(und[:, 0] * n + und[:, 1], return_counts=True)
    fwd = e[:, 0] < e[:, 1]
    k = und[:, 0] * n + und[:, 1]
    # orientation conflicts: two-face edges traversed in the same direction by both faces
    order = np.argsort(k, kind='stable')
    ks, fs_ = k[order], fwd[order]
    same = (ks[1:] == ks[:-1]) & (fs_[1:] == fs_[:-1])
    two = dict(zip(keys, counts))
    conflicts = sum(1 for i in np.nonzero(same)[0] if two[ks[i]] == 2)
    a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    longest = np.max([np.linalg.norm(b - a, axis=1), np.linalg.norm(c - b, axis=1),
                      np.linalg.norm(a - c, axis=1)], axis=0)
    zero = int(np.sum(area <= 1e-12 * longest ** 2))
    dup = len(f) - len(np.unique(np.sort(f, axis=1), axis=0))
    sizes = sorted(np.bincount(labels[used]).tolist(), reverse=True)
    print(p, 'components', ncomp_used, 'largest', sizes[:3], 'boundary_edges', int(np.sum(counts == 1)),
          'nonmanifold_edges', int(np.sum(counts > 2)), 'edges', len(keys), 'conflicts', conflicts,
          'zero_area', zero, 'duplicates', dup, 'unreferenced', int(n - used.sum()),
          'area %.6f' % area.sum())
