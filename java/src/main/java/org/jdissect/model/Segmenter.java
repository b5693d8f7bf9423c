package org.jdissect.model;

import java.awt.image.BufferedImage;
import java.util.List;

import org.jdissect.JdissectException;

/**
 * A segmentation model (image to per-pixel class scores, N x K x H x W) that labels generated images: each pixel
 * gets the label number of its highest-scoring class (see {@link SegmenterLabels}). Images go in as 8-bit RGB, as
 * they would be saved, then through the segmenter's own preprocessing. Not thread-safe.
 */
public final class Segmenter implements AutoCloseable {
    private final OnnxModel model;
    private final SegmenterLabels labels;
    private final Preprocessing pre;
    private final LayerRunner runner;
    private final LayerInfo output;

    private Segmenter(OnnxModel model, SegmenterLabels labels, Preprocessing pre, LayerRunner runner) {
        this.model = model;
        this.labels = labels;
        this.pre = pre;
        this.runner = runner;
        this.output = runner.layers().get(0);
        if (output.channels() != labels.classes()) {
            runner.close();
            throw new JdissectException(model.file() + ": the segmenter scores " + output.channels()
                    + " classes but the labels file lists " + labels.classes());
        }
    }

    public static Segmenter open(OnnxModel model, SegmenterLabels labels, Preprocessing pre, int threads) {
        if (model.proto().getGraph().getOutputCount() == 0) {
            throw new JdissectException(model.file() + " has no output");
        }
        String out = model.proto().getGraph().getOutput(0).getName();
        return new Segmenter(model, labels, pre, model.runner(List.of(out), pre, threads));
    }

    public SegmenterLabels labels() {
        return labels;
    }

    /** The label map's height and width. */
    public int height() {
        return output.height();
    }

    public int width() {
        return output.width();
    }

    /** Label numbers, {@code n x height() x width()}, of {@code n} images. */
    public int[] segment(List<BufferedImage> images) {
        int n = images.size();
        int per = pre.valuesPerImage();
        float[] batch = new float[n * per];
        for (int i = 0; i < n; i++) {
            pre.apply(images.get(i), batch, i * per);
        }
        return segmentPrepared(batch, n);
    }

    /** The images' preprocessing (each image's values, one after another, are what {@link #segmentPrepared} takes). */
    public Preprocessing preprocessing() {
        return pre;
    }

    /** Label numbers, {@code n x height() x width()}, of {@code n} images already prepared with {@link #preprocessing}. */
    public int[] segmentPrepared(float[] batch, int n) {
        float[] scores = runner.run(batch, n).get(0);
        int k = output.channels();
        int hw = output.height() * output.width();
        int[] out = new int[n * hw];
        for (int i = 0; i < n; i++) {
            int base = i * k * hw;
            for (int p = 0; p < hw; p++) {
                int best = 0;
                float bestScore = scores[base + p];
                for (int c = 1; c < k; c++) {
                    float s = scores[base + c * hw + p];
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                }
                out[i * hw + p] = labels.labelOf(best);
            }
        }
        return out;
    }

    @Override
    public void close() {
        runner.close();
    }
}
