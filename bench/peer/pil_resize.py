#!/usr/bin/python3
"""PIL's resize(BILINEAR) of float maps in mode F, as NetDissect-Lite resizes a unit's map to the label size: the
independent reference jdissect's resizing is checked against bit for bit (java PilResizeTest).

Reads CASES, little-endian: int32 n, then n cases of int32 h, w, sh, sw followed by h * w float32 (row-major);
writes OUT: for each case the sh * sw float32 of PIL's resize of the h x w map to sw x sh (width, height).

Usage: /usr/bin/python3 bench/peer/pil_resize.py CASES OUT
"""
import struct
import sys

import numpy as np
import PIL
from PIL import Image


def main(src, dst):
    data = open(src, "rb").read()
    (n,) = struct.unpack_from("<i", data, 0)
    at = 4
    out = []
    for _ in range(n):
        h, w, sh, sw = struct.unpack_from("<4i", data, at)
        at += 16
        m = np.frombuffer(data, dtype="<f4", count=h * w, offset=at).reshape(h, w).astype(np.float32)
        at += 4 * h * w
        r = np.asarray(Image.fromarray(m).resize((sw, sh), resample=Image.BILINEAR), dtype="<f4")
        assert r.shape == (sh, sw), (r.shape, sh, sw)
        out.append(r.tobytes())
    if at != len(data):
        raise SystemExit("%s: %d trailing bytes after %d cases" % (src, len(data) - at, n))
    with open(dst, "wb") as f:
        f.write(b"".join(out))
    print("PIL %s resized %d maps" % (PIL.__version__, n))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
