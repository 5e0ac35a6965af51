#!/usr/bin/python3
"""Writes the fuzzing seed corpus: a few small meshes per reader (a tetrahedron, an open
quad pair, a cube of quads) in every form the readers accept. Standard library only.

    /usr/bin/python3 tests/fuzz/make_seeds.py tests/fuzz/corpus
"""
import base64, gzip, os, struct, sys, zlib

V = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]
F = [(0, 2, 1), (0, 1, 3), (0, 3, 2), (1, 2, 3)]
CUBE_V = [(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 1, 1)]
CUBE_Q = [(0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6), (3, 0, 4, 7)]


def put(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def off(v, f):
    return 'OFF\n%d %d 0\n' % (len(v), len(f)) + ''.join('%g %g %g\n' % p for p in v) + \
        ''.join('%d %s\n' % (len(t), ' '.join(map(str, t))) for t in f)


def obj(v, f, style):
    s = '# seed\no mesh\n' + ''.join('v %g %g %g\n' % p for p in v) + 'vt 0 0\nvn 0 0 1\n'
    for t in f:
        if style == 'slash':
            s += 'f ' + ' '.join('%d/1/1' % (i + 1) for i in t) + '\n'
        elif style == 'relative':
            s += 'f ' + ' '.join('%d' % (i - len(v)) for i in t) + '\n'
        else:
            s += 'f ' + ' '.join('%d//1' % (i + 1) for i in t) + '\n'
    return s


def ply(v, f, fmt):
    h = 'ply\nformat %s 1.0\ncomment seed\nelement vertex %d\nproperty float x\nproperty float y\n' \
        'property float z\nproperty uchar red\nelement face %d\nproperty list uchar int vertex_indices\n' \
        'end_header\n' % (fmt, len(v), len(f))
    if fmt == 'ascii':
        return (h + ''.join('%g %g %g 255\n' % p for p in v) +
                ''.join('%d %s\n' % (len(t), ' '.join(map(str, t))) for t in f)).encode()
    e = '<' if fmt == 'binary_little_endian' else '>'
    b = h.encode()
    for p in v:
        b += struct.pack(e + 'fffB', *p, 255)
    for t in f:
        b += struct.pack(e + 'B' + 'i' * len(t), len(t), *t)
    return b


def vtk(v, f, binary, new=False):
    h = '# vtk DataFile Version %s\nseed\n%s\nDATASET POLYDATA\nPOINTS %d float\n' % (
        '5.1' if new else '3.0', 'BINARY' if binary else 'ASCII', len(v))
    size = sum(len(t) + 1 for t in f)
    if not binary:
        s = h + ''.join('%g %g %g\n' % p for p in v)
        if new:
            offs = [0]
            for t in f:
                offs.append(offs[-1] + len(t))
            s += 'POLYGONS %d %d\nOFFSETS vtktypeint64\n%s\nCONNECTIVITY vtktypeint64\n%s\n' % (
                len(offs), offs[-1], ' '.join(map(str, offs)), ' '.join(str(i) for t in f for i in t))
        else:
            s += 'POLYGONS %d %d\n' % (len(f), size) + ''.join(
                '%d %s\n' % (len(t), ' '.join(map(str, t))) for t in f)
        return (s + 'POINT_DATA %d\nSCALARS s float 1\nLOOKUP_TABLE default\n' % len(v) +
                ' '.join('0' for _ in v) + '\n').encode()
    b = h.encode() + b''.join(struct.pack('>fff', *p) for p in v) + b'\n'
    b += ('POLYGONS %d %d\n' % (len(f), size)).encode()
    b += b''.join(struct.pack('>' + 'i' * (len(t) + 1), len(t), *t) for t in f) + b'\n'
    return b


def mz3(v, f, compress, extra=False):
    attr = 3 | (8 if extra else 0)
    b = struct.pack('<HHIII', 0x5A4D, attr, len(f), len(v), 0)
    b += b''.join(struct.pack('<iii', *t) for t in f) + b''.join(struct.pack('<fff', *p) for p in v)
    if extra:
        b += b''.join(struct.pack('<f', 1.0) for _ in v)
    return gzip.compress(b, mtime=0) if compress else b


def fs(v, f):
    b = b'\xff\xff\xfecreated by seed\n\n' + struct.pack('>ii', len(v), len(f))
    return b + b''.join(struct.pack('>fff', *p) for p in v) + b''.join(struct.pack('>iii', *t) for t in f)


def asc(v, f):
    return '#!ascii version of seed\n%d %d\n' % (len(v), len(f)) + \
        ''.join('%g %g %g 0\n' % p for p in v) + ''.join('%d %d %d 0\n' % t for t in f)


def gii(v, f, enc):
    def data(vals, fmt):
        raw = struct.pack('<' + fmt * len(vals), *vals)
        if enc == 'ASCII':
            return ' '.join(map(str, vals))
        return base64.b64encode(zlib.compress(raw) if enc == 'GZipBase64Binary' else raw).decode()
    def da(intent, dtype, n, vals, fmt):
        return ('<DataArray Intent="%s" DataType="%s" ArrayIndexingOrder="RowMajorOrder" '
                'Dimensionality="2" Dim0="%d" Dim1="3" Encoding="%s" Endian="LittleEndian" '
                'ExternalFileName="" ExternalFileOffset=""><Data>%s</Data></DataArray>\n' %
                (intent, dtype, n, enc, data(vals, fmt)))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<GIFTI Version="1.0" NumberOfDataArrays="2">\n' +
            da('NIFTI_INTENT_POINTSET', 'NIFTI_TYPE_FLOAT32', len(v), [x for p in v for x in p], 'f') +
            da('NIFTI_INTENT_TRIANGLE', 'NIFTI_TYPE_INT32', len(f), [i for t in f for i in t], 'i') +
            '</GIFTI>\n')


