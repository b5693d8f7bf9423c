"""Retrains scene_cnn's final linear layer (fc: 128 pooled conv5 units -> 11 scenes) with an L1 penalty, so that
each class reads few conv5 units, and writes a copy of the ONNX model with the new fc; the convolutions are kept
as they are. Features: the conv5 activation cache that `jdissect dissect --layer conv5` writes for the training
world (fp16 [image][unit][8][8]), averaged over positions as the model's ReduceMean does.

Usage: python3 sparse_head.py MODEL.onnx CACHE/conv5.f16 WORLD/index.csv OUT.onnx [--l1 0.01] [--steps 4000]"""
import argparse
import csv
import json

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

SCENE0 = 70  # SceneWorld's first scene label (ski_resort-s); classes are label - 70, as in train_cnn.py


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("features")
    ap.add_argument("index")
    ap.add_argument("out")
    ap.add_argument("--l1", type=float, default=0.01)
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--units", type=int, default=128)
    args = ap.parse_args()
    with open(args.index, newline="") as f:
        rows = list(csv.DictReader(f))
    y = torch.tensor([int(r["scene"].split(";")[0]) - SCENE0 for r in rows])
    val = torch.tensor([r["split"] == "val" for r in rows])
    raw = np.fromfile(args.features, dtype="<f2").reshape(len(rows), args.units, -1)
    x = torch.from_numpy(raw.astype(np.float32).mean(axis=2))
    m = onnx.load(args.model)
    init = {i.name: i for i in m.graph.initializer}
    w = torch.from_numpy(numpy_helper.to_array(init["fc.weight"]).copy())
    b = torch.from_numpy(numpy_helper.to_array(init["fc.bias"]).copy())

    def accuracy(w, b, mask):
        return float(((x[mask] @ w.t() + b).argmax(1) == y[mask]).float().mean())

    print(f"dense head: train {accuracy(w, b, ~val):.4f} val {accuracy(w, b, val):.4f}, "
          f"{int((w != 0).sum())} weights")
    # Proximal gradient (ISTA) on the mean cross-entropy of the training images + l1 * |W|_1, from the dense head.
    scale = x[~val].std(0).clamp(min=1e-6)  # steps in units of each feature's spread
    xs = x[~val] / scale
    ws = (w * scale).clone()
    bs = b.clone()
    for step in range(args.steps):
        ws.requires_grad_(True)
        bs.requires_grad_(True)
        loss = F.cross_entropy(xs @ ws.t() + bs, y[~val])
        gw, gb = torch.autograd.grad(loss, (ws, bs))
        with torch.no_grad():
            ws = ws - args.lr * gw
            ws = ws.sign() * (ws.abs() - args.lr * args.l1).clamp(min=0)
            bs = bs - args.lr * gb
    w2 = (ws / scale).detach()
    b2 = bs.detach()
    per_class = (w2 != 0).sum(1).tolist()
    info = dict(l1=args.l1, steps=args.steps, train_accuracy=round(accuracy(w2, b2, ~val), 4),
                val_accuracy=round(accuracy(w2, b2, val), 4), nonzero_per_class=per_class,
                units_used=int(((w2 != 0).sum(0) > 0).sum()))
    print(json.dumps(info))
    init["fc.weight"].CopyFrom(numpy_helper.from_array(w2.numpy().astype(np.float32), "fc.weight"))
    init["fc.bias"].CopyFrom(numpy_helper.from_array(b2.numpy().astype(np.float32), "fc.bias"))
    onnx.save(m, args.out)


if __name__ == "__main__":
    main()
