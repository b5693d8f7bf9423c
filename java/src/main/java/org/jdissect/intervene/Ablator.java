package org.jdissect.intervene;

import java.util.HashMap;
import java.util.Map;

import org.jdissect.model.LayerInfo;
import org.jdissect.model.SplitRunner;
import org.jdissect.model.TensorData;
import org.jdissect.stats.Backend;

/**
 * Re-runs only the tail of a split model on cached head outputs, with the layer edited by
 * {@link Backend#ablate}: {@code x = x * (1 - a) + r * a} per unit. Not thread-safe.
 */
public final class Ablator {
    private final SplitRunner runner;
    private final HeadCache cache;
    private final Backend backend;
    private final String output;
    private final int tailBatch;
    private long tailImages;

    /**
     * @param tailBatch images per tail run (ignored when the cache fixes it)
     */
    public Ablator(SplitRunner runner, HeadCache cache, Backend backend, int tailBatch) {
        this.runner = runner;
        this.cache = cache;
        this.backend = backend;
        this.output = runner.split().tailOutputs().get(0);
        this.tailBatch = cache.tailBatchFixed() ? cache.batch() : Math.max(1, tailBatch);
    }

    public LayerInfo layer() {
        return cache.layer();
    }

    /** Images the tail has been run on so far (padding included). */
    public long tailImages() {
        return tailImages;
    }

    /** Alpha that ablates exactly the given units (0-based). */
    public float[] alphaFor(int... units) {
        float[] a = new float[cache.layer().channels()];
        for (int u : units) {
            a[u] = 1f;
        }
        return a;
    }

    /**
     * Per image, the argmax over the model's first output (after the layer) with the layer edited; {@code alpha}
     * null for no edit.
     */
    public int[] predict(int[] images, float[] alpha, float[] replacement) {
        int[] pred = new int[images.length];
        run(images, ablation(alpha, replacement), (i, logits, offset, k) -> {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (logits[offset + j] > logits[offset + best]) {
                    best = j;
                }
            }
            pred[i] = best;
        });
        return pred;
    }

    /** Per image, the model's first output with the layer edited, flattened. */
    public float[][] outputs(int[] images, float[] alpha, float[] replacement) {
        return outputs(images, ablation(alpha, replacement));
    }

    /** Per image, the model's first output with the layer's maps edited by {@code edit} (null for none), flattened. */
    public float[][] outputs(int[] images, LayerEdit edit) {
        float[][] out = new float[images.length][];
        run(images, edit, (i, logits, offset, k) -> {
            out[i] = java.util.Arrays.copyOfRange(logits, offset, offset + k);
        });
        return out;
    }

    /**
     * An edit of the layer's maps before the tail runs: {@code maps} holds images {@code images[from .. from + count)}
     * as {@code [row][unit][y][x]}, {@code rows} of them (rows past {@code count} are padding).
     */
    @FunctionalInterface
    public interface LayerEdit {
        void edit(int[] images, int from, int count, int rows, float[] maps);
    }

    /** The edit {@code x = x * (1 - a) + r * a} per unit, as {@link #outputs(int[], float[], float[])} makes it. */
    public LayerEdit ablation(float[] alpha, float[] replacement) {
        if (alpha == null) {
            return null;
        }
        LayerInfo l = cache.layer();
        int hw = l.height() * l.width();
        return (images, from, count, rows, maps) -> backend.ablate(maps, rows, l.channels(), hw, alpha, replacement);
    }

    @FunctionalInterface
    private interface Sink {
        void accept(int image, float[] logits, int offset, int perImage);
    }

    private void run(int[] images, LayerEdit edit, Sink sink) {
        LayerInfo l = cache.layer();
        int units = l.channels();
        int hw = l.height() * l.width();
        int step = tailBatch;
        boolean pad = cache.tailBatchFixed();
        float[] layerBuf = null;
        for (int from = 0; from < images.length; from += step) {
            int count = Math.min(step, images.length - from);
            int rows = pad ? step : count;
            if (layerBuf == null || layerBuf.length != rows * units * hw) {
                layerBuf = new float[rows * units * hw];
            } else if (pad) {
                java.util.Arrays.fill(layerBuf, count * units * hw, layerBuf.length, 0f);
            }
            cache.layer(images, from, count, layerBuf);
            if (edit != null) {
                edit.edit(images, from, count, rows, layerBuf);
            }
            Map<String, TensorData> in = new HashMap<>(cache.crossings(images, from, count, rows));
            in.put(l.name(), cache.layerTensor(images, from, count, rows, layerBuf));
            TensorData out = runner.tail(in).get(output);
            tailImages += rows;
            int k = (int) (TensorData.elements(out.shape()) / rows);
            float[] logits = out.floats();
            if (logits == null) {
                throw new org.jdissect.JdissectException("output '" + output + "' is not a float tensor");
            }
            for (int i = 0; i < count; i++) {
                sink.accept(from + i, logits, i * k, k);
            }
        }
    }
}
