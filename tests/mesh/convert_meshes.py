#!/usr/bin/python3
"""Independent writers for tests/mesh/formats_test.cpp: decodes a real mesh (GIFTI, FreeSurfer
binary or MZ3) with tests/mesh/independent_truth.py and writes it in every other format the
readers accept, with numpy and the standard library only (no SpectralBrain code, so the C++
readers are checked against writers that share nothing with them).

    /usr/bin/python3 tests/mesh/convert_meshes.py SOURCE OUTDIR

Writes OUTDIR/mesh.{obj,off,asc,mz3,raw.mz3}, mesh.ascii.ply, mesh.le.ply, mesh.be.ply,
mesh.lapy.vtk (exactly as LaPy's TriaMesh.write_vtk), mesh.binary.vtk, mesh.v51.vtk.
Coordinates are written with repr() of each float32 value widened to double, which reads
back exactly.
"""
import gzip, os, struct, sys
import numpy as np
sys.argv, (src, out) = sys.argv[:1], sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from independent_truth import gii, fs, mz3  # noqa: E402

v, f = gii(src) if src.endswith('.gii') else mz3(src) if src.endswith('.mz3') else fs(src)
v = np.asarray(v, dtype=np.float64); f = np.asarray(f, dtype=np.int64)
os.makedirs(out, exist_ok=True)
P = lambda name: os.path.join(out, name)
num = lambda x: repr(float(x))
vl = [' '.join(num(x) for x in p) for p in v]

with open(P('mesh.obj'), 'w') as o:  # v/vt/vn corners, a comment, groups, a normal
    o.write('# converted\nmtllib none.mtl\no brain\ng surface\nvn 0 0 1\nvt 0.5 0.5\n')
    o.writelines('v %s\n' % s for s in vl)
    o.write('usemtl default\ns off\n')
    o.writelines('f %d/1/1 %d/1/1 %d/1/1\n' % tuple(t + 1) for t in f)
with open(P('mesh.off'), 'w') as o:
    o.write('OFF\n%d %d 0\n' % (len(v), len(f)))
    o.writelines('%s\n' % s for s in vl)
    o.writelines('3 %d %d %d\n' % tuple(t) for t in f)
with open(P('mesh.asc'), 'w') as o:  # as mris_convert writes it
    o.write('#!ascii version of %s\n%d %d\n' % (os.path.basename(src), len(v), len(f)))
    o.writelines('%s 0\n' % s for s in vl)
    o.writelines('%d %d %d 0\n' % tuple(t) for t in f)
body = struct.pack('<HHIII', 0x5A4D, 3, len(f), len(v), 0) + f.astype('<i4').tobytes() + \
    v.astype('<f4').tobytes()
open(P('mesh.raw.mz3'), 'wb').write(body)
open(P('mesh.mz3'), 'wb').write(gzip.compress(body))

def ply_header(fmt, vtype):
    return ('ply\nformat %s 1.0\ncomment converted\nelement vertex %d\nproperty %s x\n'
            'property %s y\nproperty %s z\nproperty float quality\nproperty uchar red\n'
            'element face %d\nproperty list uchar int vertex_indices\nproperty int flags\n'
            'element edge 1\nproperty int vertex1\nproperty int vertex2\nend_header\n'
            % (fmt, len(v), vtype, vtype, vtype, len(f))).encode()
with open(P('mesh.ascii.ply'), 'wb') as o:
    o.write(ply_header('ascii', 'double'))
    o.write(''.join('%s 0.5 7\n' % s for s in vl).encode())
    o.write(''.join('3 %d %d %d 0\n' % tuple(t) for t in f).encode())
    o.write(b'0 1\n')
for name, e, fmt in (('mesh.le.ply', '<', 'binary_little_endian'),
                     ('mesh.be.ply', '>', 'binary_big_endian')):
    vd = np.dtype([('x', e + 'f4'), ('y', e + 'f4'), ('z', e + 'f4'), ('q', e + 'f4'), ('r', 'u1')])
    va = np.zeros(len(v), vd); va['x'], va['y'], va['z'], va['q'], va['r'] = v[:, 0], v[:, 1], v[:, 2], 0.5, 7
    fd = np.dtype([('n', 'u1'), ('i', e + 'i4', 3), ('flags', e + 'i4')])
    fa = np.zeros(len(f), fd); fa['n'] = 3; fa['i'] = f
    with open(P(name), 'wb') as o:
        o.write(ply_header(fmt, 'float'))
        o.write(va.tobytes()); o.write(fa.tobytes()); o.write(struct.pack(e + 'ii', 0, 1))

with open(P('mesh.lapy.vtk'), 'w') as o:  # LaPy TriaMesh.write_vtk, line for line
    o.write('# vtk DataFile Version 1.0\nvtk output\nASCII\nDATASET POLYDATA\n')
    o.write('POINTS ' + str(np.shape(v)[0]) + ' float\n')
    for i in range(np.shape(v)[0]):
        o.write(' '.join(map(str, v[i, :]))); o.write('\n')
    o.write('POLYGONS ' + str(np.shape(f)[0]) + ' ' + str(4 * np.shape(f)[0]) + '\n')
    for i in range(np.shape(f)[0]):
        o.write(' '.join(map(str, np.append(3, f[i, :])))); o.write('\n')
with open(P('mesh.binary.vtk'), 'wb') as o:
    o.write(b'# vtk DataFile Version 3.0\nbinary\nBINARY\nDATASET POLYDATA\n')
    o.write(b'POINTS %d float\n' % len(v) + v.astype('>f4').tobytes() + b'\n')
    cells = np.hstack([np.full((len(f), 1), 3), f]).astype('>i4')
    o.write(b'POLYGONS %d %d\n' % (len(f), 4 * len(f)) + cells.tobytes() + b'\n')
    o.write(b'POINT_DATA %d\nSCALARS s float 1\nLOOKUP_TABLE default\n' % len(v))
    o.write(np.zeros(len(v), '>f4').tobytes() + b'\n')
with open(P('mesh.v51.vtk'), 'wb') as o:  # VTK 9: offsets/connectivity, binary int64
    o.write(b'# vtk DataFile Version 5.1\nvtk output\nBINARY\nDATASET POLYDATA\n')
    o.write(b'POINTS %d double\n' % len(v) + v.astype('>f8').tobytes() + b'\n')
    o.write(b'METADATA\nINFORMATION 0\n\n')
    o.write(b'POLYGONS %d %d\n' % (len(f) + 1, 3 * len(f)))
    o.write(b'OFFSETS vtktypeint64\n' + (3 * np.arange(len(f) + 1)).astype('>i8').tobytes() + b'\n')
    o.write(b'CONNECTIVITY vtktypeint64\n' + f.astype('>i8').tobytes() + b'\n')
