#!/usr/bin/python3
"""A white-box reference for jdissect attack: projected gradient descent (Madry et al. 2018) with the model's own
gradients, under the same L-infinity budget in the same space (the image's 0..255 pixels before preprocessing), on
the same images. A black-box attack sees only outputs, so PGD's success rate is what it could approach: a model that
resists PGD too is robust at that budget, not merely hard to query.

It shares no code with jdissect: the ONNX graph is run by a small interpreter over torch for the demo classifier's
operators (Conv, Relu, MaxPool, ReduceMean, Gemm), images are read with PIL and resized with torch's antialiased
bilinear resize (PIL's filter), and the final images are rounded to whole 8-bit levels and scored again.

Usage: /usr/bin/python3 bench/peer/pgd_ref.py MODEL.onnx ATTACK_OUT IMAGES_DIR [--epsilon 8] [--steps 100]
       [--restarts 2] [--size 64] [--mean 0.5] [--std 0.5]
ATTACK_OUT: a jdissect attack --out (its attack.csv names the images, its attack.json the classes and the target);
IMAGES_DIR: where the ids of attack.csv are (a Broden dataset's images/ folder). Prints one line per image and the
success rate. Needs Debian's python3-torch, python3-onnx, python3-pil.
"""
import argparse
import csv
import json
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


class OnnxTorch:
    """The graph's nodes in order, each a torch operation; enough operators for the demo classifier."""

    def __init__(self, path):
        m = onnx.load(path)
        self.graph = m.graph
        self.weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
        self.input = [i.name for i in m.graph.input if i.name not in self.weights][0]
        self.output = m.graph.output[0].name

    def __call__(self, x):
        v = dict(self.weights)
        v[self.input] = x
        for n in self.graph.node:
            a = [v[i] for i in n.input if i]
            op = n.op_type
            if op == "Conv":
                pads = attr(n, "pads", [0, 0, 0, 0])
                assert pads[0] == pads[2] and pads[1] == pads[3], "asymmetric padding"
                out = F.conv2d(a[0], a[1], a[2] if len(a) > 2 else None, stride=attr(n, "strides", [1, 1]),
                               padding=pads[:2], dilation=attr(n, "dilations", [1, 1]), groups=attr(n, "group", 1))
            elif op == "Relu":
                out = F.relu(a[0])
            elif op == "MaxPool":
                assert attr(n, "pads", [0, 0, 0, 0]) == [0, 0, 0, 0] and attr(n, "ceil_mode", 0) == 0
                out = F.max_pool2d(a[0], attr(n, "kernel_shape"), attr(n, "strides"))
            elif op == "ReduceMean":
                out = a[0].mean(dim=tuple(attr(n, "axes")), keepdim=bool(attr(n, "keepdims", 1)))
            elif op == "GlobalAveragePool":
                out = a[0].mean(dim=(2, 3), keepdim=True)
            elif op == "Flatten":
                out = a[0].flatten(attr(n, "axis", 1))
            elif op == "Gemm":
                w = a[1].t() if attr(n, "transB", 0) else a[1]
                out = attr(n, "alpha", 1.0) * (a[0] @ w) + attr(n, "beta", 1.0) * a[2]
            else:
                raise SystemExit("pgd_ref.py: operator %s is not supported" % op)
            v[n.output[0]] = out
        return v[self.output]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("attack")
    p.add_argument("images")
    p.add_argument("--epsilon", type=int, default=8, help="budget in 8-bit levels")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--restarts", type=int, default=2)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--mean", type=float, default=0.5)
    p.add_argument("--std", type=float, default=0.5)
    args = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    net = OnnxTorch(args.model)
    record = json.load(open(os.path.join(args.attack, "attack.json")))
    s = record["settings"]
    classes = s["classes"]
    source = classes[s["from"]]
    target = None if s["to"] == "any" else classes[s["to"]]
    rows = list(csv.DictReader(open(os.path.join(args.attack, "attack.csv"))))

    def model(px):  # px: N x 3 x H x W in 0..255
        x = F.interpolate(px / 255.0, size=(args.size, args.size), mode="bilinear", align_corners=False,
                          antialias=True)
        return net((x - args.mean) / args.std)

    def loss(logits):
        if target is None:
            other = logits.clone()
            other[:, source] = -1e9
            return other.max(1).values - logits[:, source]  # maximise the margin of another class
        return -F.cross_entropy(logits, torch.full((logits.shape[0],), target), reduction="none")

    def success(logits):
        pred = logits.argmax(1)
        return pred != source if target is None else pred == target

    eps = float(args.epsilon)
    wins = 0
    agree = 0
    for row in rows:
        img = np.asarray(Image.open(os.path.join(args.images, row["id"])).convert("RGB"), dtype=np.float32)
        x = torch.from_numpy(img).permute(2, 0, 1).unsqueeze(0)
        with torch.no_grad():
            clean = model(x)
        p_clean = torch.softmax(clean, 1)[0, source].item()
        agree += abs(p_clean - float(row["clean_p"])) < 2e-3
        best = None
        for r in range(args.restarts):
            delta = (torch.rand_like(x) * 2 - 1) * eps if r > 0 else torch.zeros_like(x)
            for _ in range(args.steps):
                delta.requires_grad_(True)
                l = loss(model((x + delta).clamp(0, 255))).sum()
                g, = torch.autograd.grad(l, delta)
                with torch.no_grad():
                    delta = (delta + eps / 10 * g.sign()).clamp(-eps, eps)
                    delta = (x + delta).clamp(0, 255) - x
            with torch.no_grad():
                adv = (x + delta).round().clamp(0, 255)
                adv = torch.maximum(torch.minimum(adv, x + eps), x - eps)
                out = model(adv)
                if success(out).item():
                    best = out
                    break
        won = best is not None
        wins += won
        print("%s,%s,%.4f" % (row["id"], "success" if won else "fail", p_clean))
    print("PGD %d/255, %d steps, %d restarts: %d of %d succeed; clean p agrees with jdissect on %d of %d" % (
        args.epsilon, args.steps, args.restarts, wins, len(rows), agree, len(rows)))


if __name__ == "__main__":
    main()
