package org.jdissect.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.dissect.Segmentation;
import org.jdissect.model.Preprocessing;

/** The options every GAN command shares: the generator and its layer, the sampling, the output range. */
final class GanOptions {
    @Option(names = "--generator", required = true, paramLabel = "G.onnx",
            description = "The generator: its one input is the latent z (N x ...), its output N x 3 x H x W.")
    Path generator;

    @Option(names = "--layer", required = true, paramLabel = "L", description = "The layer (tensor name) to cut at.")
    String layer;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "K",
            description = "Seed of the latents: sample i of seed K is always the same image (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--range", defaultValue = "-1,1", paramLabel = "lo,hi",
            description = "The generator's output range, mapped to 0..255 (default: ${DEFAULT-VALUE}, a tanh).")
    String range;

    float[] range() {
        String[] p = range.split(",");
        try {
            if (p.length == 2) {
                float lo = Float.parseFloat(p[0].trim());
                float hi = Float.parseFloat(p[1].trim());
                if (hi > lo) {
                    return new float[] {lo, hi};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JdissectException("--range: '" + range + "' is not 'lo,hi' with hi > lo");
    }
}

/** The segmenter and how images are prepared for it. */
final class SegmenterOptions {
    @Option(names = "--segmenter", paramLabel = "S.onnx",
            description = "Segmentation model: image N x 3 x H x W to class scores N x K x H' x W'.")
    Path segmenter;

    @Option(names = "--seg-labels", paramLabel = "FILE",
            description = "The segmenter's classes, one line per output channel: 'name' or 'name,category'; "
                    + "a class named '-' is unlabelled.")
    Path labels;

    @Option(names = "--seg-size", paramLabel = "H[,W]", description = "Segmenter input size (default: the "
            + "generated image's size, or the model's input size for --images).")
    String size;

    @Option(names = "--seg-channels", defaultValue = "rgb", paramLabel = "rgb|bgr",
            description = "Channel order the segmenter expects (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(names = "--seg-scale", defaultValue = "255", paramLabel = "S",
            description = "Pixel values (0-255) are divided by S (default: ${DEFAULT-VALUE}).")
    float scale;

    @Option(names = "--seg-mean", defaultValue = "0,0,0", paramLabel = "a,b,c",
            description = "Mean subtracted after scaling (default: ${DEFAULT-VALUE}).")
    String mean;

    @Option(names = "--seg-std", defaultValue = "1,1,1", paramLabel = "a,b,c",
            description = "Standard deviation divided after the mean (default: ${DEFAULT-VALUE}).")
    String std;

    /** The segmenter's preprocessing; {@code imageSize} (H, W) when no size was given. */
    Preprocessing preprocessing(int[] imageSize) {
        String s = size != null ? size : imageSize[0] + "," + imageSize[1];
        return Preprocessing.parse("--seg-", s, channels, scale, mean, std);
    }

    /** The segmentation these options name; both --segmenter and --seg-labels are needed by {@code forWhat}. */
    Segmentation segmentation(String forWhat) {
        if (segmenter == null || labels == null) {
            throw new JdissectException(forWhat + " needs --segmenter S.onnx and --seg-labels FILE");
        }
        preprocessing(new int[] {1, 1}); // the options' own errors now, before any model is read
        return new Segmentation(segmenter, labels, this::preprocessing);
    }
}
