"""An independent reference for the spectral core: mesh readers and the LaPy method
(P1 cotangent stiffness, consistent mass, scipy.sparse.linalg.eigsh in shift-invert mode
with SuperLU), written with NumPy/SciPy from the formulas. Used by the CLI tests as truth
and by runs/bench/eigen as the comparison. Call with Debian's /usr/bin/python3."""
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh


def read_freesurfer(path):
    """FreeSurfer binary triangle surface -> (vertices (N,3) float64, faces (F,3) int64)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"\xff\xff\xfe":
        raise ValueError(f"{path}: not a FreeSurfer triangle surface")
    pos = 3
    for _ in range(2):  # creator line, then a blank line
        pos = data.index(b"\n", pos) + 1
    n_vertices, n_faces = np.frombuffer(data, ">i4", 2, pos)
    pos += 8
    vertices = np.frombuffer(data, ">f4", 3 * n_vertices, pos).reshape(-1, 3).astype(float)
    pos += 12 * n_vertices
    faces = np.frombuffer(data, ">i4", 3 * n_faces, pos).reshape(-1, 3).astype(np.int64)
    return vertices, faces


def read_off(path):
    with open(path) as f:
        if f.readline().strip() != "OFF":
            raise ValueError(f"{path}: not an OFF file")
        n_vertices, n_faces, _ = map(int, f.readline().split())
        vertices = np.loadtxt(f, max_rows=n_vertices)
        faces = np.loadtxt(f, max_rows=n_faces, dtype=np.int64)[:, 1:4]
    return vertices, faces


def write_off(path, vertices, faces):
    with open(path, "w") as out:
        out.write(f"OFF\n{len(vertices)} {len(faces)} 0\n")
        np.savetxt(out, vertices, fmt="%.17g")
        np.savetxt(out, np.c_[np.full(len(faces), 3), faces], fmt="%d")


def subdivide(vertices, faces):
    """Midpoint subdivision: each triangle into 4, geometry unchanged."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1)
    unique, inverse = np.unique(edges, axis=0, return_inverse=True)
    mid = len(vertices) + inverse.reshape(3, -1).T  # columns: ab, bc, ca
    new_vertices = np.vstack([vertices, vertices[unique].mean(axis=1)])
    a, b, c = faces.T
    ab, bc, ca = mid.T
    new_faces = np.vstack([np.c_[a, ab, ca], np.c_[b, bc, ab], np.c_[c, ca, bc], np.c_[ab, bc, ca]])
    return new_vertices, new_faces


def operators(v, t, lumped=False):
    """L with off-diagonals -(cot a + cot b)/2 and zero row sums; M consistent or lumped."""
    p0, p1, p2 = v[t[:, 0]], v[t[:, 1]], v[t[:, 2]]
    e0, e1, e2 = p2 - p1, p0 - p2, p1 - p0  # the edge opposite each corner
    double_area = np.linalg.norm(np.cross(e1, e2), axis=1)
    # cot of the angle at a corner = <u, w> / |u x w| for the two edges leaving it
    cot0 = np.einsum("ij,ij->i", e2, -e1) / double_area
    cot1 = np.einsum("ij,ij->i", e0, -e2) / double_area
    cot2 = np.einsum("ij,ij->i", e1, -e0) / double_area
    i = np.concatenate([t[:, 1], t[:, 2], t[:, 0]])
    j = np.concatenate([t[:, 2], t[:, 0], t[:, 1]])
    w = -0.5 * np.concatenate([cot0, cot1, cot2])
    n = len(v)
    off = sp.coo_matrix((np.r_[w, w], (np.r_[i, j], np.r_[j, i])), shape=(n, n)).tocsr()
    L = off - sp.diags(np.asarray(off.sum(axis=1)).ravel())
    area = double_area / 2
    if lumped:
        M = sp.diags(np.bincount(t.ravel(), np.repeat(area / 3, 3), minlength=n))
    else:
        rows = np.concatenate([t[:, a] for a in range(3) for _ in range(3)])
        cols = np.concatenate([t[:, b] for _ in range(3) for b in range(3)])
        vals = np.concatenate([area / (6 if a == b else 12) for a in range(3) for b in range(3)])
        M = sp.coo_matrix((vals, (rows, cols)), shape=(n, n))
    return L.tocsc(), M.tocsc()


def eigenpairs(vertices, faces, k, sigma=-0.01, lumped=False):
    """The k eigenpairs nearest sigma, ascending: (values (k,), vectors (N,k), L, M)."""
    L, M = operators(vertices, faces, lumped)
    values, vectors = eigsh(L, k, M, sigma=sigma)
    order = np.argsort(values)
    return values[order], vectors[:, order], L, M
