"""scene_cnn: a VGG-style scene classifier (conv1..conv5, 64x64 RGB input) trained on SceneWorld scene labels only.
Usage: python3 train_cnn.py DATA_DIR OUT.onnx [--epochs E]"""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import common


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SceneCNN(nn.Module):
    def __init__(self, classes=len(common.SCENES)):
        super().__init__()
        self.conv1 = block(3, 24)     # 64x64
        self.conv2 = block(24, 32)    # 32x32
        self.conv3 = block(32, 64)    # 16x16
        self.conv4 = block(64, 96)    # 8x8
        self.conv5 = block(96, 128)   # 8x8
        self.fc = nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x), 2)
        x = F.max_pool2d(self.conv2(x), 2)
        x = F.max_pool2d(self.conv3(x), 2)
        x = self.conv4(x)
        x = self.conv5(x)
        return self.fc(x.mean(dim=(2, 3)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    common.seed_everything(args.seed)
    torch.set_num_threads(2)
    xt, yt, xv, yv = common.load_scenes(args.data, args.limit)
    model = SceneCNN()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps = args.epochs * (len(xt) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=steps)
    acc, train_s = common.train_classifier(model, opt, sched, xt, yt, xv, yv, args.epochs, args.batch, args.seed)
    common.export_classifier(model, args.out, ["conv1", "conv2", "conv3", "conv4", "conv5"], "scene_cnn", acc,
                             len(xt), len(xv), args.epochs, train_s)



if __name__ == "__main__":
    main()
