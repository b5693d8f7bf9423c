#!/usr/bin/python3
"""How far jdissect's map resizing is from PIL's resize(BILINEAR) in mode F, scale by scale.

jdissect resizes a growing axis in float32 with a fused multiply-add (its definition, written independently in
compose_ref.py's upsample), PIL in double with its normalised taps: the two agree at most scales and differ by an ulp
or so on some pixels at others (more ulps near zero, where the values are tiny). For each (map size -> label size) this prints the share of pixels that differ and
the largest difference in ulps, over random half-precision maps (as the cache holds them).

Usage: /usr/bin/python3 bench/peer/pil_resize_diff.py [MAPS_PER_SCALE=50]
"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compose_ref import upsample  # noqa: E402  (the definition, shared by the two references)

SCALES = [(7, 14), (7, 56), (7, 112), (8, 16), (8, 112), (13, 112), (14, 112), (16, 32), (28, 112), (32, 16),
          (56, 112)]


def ulps(a, b):
    ia = a.view(np.int32).astype(np.int64)
    ib = b.view(np.int32).astype(np.int64)
    ia = np.where(ia < 0, -(ia & 0x7fffffff), ia)
    ib = np.where(ib < 0, -(ib & 0x7fffffff), ib)
    return np.abs(ia - ib)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rnd = np.random.default_rng(1)
    print("map -> labels  pixels differing            largest difference: ulp, absolute")
    for h, out in SCALES:
        differ = 0
        total = 0
        worst = 0
        worst_abs = 0.0
        for _ in range(n):
            m = rnd.normal(size=(h, h)).astype(np.float16).astype(np.float32)
            ours = upsample(m, out, out)
            pil = np.asarray(Image.fromarray(m, mode="F").resize((out, out), resample=Image.BILINEAR),
                             dtype=np.float32)
            d = ulps(ours, pil)
            differ += int(np.count_nonzero(d))
            total += d.size
            worst = max(worst, int(d.max()))
            worst_abs = max(worst_abs, float(np.abs(ours.astype(np.float64) - pil).max()))
        print("%3d -> %3d     %8d of %9d (%7.4f%%)  %d, %.2g" % (h, out, differ, total, 100.0 * differ / total,
                                                             worst, worst_abs))


if __name__ == "__main__":
    main()
