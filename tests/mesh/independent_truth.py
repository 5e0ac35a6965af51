#!/usr/bin/python3
"""Independent truth for tests/mesh/read_test.cpp: decodes the test meshes with Python's
standard library and numpy only (no gifticlib, no SpectralBrain code) and prints counts, Euler
characteristic, area and first/last records.

    /usr/bin/python3 tests/mesh/independent_truth.py tests/data/meshes/*/*
"""
import sys, struct, base64, zlib, xml.etree.ElementTree as ET
import numpy as np
def gii(path):
    r = ET.parse(path).getroot()
    out = {}
    for da in r.iter('DataArray'):
        a = da.attrib
        dims = [int(a['Dim%d' % i]) for i in range(int(a['Dimensionality']))]
        raw = da.find('Data').text.strip()
        b = base64.b64decode(raw)
        if a['Encoding'] == 'GZipBase64Binary': b = zlib.decompress(b)
        dt = {'NIFTI_TYPE_FLOAT32': '<f4', 'NIFTI_TYPE_INT32': '<i4', 'NIFTI_TYPE_FLOAT64': '<f8'}[a['DataType']]
        arr = np.frombuffer(b, dtype=dt)
        order = 'F' if a['ArrayIndexingOrder'] == 'ColumnMajorOrder' else 'C'
        out[a['Intent']] = arr.reshape(dims, order=order)
    return out['NIFTI_INTENT_POINTSET'], out['NIFTI_INTENT_TRIANGLE']
def fs(path):
    b = open(path, 'rb').read()
    i = 3
    for _ in range(2): i = b.index(b'\n', i) + 1
    nv, nf = struct.unpack('>ii', b[i:i + 8]); i += 8
    v = np.frombuffer(b, '>f4', nv * 3, i).reshape(nv, 3); i += 12 * nv
    f = np.frombuffer(b, '>i4', nf * 3, i).reshape(nf, 3)
    return v, f
def mz3(path):
    import gzip
    b = open(path, 'rb').read()
    if b[:2] == b'\x1f\x8b': b = gzip.decompress(b)
    magic, attr, nf, nv, skip = struct.unpack('<HHIII', b[:16])
    assert magic == 0x5A4D and attr & 3 == 3
    i = 16 + skip
    f = np.frombuffer(b, '<i4', nf * 3, i).reshape(nf, 3); i += 12 * nf
    v = np.frombuffer(b, '<f4', nv * 3, i).reshape(nv, 3)
    return v, f
def euler(v, f):
    e = set()
    for t in f:
        for k in range(3):
            a, c = int(t[k]), int(t[(k + 1) % 3]); e.add((min(a, c), max(a, c)))
    return len(v) - len(e) + len(f)
def area(v, f):
    v = v.astype(np.float64); a = v[f[:, 0]]; b = v[f[:, 1]]; c = v[f[:, 2]]
    return 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1).sum()
for p in sys.argv[1:]:
    if p.endswith('.md'): continue
    v, f = gii(p) if p.endswith('.gii') else mz3(p) if p.endswith('.mz3') else fs(p)
    print(p, v.shape, f.shape, 'min idx', f.min(), 'max idx', f.max(), 'euler', euler(v, f), 'area %.6f' % area(v, f))
    print('  v0', v[0].tolist(), 'vlast', v[-1].tolist(), 'f0', f[0].tolist(), 'flast', f[-1].tolist())
