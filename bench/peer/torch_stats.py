"""The same statistics as jdissect's CUDA kernels, written the way a PyTorch user would: the baseline of
bench/gpu-check.sh. Our own code.

With --data DIR it reads the inputs jd_bench wrote with --dump DIR (the same bytes: activations, label maps,
image-level labels, and jd_bench's thresholds for the tally, so the counts can be compared) and times what jd_bench
times, the same way: from host memory, the copies to the device included, best of --repeats. Without it, a
synthetic workload of the same shape (ResNet-18 layer4 on Broden: 512 units, 7x7 maps, 112x112 label maps with 3
layers and 1 image-level label, 1,198 labels in 6 categories), generated on the device (no copies).

Usage: python3 bench/peer/torch_stats.py [--data DIR | --images 4000] [--repeats 3] [--batch 64] [--device cuda]
"""
import argparse
import os
import time

import numpy as np
import torch
import torch.nn.functional as F


def synthetic(n, units, side_map, side, layers, num_labels, device, seed=0):
    g = torch.Generator(device=device).manual_seed(seed)
    acts = torch.relu(torch.randn(n, units, side_map, side_map, device=device, generator=g)).half()
    blocks = (side + 15) // 16
    regions = torch.randint(0, num_labels, (n, layers, blocks, blocks), device=device, generator=g)
    regions[torch.rand(regions.shape, device=device, generator=g) < 0.125] = 0
    labels = regions.repeat_interleave(16, 2).repeat_interleave(16, 3)[:, :, :side, :side].contiguous()
    levels = torch.randint(1, num_labels, (n, 1), device=device, generator=g)
    return acts, labels, levels


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def quantile(acts, q):
    # Per unit, numpy's linear percentile over every spatial value of every image (kthvalue: no 16M-element limit).
    n, units = acts.shape[:2]
    values = acts.permute(1, 0, 2, 3).reshape(units, -1).float()
    count = values.shape[1]
    h = (count - 1) * (1 - q)
    lo = int(h)
    hi = min(lo + 1, count - 1)
    v_lo = values.kthvalue(lo + 1, dim=1).values
    v_hi = values.kthvalue(hi + 1, dim=1).values
    return v_lo + (h - lo) * (v_hi - v_lo)


def topk(acts, k):
    maxima = acts.amax(dim=(2, 3)).float()  # [n, units]
    return maxima.topk(k, dim=0)


def load(directory):
    """jd_bench --dump's files, in host memory (pageable, as jd_bench's std::vector)."""
    meta = {}
    with open(os.path.join(directory, "meta.txt")) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            meta[key] = float(value) if key == "q" else int(value)
    n, units, side_map, side, layers = meta["images"], meta["units"], meta["map"], meta["side"], meta["layers"]

    def read(name, dtype, shape):
        a = np.fromfile(os.path.join(directory, name), dtype=dtype)
        if a.size != int(np.prod(shape)):
            raise SystemExit("%s: %d values, expected %d" % (name, a.size, int(np.prod(shape))))
        return torch.from_numpy(a.reshape(shape))

    acts = read("acts.f16", np.float16, (n, units, side_map, side_map))
    # label numbers are below 32,768: int16 holds them (torch has no general uint16)
    labels = read("labels.u16", np.int16, (n, layers, side, side))
    levels = read("levels.i32", np.int32, (n, 1)).long()
    thresholds = read("thresholds.f32", np.float32, (units,))
    return meta, acts, labels, levels, thresholds


def tally(acts, thresholds, labels, levels, primary, num_labels, num_cats, batch):
    """The tally as a careful PyTorch user writes it: upsample a batch, threshold, then count only the masked
    pixels, with one bincount over (unit, label) keys per label layer (no dense [batch, units, labels] tensor)."""
    n, units = acts.shape[:2]
    side = labels.shape[-1]
    device = primary.device
    inter = torch.zeros(units * num_labels, dtype=torch.long, device=device)
    act = torch.zeros(units, num_cats, dtype=torch.long, device=device)
    lpix = torch.zeros(num_labels, dtype=torch.long, device=device)
    t = thresholds.view(1, -1, 1, 1)
    for b in range(0, n, batch):
        # a batch copied to the device when the data is in host memory (the copy is part of the work timed)
        a = acts[b:b + batch].to(device=primary.device).float()
        lab = labels[b:b + batch].to(device=primary.device).long()  # [B, L, S, S]
        lev = levels[b:b + batch].to(device=primary.device)
        bsz = a.shape[0]
        mask = (F.interpolate(a, size=(side, side), mode="bilinear", align_corners=False) > t).flatten(2)
        size = mask.sum(2)  # [B, U]
        bi, ui, pi = mask.nonzero(as_tuple=True)  # the masked pixels
        touched = torch.zeros(bsz * units * num_cats, dtype=torch.bool, device=device)
        for layer in range(lab.shape[1]):
            l = lab[:, layer].flatten(1)  # [B, P]
            lv = l[bi, pi]
            inter += torch.bincount(ui * num_labels + lv, minlength=units * num_labels)
            c = primary[lv]
            keep = (lv > 0) & (c >= 0)
            touched[((bi * units + ui) * num_cats + c)[keep]] = True
            lpix += torch.bincount(l.flatten(), minlength=num_labels)
        touched = touched.view(bsz, units, num_cats)
        for j in range(lev.shape[1]):
            l = lev[:, j]
            inter.view(units, num_labels).index_add_(1, l, size.t())
            c = primary[l]
            touched[torch.arange(bsz, device=device), :, c.clamp(min=0)] |= (c >= 0).view(-1, 1) & (size > 0)
            lpix.index_add_(0, l, torch.full_like(l, side * side))
        act += (touched.long() * size.unsqueeze(2)).sum(0)
    inter = inter.view(units, num_labels)
    inter[:, 0] = 0
    lpix[0] = 0
    return inter, act, lpix


