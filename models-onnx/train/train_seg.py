"""scene_seg: a small fully convolutional segmenter of 64x64 SceneWorld-style images (as the generator makes them)
into object and part classes (a part where there is one, else the visible object). Output: per-pixel class scores
N x K x 64 x 64; class names in scene_seg_labels.csv (class,name,category).
Usage: python3 train_seg.py DATA_DIR OUT.onnx LABELS.csv [--epochs E]"""
import argparse
import csv
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Segmenter(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.enc1 = block(3, 24)     # 64x64
        self.enc2 = block(24, 48)    # 32x32
        self.enc3 = block(48, 64)    # 16x16
        self.enc4 = block(64, 96)    # 16x16
        self.score4 = nn.Conv2d(96, classes, 1)
        self.score2 = nn.Conv2d(48, classes, 1)
        self.score1 = nn.Conv2d(24, classes, 1)

    def forward(self, x):
        f1 = self.enc1(x)
        f2 = self.enc2(F.max_pool2d(f1, 2))
        f4 = self.enc4(self.enc3(F.max_pool2d(f2, 2)))
        s = F.interpolate(self.score4(f4), scale_factor=2, mode="bilinear", align_corners=False) + self.score2(f2)
        return F.interpolate(s, scale_factor=2, mode="bilinear", align_corners=False) + self.score1(f1)


def generated_style(x, gen):
    """Blur half of the batch a little and jitter brightness, as generated images are softer than rendered ones."""
    k = torch.tensor([1.0, 2.0, 1.0])
    k = (k[:, None] * k[None, :]) / 16
    blurred = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), k.expand(3, 1, 3, 3), groups=3)
    pick = (torch.rand(x.shape[0], generator=gen) < 0.5)[:, None, None, None]
    x = torch.where(pick, blurred, x)
    gain = 1 + 0.15 * (torch.rand(x.shape[0], 1, 1, 1, generator=gen) * 2 - 1)
    return ((x + 1) * gain - 1).clamp(-1, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("labels_csv")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    common.seed_everything(args.seed)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    d = common.load_sceneworld(args.data, 128, with_segmentation=True)
    labels = d["labels"]
    numbers = sorted(n for n, (_, cat) in labels.items() if cat in ("object", "part"))
    classes = [0] + numbers
    lut = np.zeros(max(labels) + 1, dtype=np.int64)
    for k, n in enumerate(classes):
        lut[n] = k
    x = common.to_tensor(d["images"])
    x = F.avg_pool2d(x, 2)  # 128 -> 64: the 2x2 mean, aligned with the half-size label maps
    y = torch.from_numpy(lut[d["segs"].astype(np.int64)])
    val = torch.from_numpy(d["val"])
    xt, yt, xv, yv = x[~val], y[~val], x[val], y[val]
    print(f"loaded {len(x)} images, {len(classes) - 1} classes in {time.time() - t0:.0f} s", flush=True)
    model = Segmenter(len(classes))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    steps = args.epochs * (len(xt) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(args.seed)
    t1 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=gen)
        for b in range(len(xt) // args.batch):
            idx = perm[b * args.batch:(b + 1) * args.batch]
            xb, yb = generated_style(xt[idx], gen), yt[idx]
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            yb = torch.where(flip[:, None, None], yb.flip(2), yb)
            loss = F.cross_entropy(model(xb), yb, ignore_index=0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if b % 50 == 0:
                print(f"epoch {epoch + 1} batch {b}: loss {loss.item():.3f} ({time.time() - t1:.0f} s)", flush=True)
    train_s = time.time() - t1
    miou, pix = evaluate(model, xv, yv, len(classes))
    print(f"val mean IoU {miou:.3f}, pixel accuracy {pix:.3f}", flush=True)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, 64, 64), args.out, input_names=["image"], output_names=["scores"],
                      opset_version=13, dynamic_axes={"image": {0: "batch"}, "scores": {0: "batch"}})
    with open(args.labels_csv, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["class", "name", "category"])
        w.writerow([0, "-", ""])
        for k, n in enumerate(numbers, start=1):
            w.writerow([k, labels[n][0], labels[n][1]])
    info = dict(model="scene_seg", val_mean_iou=round(miou, 4), val_pixel_accuracy=round(pix, 4),
                classes=len(classes) - 1, epochs=args.epochs, train_images=len(xt), val_images=len(xv),
                train_seconds=round(train_s), parameters=sum(p.numel() for p in model.parameters()),
                sha256=common.sha256(args.out))
    print(json.dumps(info), flush=True)
    with open(args.out + ".json", "w") as f:
        json.dump(info, f, indent=1)


def evaluate(model, xv, yv, k):
    """Mean IoU over the classes present in the val labels, and pixel accuracy (unlabelled pixels ignored)."""
    model.eval()
    inter = torch.zeros(k)
    union = torch.zeros(k)
    correct = total = 0
    with torch.no_grad():
        for b in range(0, len(xv), 128):
            pred = model(xv[b:b + 128]).argmax(1)
            y = yv[b:b + 128]
            m = y > 0
            correct += ((pred == y) & m).sum().item()
            total += m.sum().item()
            for c in range(1, k):
                p, t = (pred == c) & m, y == c
                inter[c] += (p & t).sum()
                union[c] += (p | t).sum()
    present = [c for c in range(1, k) if union[c] > 0 and (yv == c).any()]
    return float(np.mean([inter[c] / union[c] for c in present])), correct / max(1, total)


if __name__ == "__main__":
    main()
