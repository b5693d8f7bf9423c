"""scene_vit: a small Vision Transformer scene classifier (patch 8 at 64x64: an 8x8 grid of patch tokens after a
class token; block1..block4, their MLPs' hidden units mlp1..mlp4, the class token cls) trained on SceneWorld scene labels only, with the same input as scene_cnn.
Usage: python3 train_vit.py DATA_DIR OUT.onnx [--epochs E]"""
import argparse

import torch
import torch.nn as nn

import common


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        n, t, d = x.shape
        h = self.heads
        qkv = self.qkv(x).reshape(n, t, 3, h, d // h).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = torch.softmax(q @ k.transpose(-2, -1) * (d // h) ** -0.5, dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    """Pre-norm transformer block; its output (N x tokens x dim) is the second residual Add, the block's last node."""

    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp), nn.GELU(), nn.Linear(mlp, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ClassToken(nn.Module):
    """The class token of the final norm's output (N x dim): a module of its own so that its Gather is renamed cls."""

    def forward(self, x):
        return x[:, 0]


class SceneViT(nn.Module):
    def __init__(self, classes=len(common.SCENES), dim=64, depth=4, heads=4, mlp=256, patch=8, size=64):
        super().__init__()
        self.depth = depth
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)   # 64x64 -> 8x8 patch tokens
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, 1 + (size // patch) ** 2, dim))
        for i in range(depth):
            setattr(self, "block%d" % (i + 1), Block(dim, heads, mlp))
        self.norm = nn.LayerNorm(dim)
        self.cls = ClassToken()
        self.fc = nn.Linear(dim, classes)
        nn.init.trunc_normal_(self.pos, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)                       # N x 64 x dim, patches in row order
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos   # class token first
        for i in range(self.depth):
            x = getattr(self, "block%d" % (i + 1))(x)
        return self.fc(self.cls(self.norm(x)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    common.seed_everything(args.seed)
    torch.set_num_threads(2)
    xt, yt, xv, yv = common.load_scenes(args.data, args.limit)
    model = SceneViT()
    decay = [p for n, p in model.named_parameters() if p.dim() > 1 and n not in ("pos", "cls_token")]
    rest = [p for n, p in model.named_parameters() if not (p.dim() > 1 and n not in ("pos", "cls_token"))]
    opt = torch.optim.AdamW([dict(params=decay, weight_decay=0.05), dict(params=rest, weight_decay=0.0)], lr=args.lr)
    steps = args.epochs * (len(xt) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    acc, train_s = common.train_classifier(model, opt, sched, xt, yt, xv, yv, args.epochs, args.batch, args.seed, clip=1.0)
    # block1..4: each block's output (its second residual Add); mlp1..4: its MLP's hidden units after the GELU; cls
    names = (["block%d" % (i + 1) for i in range(model.depth)] + ["cls"]
             + [("block%d/mlp/mlp.1" % (i + 1), "mlp%d" % (i + 1)) for i in range(model.depth)])
    common.export_classifier(model, args.out, names, "scene_vit", acc, len(xt), len(xv), args.epochs, train_s)



if __name__ == "__main__":
    main()
