#!/usr/bin/python3
"""Compositional explanations written from their definitions (README, "Compositional explanations"), in plain
numpy with dense masks and the obvious loops, as compexp computes them: the reference jdissect compose is checked
and timed against (bench/compose.sh). It reads a jdissect dissection's files itself (report.json, the activation
cache, the Broden dataset's index.csv, label.csv and label PNGs) and shares no code with jdissect.

Usage: /usr/bin/python3 bench/peer/compose_ref.py OUT LAYER_DIR [--units 1,2,3] [--length 3] [--beam 5]
Prints `unit,formula,iou,seconds` per unit. Needs numpy and PIL (Debian's python3-numpy, python3-pil).
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
from PIL import Image

AND, OR, AND_NOT = 0, 1, 2
OP_TEXT = {AND: "AND", OR: "OR", AND_NOT: "AND NOT"}


# ---------------------------------------------------------------- upsampling
def upsample(m, sh, sw):
    """The unit's map at the label size: PIL's resize(BILINEAR) in mode F, as NetDissect-Lite resizes it (jdissect's
    resizing equals it bit for bit: PilResizeTest)."""
    return np.asarray(Image.fromarray(np.ascontiguousarray(m, dtype=np.float32)).resize((sw, sh),
                                                                                        resample=Image.BILINEAR),
                      dtype=np.float32)


# ---------------------------------------------------------------- the dissection's files
def read_dissection(out, layer_dir):
    report = json.load(open(os.path.join(layer_dir, "report.json")))
    manifest = json.load(open(os.path.join(out, "cache", "manifest.json")))
    layer = report["layer"]
    index = manifest["layers"].index(layer["name"])
    n = len(manifest["rows"])
    u, h, w = layer["units"], layer["height"], layer["width"]
    raw = np.fromfile(os.path.join(out, "cache", manifest["files"][index]), dtype="<f2")
    acts = raw.reshape(n, u, h, w).astype(np.float32)
    exps = manifest["exponents"][index]
    thresholds = np.array([np.ldexp(np.float32(x["threshold"]), e) for x, e in zip(report["units"], exps)],
                          dtype=np.float32)
    return report, manifest["rows"], acts, thresholds


def read_labels(dataset, categories, rows):
    """Per cached image: (sh, sw, label layers, image-level labels), from index.csv and the label PNGs."""
    with open(os.path.join(dataset, "index.csv"), newline="") as f:
        table = list(csv.reader(f))
    header = table[0]
    data = table[1:]
    cols = [header.index(c) for c in categories]
    images = []
    for r in rows:
        row = data[r]
        sh, sw = int(row[header.index("sh")]), int(row[header.index("sw")])
        layers, whole = [], []
        for c in cols:
            for cell in row[c].split(";") if row[c] else []:
                if cell.endswith(".png"):
                    px = np.asarray(Image.open(os.path.join(dataset, "images", cell)).convert("RGB")).astype(np.int64)
                    layers.append(px[:, :, 0] + 256 * px[:, :, 1])
                else:
                    whole.append(int(cell))
        images.append((sh, sw, layers, whole))
    names = {}
    with open(os.path.join(dataset, "label.csv"), newline="") as f:
        for rec in csv.DictReader(f):
            names[int(rec["number"])] = rec["name"]
    return images, names


# ---------------------------------------------------------------- masks and the search
def concept_masks(images):
    """Dense masks over every label pixel, images laid end to end."""
    total = sum(sh * sw for sh, sw, _, _ in images)
    masks = {}
    at = 0
    for sh, sw, layers, whole in images:
        n = sh * sw
        for layer in layers:
            flat = layer.reshape(-1)
            for label in np.unique(flat):
                if label == 0:
                    continue
                masks.setdefault(int(label), np.zeros(total, dtype=bool))[at:at + n] |= flat == label
        for label in whole:
            masks.setdefault(label, np.zeros(total, dtype=bool))[at:at + n] = True
        at += n
    return masks, total


def unit_mask(acts, unit, threshold, images, total):
    m = np.zeros(total, dtype=bool)
    at = 0
    for i, (sh, sw, _, _) in enumerate(images):
        n = sh * sw
        a = acts[i, unit]
        if a.max() > threshold:
            m[at:at + n] = (upsample(a, sh, sw) > threshold).reshape(-1)
        at += n
    return m


def then(formula, op, label):
    first, terms = formula
    if not terms and op != AND_NOT and label < first:
        return (label, ((op, first),))
    return (first, terms + ((op, label),))


def order_key(iou, formula):
    """IoU descending, then the shorter formula, then label numbers and operators term by term."""
    first, terms = formula
    key = [first]
    for op, label in terms:
        key += [label, op]
    return (-iou, 1 + len(terms), key)


def text(formula, names):
    first, terms = formula
    s = names[first]
    for op, label in terms:
        s = "(" + s + " " + OP_TEXT[op] + " " + names[label] + ")"
    return s


def iou(m, f):
    inter = int(np.count_nonzero(m & f))
    union = int(np.count_nonzero(m | f))
    return inter / union if union else 0.0


def evaluate(formula, masks):
    first, terms = formula
    v = masks[first].copy()
    for op, label in terms:
        c = masks[label]
        v = v & c if op == AND else v | c if op == OR else v & ~c
    return v


def search(m, masks, length, beam):
    labels = sorted(masks)
    scored = sorted(((iou(m, masks[l]), (l, ())) for l in labels), key=lambda s: order_key(*s))
    current = scored[:beam]
    for _ in range(2, length + 1):
        pool = {f: s for s, f in current}
        for s, f in current:
            fm = evaluate(f, masks)
            used = {f[0]} | {label for _, label in f[1]}
            for label in labels:
                if label in used:
                    continue
                c = masks[label]
                for op, g in ((AND, fm & c), (OR, fm | c), (AND_NOT, fm & ~c)):
                    key = then(f, op, label)
                    if key not in pool:
                        pool[key] = iou(m, g)
        current = sorted(((s, f) for f, s in pool.items()), key=lambda s: order_key(*s))[:beam]
    return current[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("layer_dir")
    ap.add_argument("--units", default="")
    ap.add_argument("--length", type=int, default=3)
    ap.add_argument("--beam", type=int, default=5)
    a = ap.parse_args()
    report, rows, acts, thresholds = read_dissection(a.out, a.layer_dir)
    images, names = read_labels(report["source"]["dataset"], report["settings"]["categories"], rows)
    masks, total = concept_masks(images)
    units = [int(u) for u in a.units.split(",")] if a.units else list(range(1, report["layer"]["units"] + 1))
    print("unit,formula,iou,seconds")
    for u in units:
        t0 = time.perf_counter()
        m = unit_mask(acts, u - 1, thresholds[u - 1], images, total)
        s, f = search(m, masks, a.length, a.beam)
        print("%d,%s,%r,%.3f" % (u, text(f, names), s, time.perf_counter() - t0), flush=True)


if __name__ == "__main__":
    sys.exit(main())
