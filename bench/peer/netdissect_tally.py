#!/usr/bin/env python3
"""An independent tally in NetDissect-Lite's style, to compare jdissect's tally.csv with line by line.

It follows NetDissect-Lite's tally job as BRODEN.md describes it: each unit's map is resized with PIL's bilinear
filter (mode 'F') to the label-map size, thresholded (> T), and counted with numpy's bincount against every label
layer; image-level labels count every pixel; a category's activation counts the mask when the mask touches a label
of that primary category. The IoU, the best label per category and the rows of tally.csv are written the way
NetDissect-Lite writes them (csv.DictWriter, Python's float repr). Its onehot() defect on numpy >= 1.23 is not
reproduced (BRODEN.md: compare against a fixed copy).

It reads the activations and thresholds jdissect computed (OUT/cache, OUT/<layer>/thresholds.csv), so that the
comparison isolates the tally from the quantile method (NetDissect-Lite's is a sketch, jdissect's exact).

usage: netdissect_tally.py DATASET_DIR OUT_DIR LAYER_DIR_NAME CACHE_FILE C H W RESULT_CSV
"""
import csv
import json
import os
import sys

import numpy as np
from PIL import Image


def read_csv(path):
    with open(path, newline='') as f:
        return list(csv.DictReader(f))


def main():
    data, out, layer_dir, cache_file, c, h, w, result = sys.argv[1:9]
    c, h, w = int(c), int(h), int(w)
    categories = [r['name'] for r in read_csv(os.path.join(data, 'category.csv'))]
    labels = read_csv(os.path.join(data, 'label.csv'))
    num_labels = max(int(r['number']) for r in labels) + 1
    names = ['-'] * num_labels
    for r in labels:
        names[int(r['number'])] = r['name']
    # primary category: largest coverage in c_<cat>.csv, ties to the later category (max over (coverage, index))
    coverage = np.zeros((len(categories), num_labels))
    for ci, cat in enumerate(categories):
        for r in read_csv(os.path.join(data, 'c_%s.csv' % cat)):
            if int(r['code']) > 0:
                coverage[ci, int(r['number'])] = float(r['coverage'])
    primary = np.array([max((coverage[ci, l], ci) for ci in range(len(categories)))[1]
                        for l in range(num_labels)])
    labelcat = np.zeros((num_labels, len(categories)))
    labelcat[np.arange(num_labels), primary] = 1  # the fixed onehot: a tuple index

    index = read_csv(os.path.join(data, 'index.csv'))
    manifest = json.load(open(os.path.join(out, 'cache', 'manifest.json')))
    rows = manifest['rows']
    dtype = '<f4' if cache_file.endswith('.f32') else '<f2'  # --precision fp32 caches floats
    features = np.fromfile(os.path.join(out, 'cache', cache_file), dtype=dtype).astype(np.float32)
    features = features.reshape(len(rows), c, h, w)
    thresholds = np.array([float(r['threshold']) for r in read_csv(os.path.join(out, layer_dir, 'thresholds.csv'))],
                          dtype=np.float32)
    # units whose values half precision cannot hold are cached at a power-of-two scale (manifest "exponents"):
    # compare the cached values with the threshold at the same scale
    exponents = (manifest.get('exponents') or [None] * len(manifest['files']))[manifest['files'].index(cache_file)]
    if exponents:
        thresholds = np.ldexp(thresholds, np.array(exponents)).astype(np.float32)

    tally_both = np.zeros((c, num_labels), dtype=np.int64)
    tally_units_cat = np.zeros((c, len(categories)), dtype=np.int64)
    tally_labels = np.zeros(num_labels, dtype=np.int64)
    for k, row_index in enumerate(rows):
        row = index[row_index]
        sh, sw = int(row['sh']), int(row['sw'])
        scalars, pixels = [], []
        for cat in categories:
            for value in filter(None, row[cat].split(';')):
                if value.isdigit():
                    scalars.append(int(value))
                else:
                    rgb = np.asarray(Image.open(os.path.join(data, 'images', value)).convert('RGB'), dtype=np.int64)
                    pixels.append(rgb[:, :, 0] + rgb[:, :, 1] * 256)
        for s in scalars:
            tally_labels[s] += sh * sw
        if pixels:
            pixels = np.stack(pixels)
            t = np.bincount(pixels.ravel(), minlength=num_labels)
            t[0] = 0
            tally_labels += t
        for u in range(c):
            fmap = features[k, u]
            if fmap.max() > thresholds[u]:
                mask = np.array(Image.fromarray(fmap, mode='F').resize((sw, sh), resample=Image.BILINEAR))
                idx = np.argwhere(mask > thresholds[u])
                tally_cat = np.zeros(len(categories))
                if len(pixels) > 0 and len(idx) > 0:
                    bt = np.bincount(pixels[:, idx[:, 0], idx[:, 1]].ravel(), minlength=num_labels)
                    bt[0] = 0
                    tally_cat = bt[None, :].dot(labelcat)[0]
                    tally_both[u] += bt
                for s in scalars:
                    tally_cat = tally_cat + labelcat[s]
                    tally_both[u, s] += len(idx)
                tally_units_cat[u] += len(idx) * (tally_cat > 0)

    units_cat = tally_units_cat.dot(labelcat.T)  # per unit and label: its primary category's activation
    iou = tally_both / (units_cat + tally_labels[None, :] - tally_both + 1e-10)
    pciou = np.array([iou * (primary == ci)[None, :] for ci in range(len(categories))])
    label_pciou = pciou.argmax(axis=2)
    score_pciou = pciou[np.arange(pciou.shape[0])[:, None], np.arange(pciou.shape[1])[None, :], label_pciou]
    bestcat = score_pciou.argsort(axis=0, kind='stable')[::-1][0]
    ordering = score_pciou.max(axis=0).argsort(kind='stable')[::-1]
    fields = ['unit', 'category', 'label', 'score']
    for cat in categories:
        fields += ['%s-label' % cat, '%s-truth' % cat, '%s-activation' % cat, '%s-intersect' % cat, '%s-iou' % cat]
    with open(result, 'w', newline='') as f:
        writer = csv.DictWriter(f, fields, lineterminator='\n')
        writer.writeheader()
        for unit in ordering:
            b = bestcat[unit]
            d = {'unit': unit + 1, 'category': categories[b], 'label': names[label_pciou[b][unit]],
                 'score': float(score_pciou[b][unit])}
            for ci, cat in enumerate(categories):
                label = label_pciou[ci][unit]
                d.update({'%s-label' % cat: names[label], '%s-truth' % cat: tally_labels[label],
                          '%s-activation' % cat: units_cat[unit, label], '%s-intersect' % cat: tally_both[unit, label],
                          '%s-iou' % cat: float(score_pciou[ci][unit])})
            writer.writerow(d)


if __name__ == '__main__':
    main()
