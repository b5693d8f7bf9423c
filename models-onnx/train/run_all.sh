#!/usr/bin/env bash
# Rebuilds the demo models from scratch on the CPU: a SceneWorld training set, then the classifier, the Vision
# Transformer classifier, the segmenter and the generator. Needs Debian's python3-torch, python3-torchvision (for PIL) and python3-onnx:
#   apt-get install -y python3-torch python3-torchvision python3-onnx
# Usage: bash models-onnx/train/run_all.sh [WORK_DIR]   (default /tmp/jdissect-train; the models land in WORK_DIR/out,
# copy them to models-onnx/ and update MODELS.md with the printed figures and hashes)
# The committed models were trained on the world that `jdissect synth` wrote at commit 2cef280; SceneWorld's palettes
# changed after that, and `synth --world-version 1` draws that first world byte for byte (SceneWorldPinTest).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/jdissect-train}"
py=/usr/bin/python3
mkdir -p "$work/out"
if [ ! -f "$work/world/index.csv" ]; then
  "$repo/jdissect" synth --out "$work/world" --images 8000 --size 128 --seed 2026 --world-version 1 -q
fi
cd "$here"
$py train_cnn.py "$work/world" "$work/out/scene_cnn_dense.onnx" --epochs 5 --seed 1 2>&1 | tee "$work/cnn.log"
# the sparse head (MODELS.md): conv5 of the training world, then fc retrained with an L1 penalty
"$repo/jdissect" dissect --model "$work/out/scene_cnn_dense.onnx" --layer conv5 --data "$work/world" \
  --out "$work/conv5" --categories scene --size 64 --mean 0.5,0.5,0.5 --std 0.5,0.5,0.5 -q --device cpu
$py sparse_head.py "$work/out/scene_cnn_dense.onnx" "$work/conv5/cache/conv5.f16" "$work/world/index.csv" \
  "$work/out/scene_cnn.onnx" --l1 0.005 --steps 2000 2>&1 | tee -a "$work/cnn.log"
$py train_vit.py "$work/world" "$work/out/scene_vit.onnx" --epochs 6 --seed 1 2>&1 | tee "$work/vit.log"
$py train_seg.py "$work/world" "$work/out/scene_seg.onnx" "$work/out/scene_seg_labels.csv" --epochs 3 --seed 1 2>&1 | tee "$work/seg.log"
# The committed generator was trained on a GPU (MODELS.md gives the two commands, on a 24,000-image world);
# here: the same recipe on GAN_DEVICE (cpu by default: hours on 2 cores).
$py train_gan.py "$work/world" "$work/out/scene_gan.onnx" --steps 11614 --batch 64 --ngf 32 --ndf 32 --seed 1 --augment \
  --device "${GAN_DEVICE:-cpu}" --samples "$work/out/scene_gan_samples.png" 2>&1 | tee "$work/gan.log"
sha256sum "$work"/out/scene_* 