def main(root):
    tri = [t for q in CUBE_Q for t in ((q[0], q[1], q[2]), (q[0], q[2], q[3]))]
    put(root + '/off', 'tetra.off', off(V, F))
    put(root + '/off', 'cube_quads.off', off(CUBE_V, CUBE_Q))
    for style in ('slash', 'relative', 'normals'):
        put(root + '/obj', 'tetra_%s.obj' % style, obj(V, F, style))
    put(root + '/obj', 'cube_quads.obj', obj(CUBE_V, CUBE_Q, 'slash'))
    for fmt in ('ascii', 'binary_little_endian', 'binary_big_endian'):
        put(root + '/ply', 'tetra_%s.ply' % fmt, ply(V, F, fmt))
    put(root + '/ply', 'cube_quads_ascii.ply', ply(CUBE_V, CUBE_Q, 'ascii'))
    put(root + '/vtk', 'tetra_ascii.vtk', vtk(V, F, False))
    put(root + '/vtk', 'tetra_binary.vtk', vtk(V, F, True))
    put(root + '/vtk', 'tetra_ascii_5.1.vtk', vtk(V, F, False, True))
    put(root + '/vtk', 'cube_quads.vtk', vtk(CUBE_V, CUBE_Q, False))
    put(root + '/mz3', 'tetra_raw.mz3', mz3(V, F, False))
    put(root + '/mz3', 'tetra_gzip.mz3', mz3(V, F, True))
    put(root + '/mz3', 'cube_scalars_gzip.mz3', mz3(CUBE_V, tri, True, True))
    put(root + '/freesurfer', 'lh.tetra', fs(V, F))
    put(root + '/freesurfer', 'lh.cube', fs(CUBE_V, tri))
    put(root + '/freesurfer_ascii', 'lh.tetra.asc', asc(V, F))
    for enc in ('ASCII', 'Base64Binary', 'GZipBase64Binary'):
        put(root + '/gifti', 'tetra_%s.surf.gii' % enc, gii(V, F, enc))
    # read_mesh detects by content: one seed of every format.
    for d in ('off', 'obj', 'ply', 'vtk', 'mz3', 'freesurfer', 'freesurfer_ascii', 'gifti'):
        for name in sorted(os.listdir(os.path.join(root, d)))[:2]:
            with open(os.path.join(root, d, name), 'rb') as f:
                put(root + '/read_mesh', name, f.read())


main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus'))
