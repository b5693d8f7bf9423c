#!/usr/bin/python3
"""Checkpoint-like copies of an ONNX model for bench/spark.sh: every float initializer (weights, biases) with seeded
Gaussian noise added, of `scale` times that tensor's own standard deviation (a model part way through training looks
like its final weights plus noise, to the statistics; the graph and its layer names stay the same).

Usage: perturb_model.py IN.onnx OUT.onnx SCALE SEED
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    src, dst, scale, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    model = onnx.load(src)
    rng = np.random.default_rng(seed)
    for init in model.graph.initializer:
        w = numpy_helper.to_array(init)
        if w.dtype != np.float32 or w.size < 2:
            continue
        noisy = w + rng.normal(0.0, scale * float(w.std()), size=w.shape).astype(np.float32)
        init.CopyFrom(numpy_helper.from_array(noisy.astype(np.float32), init.name))
    onnx.save(model, dst)


if __name__ == "__main__":
    main()
