"""The same statistics as jdissect's CUDA kernels, written the way a PyTorch user would: the baseline of
bench/gpu-check.sh. Our own code. Synthetic workload shaped like jd_bench's (ResNet-18 layer4 on Broden: 512 units,
7x7 maps, 112x112 label maps with 3 layers and 1 image-level label, 1,198 labels in 6 categories), on a subset of
the images (timed per image, so images/s compare directly with jd_bench's).

Usage: python3 bench/peer/torch_stats.py [--images 4000] [--batch 16] [--device cuda]
"""
import argparse
import time

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


def tally(acts, thresholds, labels, levels, primary, num_labels, num_cats, batch):
    """The tally as a careful PyTorch user writes it: upsample a batch, threshold, then count only the masked
    pixels, with one bincount over (unit, label) keys per label layer (no dense [batch, units, labels] tensor)."""
    n, units = acts.shape[:2]
    side = labels.shape[-1]
    device = acts.device
    inter = torch.zeros(units * num_labels, dtype=torch.long, device=device)
    act = torch.zeros(units, num_cats, dtype=torch.long, device=device)
    lpix = torch.zeros(num_labels, dtype=torch.long, device=device)
    t = thresholds.view(1, -1, 1, 1)
    for b in range(0, n, batch):
        a = acts[b:b + batch].float()
        lab = labels[b:b + batch].long()  # [B, L, S, S]
        lev = levels[b:b + batch]
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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", type=int, default=4000)
    p.add_argument("--units", type=int, default=512)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--device", default="cuda")
    args = p.parse_args()
    device = args.device
    if device.startswith("cuda") and not torch.cuda.is_available():
        print("SKIP: PyTorch sees no CUDA device")
        raise SystemExit(77)
    num_labels, num_cats, q, k = 1198, 6, 0.005, 10
    acts, labels, levels = synthetic(args.images, args.units, 7, 112, 3, num_labels, device)
    primary = torch.arange(num_labels, device=device) % num_cats
    primary[0] = -1
    name = torch.cuda.get_device_name(0) if device.startswith("cuda") else "cpu"
    print(f"peer: PyTorch {torch.__version__} on {name}: {args.images} images x {args.units} units, 7x7 -> 112x112, "
          f"3 layers + 1 image-level label")
    quantile(acts[:64], q), topk(acts[:64], k)  # warm-up
    sync(device)
    t0 = time.perf_counter()
    thresholds = quantile(acts, q)
    sync(device)
    t_q = time.perf_counter() - t0
    t0 = time.perf_counter()
    topk(acts, k)
    sync(device)
    t_k = time.perf_counter() - t0
    tally(acts[:args.batch], thresholds, labels[:args.batch], levels[:args.batch], primary, num_labels, num_cats,
          args.batch)
    sync(device)
    t0 = time.perf_counter()
    inter, act, lpix = tally(acts, thresholds, labels, levels, primary, num_labels, num_cats, args.batch)
    sync(device)
    t_t = time.perf_counter() - t0
    n = args.images
    for what, t in (("quantile", t_q), ("top-k", t_k), ("tally", t_t)):
        print(f"peer {what:9s} {t:8.3f} s for {n} images  {n / t:10.0f} images/s  "
              f"(63,000 images: {63000 / (n / t):7.2f} s)")
    print(f"peer_quantile_ips={n / t_q:.0f} peer_topk_ips={n / t_k:.0f} peer_tally_ips={n / t_t:.0f}")
    print(f"peer counts: intersections {int(inter.sum())}, activation {int(act.sum())}, label pixels {int(lpix.sum())}")


if __name__ == "__main__":
    main()
