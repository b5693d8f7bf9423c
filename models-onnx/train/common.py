"""Shared helpers of the demo-model recipe: reading a SceneWorld (Broden layout) dataset, exporting to ONNX
with readable tensor names, file hashes. CPU only; Debian's python3-torch (1.13)."""
import csv
import hashlib
import os
import random

import numpy as np
import torch
from PIL import Image

SCENES = ["ski_resort-s", "mountain-s", "beach-s", "harbour-s", "street-s", "town_square-s", "forest-s",
          "farm-s", "desert-s", "bedroom-s", "kitchen-s"]


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def read_labels(root):
    """number -> (name, category as written first in label.csv)."""
    out = {}
    with open(os.path.join(root, "label.csv"), newline="") as f:
        for row in csv.DictReader(f):
            cat = row["category"].split("(")[0] if row["category"] else ""
            out[int(row["number"])] = (row["name"], cat)
    return out


def label_map(path):
    a = np.asarray(Image.open(path).convert("RGB"), dtype=np.int32)
    return a[..., 0] + 256 * a[..., 1]


def load_sceneworld(root, size, with_segmentation=False, limit=None):
    """Images resized to size x size (PIL bilinear, as jdissect's preprocessing), scene class indices, split
    flags, and optionally per-pixel label numbers at the label-map size: part where there is one, else the
    visible object."""
    labels = read_labels(root)
    scene_number = {name: n for n, (name, _) in labels.items() if name in SCENES}
    class_of = {scene_number[name]: k for k, name in enumerate(SCENES)}
    images, scenes, val, segs = [], [], [], []
    with open(os.path.join(root, "index.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if limit:
        rows = rows[:limit]
    base = os.path.join(root, "images")
    for row in rows:
        img = Image.open(os.path.join(base, row["image"])).convert("RGB")
        if img.size != (size, size):
            img = img.resize((size, size), Image.BILINEAR)
        images.append(np.asarray(img, dtype=np.uint8))
        scenes.append(class_of[int(row["scene"].split(";")[0])])
        val.append(row["split"] == "val")
        if with_segmentation:
            obj = label_map(os.path.join(base, row["object"].split(";")[0]))
            if row["part"]:
                part = label_map(os.path.join(base, row["part"]))
                obj = np.where(part > 0, part, obj)
            segs.append(obj.astype(np.int16))
    out = dict(images=np.stack(images), scenes=np.array(scenes), val=np.array(val), labels=labels)
    if with_segmentation:
        out["segs"] = np.stack(segs)
    return out


def to_tensor(images_uint8):
    """NHWC uint8 -> NCHW float in -1..1: (x / 255 - 0.5) / 0.5, RGB."""
    x = torch.from_numpy(images_uint8).permute(0, 3, 1, 2).float()
    return (x / 255.0 - 0.5) / 0.5


def rename_block_outputs(path, blocks):
    """Renames the output of the last node of each named module block (e.g. /conv3/...) to the block's name, so
    that layers are listed as conv1..conv5 instead of exporter-generated paths. A block may also be given as
    (module path, name): ("block1/mlp/mlp.1", "mlp1") names the output of that submodule's last node mlp1."""
    import onnx
    model = onnx.load(path)
    g = model.graph
    renames = {}
    for block in blocks:
        scope, name = block if isinstance(block, tuple) else (block, block)
        last = None
        for node in g.node:
            if node.name.startswith("/" + scope + "/"):
                last = node
        if last is None:
            raise SystemExit("no nodes for block " + scope)
        renames[last.output[0]] = name
    for node in g.node:
        for i, name in enumerate(node.output):
            if name in renames:
                node.output[i] = renames[name]
        for i, name in enumerate(node.input):
            if name in renames:
                node.input[i] = renames[name]
    for vi in list(g.value_info):
        if vi.name in renames:
            vi.name = renames[vi.name]
    for out in g.output:
        if out.name in renames:
            out.name = renames[out.name]
    onnx.checker.check_model(model)
    onnx.save(model, path)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def evaluate(model, xv, yv):
    """Accuracy of a classifier on the validation tensors, in batches of 256, in eval mode."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for b in range(0, len(xv), 256):
            correct += (model(xv[b:b + 256]).argmax(1) == yv[b:b + 256]).sum().item()
    return correct / max(1, len(xv))


def export_classifier(model, out, names, name, acc, train_images, val_images, epochs, train_seconds):
    """Exports a 64 x 64 scene classifier as the demo models are (opset 13, dynamic batch, input `image`, output
    `logits`), renames its named tensors (see rename_block_outputs), and prints and writes OUT.json with its figures."""
    import json
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, 64, 64), out, input_names=["image"], output_names=["logits"],
                      opset_version=13, dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    rename_block_outputs(out, names)
    info = dict(model=name, val_accuracy=round(acc, 4), train_images=train_images, val_images=val_images,
                epochs=epochs, train_seconds=round(train_seconds),
                parameters=sum(p.numel() for p in model.parameters()), sha256=sha256(out))
    print(json.dumps(info), flush=True)
    with open(out + ".json", "w") as f:
        json.dump(info, f, indent=1)


def load_scenes(root, limit=None):
    """A SceneWorld's 64 x 64 images and scene labels as tensors, split as the demo models were trained: every fifth
    image is validation (load_sceneworld's "val")."""
    import time
    t0 = time.time()
    d = load_sceneworld(root, 64, limit=limit)
    x = to_tensor(d["images"])
    y = torch.from_numpy(d["scenes"]).long()
    val = torch.from_numpy(d["val"])
    xt, yt, xv, yv = x[~val], y[~val], x[val], y[val]
    print(f"loaded {len(x)} images ({len(xt)} train, {len(xv)} val) in {time.time() - t0:.0f} s", flush=True)
    return xt, yt, xv, yv


def train_classifier(model, opt, sched, xt, yt, xv, yv, epochs, batch, seed, clip=None):
    """The demo classifiers' loop: seeded shuffles and horizontal flips, cross-entropy, the scheduler stepped per
    batch, gradients clipped to `clip` when given; prints each epoch. Returns the validation accuracy and the seconds."""
    import time
    import torch.nn.functional as F
    gen = torch.Generator().manual_seed(seed)
    t1 = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xt), generator=gen)
        total, correct, loss_sum = 0, 0, 0.0
        for b in range(len(xt) // batch):
            idx = perm[b * batch:(b + 1) * batch]
            xb, yb = xt[idx], yt[idx]
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad()
            loss.backward()
            if clip is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            total += len(idx)
        acc = evaluate(model, xv, yv)
        print(f"epoch {epoch + 1}/{epochs}: loss {loss_sum / total:.3f} train acc {correct / total:.3f} "
              f"val acc {acc:.3f} ({time.time() - t1:.0f} s)", flush=True)
    train_s = time.time() - t1
    return evaluate(model, xv, yv), train_s
