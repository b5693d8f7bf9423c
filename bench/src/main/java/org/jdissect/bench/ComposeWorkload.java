package org.jdissect.bench;

import java.nio.file.Path;
import java.util.Random;

import org.jdissect.model.OnnxBuilder;

/**
 * The model of bench/compose.sh and bench/tally-peer.sh: a layer shaped like ResNet-18's layer4 (512 units at 7 x 7)
 * over a SIZE x SIZE image (SIZE a multiple of 7), from a fixed random network (SIZE/7 x SIZE/7 average pooling to
 * 7 x 7, a 1 x 1 convolution to 48 channels, ReLU, a 1 x 1 convolution to 512, ReLU "layer"): its units follow
 * mixtures of the pooled colours, so their masks are blobs that overlap the world's concepts in many ways, which is
 * what a formula search has to work through.
 * Usage: ComposeWorkload OUT.onnx [seed=1] [size=112]
 */
public final class ComposeWorkload {
    private ComposeWorkload() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        Random rnd = new Random(args.length > 1 ? Long.parseLong(args[1]) : 1);
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 112;
        if (size % 7 != 0) {
            throw new IllegalArgumentException("size must be a multiple of 7, got " + size);
        }
        int hidden = 48;
        int units = 512;
        float[] w1 = new float[hidden * 3];
        float[] b1 = new float[hidden];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b1.length; i++) {
            b1[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        float[] w2 = new float[units * hidden];
        float[] b2 = new float[units];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (rnd.nextGaussian() / Math.sqrt(hidden));
        }
        for (int i = 0; i < b2.length; i++) {
            b2[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        OnnxBuilder.imageInput(size, size)
                .averagePool(OnnxBuilder.INPUT, "pooled", size / 7, size / 7)
                .conv("pooled", "hidden", hidden, 3, 1, 1, 0, w1, b1)
                .relu("hidden", "hidden_relu")
                .conv("hidden_relu", "conv", units, hidden, 1, 1, 0, w2, b2)
                .relu("conv", "layer")
                .output("layer")
                .save(file);
        System.out.println("wrote " + file);
    }
}
