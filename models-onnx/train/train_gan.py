"""scene_gan: a DCGAN-like generator of 64x64 SceneWorld images, z (N x 100, standard normal) -> image in -1..1.
Named layers: layer1 (4x4), layer2 (8x8), layer3 (16x16), layer4 (32x32), image (64x64).
Usage: python3 train_gan.py DATA_DIR OUT.onnx [--steps N]"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

import common

Z = 100


def up(cin, cout):
    # nearest upsampling + 3x3 convolution rather than a transposed convolution: no checkerboard artefacts, and on
    # Debian's torch (generic BLAS) it runs through oneDNN, several times faster on the CPU
    return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Project(nn.Module):
    """z -> C x 4 x 4."""

    def __init__(self, cout):
        super().__init__()
        self.cout = cout
        self.linear = nn.Linear(Z, cout * 16, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, z):
        return F.relu(self.bn(self.linear(z).view(z.shape[0], self.cout, 4, 4)))


class Generator(nn.Module):
    def __init__(self, ngf):
        super().__init__()
        self.layer1 = Project(ngf * 8)             # 4x4
        self.layer2 = up(ngf * 8, ngf * 4)         # 8x8
        self.layer3 = up(ngf * 4, ngf * 2)         # 16x16
        self.layer4 = up(ngf * 2, ngf)             # 32x32
        self.output = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(ngf, 3, 3, padding=1),
                                    nn.Tanh())  # 64x64

    def forward(self, z):
        return self.output(self.layer4(self.layer3(self.layer2(self.layer1(z)))))


class Discriminator(nn.Module):
    def __init__(self, ndf):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, ndf, 4, 2, 1), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0))

    def forward(self, x):
        return self.net(x).view(-1)


def augment(x, gen):
    """Differentiable augmentation for small data (as in DiffAugment: colour, translation, cutout), the same kind for
    real and generated images before the discriminator, so it cannot learn the augmentation. Random numbers come
    from gen (CPU) so a run is reproducible."""
    n, dev = x.shape[0], x.device

    def rand(*shape):
        return torch.rand(*shape, generator=gen).to(dev)

    x = x + (rand(n, 1, 1, 1) - 0.5) * 0.4  # brightness (images in -1..1)
    mean = x.mean(dim=1, keepdim=True)
    x = (x - mean) * (rand(n, 1, 1, 1) * 2) + mean  # saturation
    mean = x.mean(dim=[1, 2, 3], keepdim=True)
    x = (x - mean) * (rand(n, 1, 1, 1) + 0.5) + mean  # contrast
    # translation by up to 1/8 of the size, zero padded
    size = x.shape[-1]
    shift = size // 8
    t = (torch.randint(-shift, shift + 1, (n, 2), generator=gen).float() * 2 / size).to(dev)
    theta = torch.zeros(n, 2, 3, device=dev)
    theta[:, 0, 0] = 1
    theta[:, 1, 1] = 1
    theta[:, :, 2] = t
    x = F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), mode="nearest", padding_mode="zeros",
                      align_corners=False)
    # cutout: a square of half the size, zeroed
    half = size // 2
    cy = torch.randint(0, size, (n, 1, 1), generator=gen).to(dev)
    cx = torch.randint(0, size, (n, 1, 1), generator=gen).to(dev)
    ys = torch.arange(size, device=dev).view(1, size, 1)
    xs = torch.arange(size, device=dev).view(1, 1, size)
    keep = ((ys - cy).abs() >= half // 2) | ((xs - cx).abs() >= half // 2)
    return x * keep.unsqueeze(1).float()


def init(m):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def grid(images, rows, cols):
    """N x 3 x 64 x 64 in -1..1 -> a PIL image grid."""
    a = ((images.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
    h, w = a.shape[1], a.shape[2]
    out = np.zeros((rows * h, cols * w, 3), dtype=np.uint8)
    for k in range(rows * cols):
        out[(k // cols) * h:(k // cols + 1) * h, (k % cols) * w:(k % cols + 1) * w] = a[k]
    return Image.fromarray(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--ngf", type=int, default=32)
    ap.add_argument("--ndf", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--samples", default=None, help="PNG grid of samples to write")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N images (for timing)")
    ap.add_argument("--checkpoint", default=None, help="save the generator here every 250 steps")
    ap.add_argument("--export-from", default=None, help="skip training: export a saved checkpoint")
    ap.add_argument("--device", default="cpu", help="cpu or cuda (training only; export runs on the CPU)")
    ap.add_argument("--max-seconds", type=float, default=None, help="stop training after this long")
    ap.add_argument("--no-export", action="store_true", help="train and save the checkpoint only")
    ap.add_argument("--augment", action="store_true", help="DiffAugment-style augmentation before the discriminator")
    ap.add_argument("--checkpoint-every", type=int, default=None,
                    help="also keep CHECKPOINT.STEP every this many steps")
    args = ap.parse_args()
    common.seed_everything(args.seed)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    saved = torch.load(args.export_from) if args.export_from else None
    if saved:
        x = [None] * saved.get("train_images", 8000)  # not trained here; only the count is reported
    else:
        d = common.load_sceneworld(args.data, 64, limit=args.limit)
        x = common.to_tensor(d["images"])
        print(f"loaded {len(x)} images in {time.time() - t0:.0f} s", flush=True)
    dev = torch.device(args.device)
    g, dis = Generator(args.ngf), Discriminator(args.ndf)
    g.apply(init)
    dis.apply(init)
    g.to(dev)
    dis.to(dev)
    if not saved:
        x = x.to(dev)
    og = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(dis.parameters(), lr=2e-4, betas=(0.5, 0.999))
    gen = torch.Generator().manual_seed(args.seed)
    fixed = torch.randn(64, Z, generator=torch.Generator().manual_seed(12345))
    t1 = time.time()
    if saved:
        g.load_state_dict(saved["generator"])
        args.steps = saved["step"]
        args.batch = saved.get("batch", args.batch)
        t1 -= saved["seconds"]
    for step in range(1, 0 if args.export_from else args.steps + 1):
        idx = torch.randint(0, len(x), (args.batch,), generator=gen)
        real = x[idx.to(dev)]
        flip = (torch.rand(args.batch, generator=gen) < 0.5).to(dev)
        real = torch.where(flip[:, None, None, None], real.flip(3), real)
        z = torch.randn(args.batch, Z, generator=gen).to(dev)
        fake = g(z)
        aug = (lambda t: augment(t, gen)) if args.augment else (lambda t: t)
        ld = F.softplus(-dis(aug(real))).mean() + F.softplus(dis(aug(fake.detach()))).mean()
        od.zero_grad()
        ld.backward()
        od.step()
        lg = F.softplus(-dis(aug(fake))).mean()
        og.zero_grad()
        lg.backward()
        og.step()
        if step % 100 == 0 or step <= 3:
            el = time.time() - t1
            print(f"step {step}/{args.steps}: loss D {ld.item():.3f} G {lg.item():.3f} "
                  f"({el:.0f} s, {el / step:.2f} s/step)", flush=True)
        last = args.max_seconds is not None and time.time() - t1 > args.max_seconds
        paths = []
        if args.checkpoint and (step % 250 == 0 or step == args.steps or last):
            paths.append(args.checkpoint)
        if args.checkpoint and args.checkpoint_every and step % args.checkpoint_every == 0:
            paths.append(f"{args.checkpoint}.{step}")
        if paths:
            state = {"generator": {k: v.cpu() for k, v in g.state_dict().items()}, "step": step,
                     "seconds": time.time() - t1, "train_images": len(x), "batch": args.batch, "device": args.device}
            for path in paths:
                torch.save(state, path)
        if last:
            print(f"stopping after {step} steps: --max-seconds {args.max_seconds:.0f} reached", flush=True)
            args.steps = step
            break
    train_s = time.time() - t1
    if args.no_export:
        print(f"trained {args.steps} steps in {train_s:.0f} s; checkpoint {args.checkpoint}", flush=True)
        return
    g.to("cpu")
    g.eval()
    with torch.no_grad():
        samples = g(fixed)
    if args.samples:
        grid(samples[:32], 4, 8).save(args.samples, optimize=True)
    torch.onnx.export(g, torch.zeros(1, Z), args.out, input_names=["z"], output_names=["image"], opset_version=13,
                      dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}})
    common.rename_block_outputs(args.out, ["layer1", "layer2", "layer3", "layer4"])
    info = dict(model="scene_gan", steps=args.steps, batch=args.batch, train_images=len(x),
                train_seconds=round(train_s), parameters=sum(p.numel() for p in g.parameters()),
                sha256=common.sha256(args.out))
    print(json.dumps(info), flush=True)
    with open(args.out + ".json", "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