def best(repeats, device, fn):
    """The best of `repeats` timed runs of fn() (after one untimed warm-up on a small slice, done by the caller)."""
    times = []
    result = None
    for _ in range(repeats):
        sync(device)
        t0 = time.perf_counter()
        result = fn()
        sync(device)
        times.append(time.perf_counter() - t0)
    return min(times), result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", help="the directory jd_bench --dump wrote (the same inputs as jdissect's benchmark)")
    p.add_argument("--images", type=int, default=4000, help="synthetic images when there is no --data")
    p.add_argument("--units", type=int, default=512)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeats", type=int, default=3, help="timed runs of each statistic; the best is reported")
    p.add_argument("--device", default="cuda")
    args = p.parse_args()
    device = args.device
    if device.startswith("cuda") and not torch.cuda.is_available():
        print("SKIP: PyTorch sees no CUDA device")
        raise SystemExit(77)
    if args.data:
        meta, acts, labels, levels, given = load(args.data)
        num_labels, num_cats, q, k = meta["num_labels"], meta["num_cats"], meta["q"], meta["topk"]
        where = "from host memory, copies to the device included (as jd_bench)"
    else:
        num_labels, num_cats, q, k = 1198, 6, 0.005, 10
        acts, labels, levels = synthetic(args.images, args.units, 7, 112, 3, num_labels, device)
        given = None
        where = "synthetic, generated on the device"
    n, units = acts.shape[:2]
    primary = torch.arange(num_labels, device=device) % num_cats
    primary[0] = -1
    name = torch.cuda.get_device_name(0) if device.startswith("cuda") else "cpu"
    print(f"peer: PyTorch {torch.__version__} on {name}: {n} images x {units} units, "
          f"{acts.shape[-1]}x{acts.shape[-1]} -> {labels.shape[-1]}x{labels.shape[-1]}, {labels.shape[1]} layers + 1 "
          f"image-level label, {where}, best of {args.repeats}")
    small = acts[:64].to(device)
    quantile(small, q), topk(small, k)  # warm-up
    t_q, thresholds = best(args.repeats, device, lambda: quantile(acts.to(device), q))
    t_k, _ = best(args.repeats, device, lambda: topk(acts.to(device), k))
    t_1, _ = best(args.repeats, device, lambda: (lambda d: (quantile(d, q), topk(d, k)))(acts.to(device)))
    if given is not None:
        thresholds = given.to(device)  # jd_bench's, so that the counts compare
    tally(acts[:args.batch], thresholds, labels[:args.batch], levels[:args.batch], primary, num_labels, num_cats,
          args.batch)
    t_t, (inter, act, lpix) = best(args.repeats, device, lambda: tally(acts, thresholds, labels, levels, primary,
                                                                        num_labels, num_cats, args.batch))
    for what, t in (("quantile", t_q), ("top-k", t_k), ("pass 1", t_1), ("tally", t_t)):
        print(f"peer {what:9s} {t:8.3f} s for {n} images  {n / t:10.0f} images/s  "
              f"(63,000 images: {63000 / (n / t):7.2f} s)")
    print(f"peer_quantile_ips={n / t_q:.0f} peer_topk_ips={n / t_k:.0f} peer_pass1_ips={n / t_1:.0f} "
          f"peer_tally_ips={n / t_t:.0f}")
    print(f"peer counts: intersections {int(inter.sum())}, activation {int(act.sum())}, label pixels {int(lpix.sum())}")
    if given is not None:
        # F.interpolate resizes in fp32 where jdissect follows PIL in double: masks may differ at ties, by a little
        ours = meta["inter_total"]
        print(f"intersections: jdissect {ours}, PyTorch {int(inter.sum())} "
              f"(relative difference {abs(int(inter.sum()) - ours) / max(1, ours):.2e})")


if __name__ == "__main__":
    main()
