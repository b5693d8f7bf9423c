package org.jdissect.intervene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.SplitRunner;
import org.jdissect.model.TensorData;
import org.jdissect.stats.Fp16;
import org.jdissect.stats.Precision;
import org.jdissect.io.Progress;

/**
 * The head's outputs for every image, computed once: the layer and every other per-image tensor crossing the split,
 * in half precision (as the dissection's activation cache holds them), in memory. Tensors that cross the split but
 * are not per image (a shape, a constant) are kept once.
 *
 * <p>The head always runs on batches of exactly {@link #batch()} images (the last one padded), so a shared tensor
 * that depends on the batch size (such as {@code Shape(x)}) holds for every tail run of that size; when there is
 * such a tensor the tail is run at that size too ({@link #tailBatchFixed()}).
 */
public final class HeadCache {
    private final LayerInfo layer;
    private final List<String> names;
    private final int[] perImage;
    private final long[][] imageShape;
    private final short[][][] values; // [tensor][image][value], half precision; null when exact
    private final float[][][] exact; // the same in single precision, as the head gave them; null when half
    private final Map<String, TensorData> shared;
    private final int batch;

    private HeadCache(LayerInfo layer, List<String> names, int[] perImage, long[][] imageShape, short[][][] values,
                      float[][][] exact, Map<String, TensorData> shared, int batch) {
        this.layer = layer;
        this.names = names;
        this.perImage = perImage;
        this.imageShape = imageShape;
        this.values = values;
        this.exact = exact;
        this.shared = shared;
        this.batch = batch;
    }

    /**
     * Runs the head over {@code images} images, {@code batch} at a time.
     *
     * @param input  the image input's name
     * @param pixels fills image {@code i} (preprocessed, {@code valuesPerImage} floats) into the array at the offset
     * @param fixedBatch the model's declared batch size, or 0 when it is free
     */
    public static HeadCache build(SplitRunner runner, LayerInfo layer, String input, long[] imageShape,
                                  int images, ImageSource pixels, int batch, int fixedBatch, Progress progress) {
        return build(runner, layer, input, imageShape, images, pixels, batch, fixedBatch, progress, Precision.FP16);
    }

    /**
     * As {@link #build(SplitRunner, LayerInfo, String, long[], int, ImageSource, int, int, Progress)}, keeping the
     * head's values in {@code precision}: {@link Precision#FP32} where a tail run must give exactly what the whole
     * model gives (an adversarial image lies just across a decision boundary, and half precision can move it back),
     * at twice the memory.
     */
    public static HeadCache build(SplitRunner runner, LayerInfo layer, String input, long[] imageShape,
                                  int images, ImageSource pixels, int batch, int fixedBatch, Progress progress,
                                  Precision precision) {
        if (images == 0) {
            throw new IllegalArgumentException("no images");
        }
        int b = fixedBatch > 0 ? fixedBatch : batch;
        int valuesPerImage = (int) TensorData.elements(imageShape);
        List<String> tailInputs = runner.split().tailInputs();
        // which tensors are per image: dim 0 follows the batch size (tried at 1 and 2 when the batch is free)
        boolean[] isPerImage = new boolean[tailInputs.size()];
        if (fixedBatch > 0) {
            Map<String, TensorData> probe = runner.head(Map.of(input, zeros(fixedBatch, imageShape)));
            for (int t = 0; t < tailInputs.size(); t++) {
                TensorData v = probe.get(tailInputs.get(t));
                isPerImage[t] = v.isFloat() && v.shape().length > 0 && v.shape()[0] == fixedBatch;
            }
        } else {
            Map<String, TensorData> one = runner.head(Map.of(input, zeros(1, imageShape)));
            Map<String, TensorData> two = runner.head(Map.of(input, zeros(2, imageShape)));
            for (int t = 0; t < tailInputs.size(); t++) {
                long[] s1 = one.get(tailInputs.get(t)).shape();
                long[] s2 = two.get(tailInputs.get(t)).shape();
                isPerImage[t] = one.get(tailInputs.get(t)).isFloat() && s1.length > 0 && s1[0] == 1 && s2[0] == 2;
            }
        }
        if (!isPerImage[0]) {
            throw new JdissectException("layer '" + layer.name() + "' does not come out one map per image");
        }
        List<String> names = new ArrayList<>();
        Map<String, TensorData> shared = new LinkedHashMap<>();
        for (int t = 0; t < tailInputs.size(); t++) {
            if (isPerImage[t]) {
                names.add(tailInputs.get(t));
            }
        }
        int[] per = new int[names.size()];
        long[][] shapes = new long[names.size()][];
        boolean keepExact = precision == Precision.FP32;
        short[][][] values = keepExact ? null : new short[names.size()][images][];
        float[][][] exact = keepExact ? new float[names.size()][images][] : null;
        float[] buf = new float[b * valuesPerImage];
        for (int start = 0; start < images; start += b) {
            int count = Math.min(b, images - start);
            Arrays.fill(buf, 0f);
            for (int i = 0; i < count; i++) {
                pixels.fill(start + i, buf, i * valuesPerImage);
            }
            long[] shape = imageShape.clone();
            long[] batchShape = new long[shape.length + 1];
            batchShape[0] = b;
            System.arraycopy(shape, 0, batchShape, 1, shape.length);
            Map<String, TensorData> out = runner.head(Map.of(input, TensorData.ofFloats(buf.clone(), batchShape)));
            for (int t = 0; t < tailInputs.size(); t++) {
                String name = tailInputs.get(t);
                TensorData v = out.get(name);
                if (!isPerImage[t]) {
                    TensorData before = shared.putIfAbsent(name, v);
                    if (before != null && !before.sameAs(v)) {
                        throw new JdissectException("tensor '" + name + "' crossing the split at '" + layer.name()
                                + "' changes from batch to batch but is not one value per image; such a model "
                                + "cannot be split there");
                    }
                    continue;
                }
                int k = names.indexOf(name);
                long[] s = v.shape();
                if (shapes[k] == null) {
                    shapes[k] = Arrays.copyOfRange(s, 1, s.length);
                    per[k] = (int) TensorData.elements(shapes[k]);
                }
                float[] f = v.floats();
                if (k == 0 && layer.tokens() > 0) {
                    // a token layer is kept as its maps (D x H x W, what ablation edits) then its special tokens
                    f = mapsFirst(layer, f, count);
                }
                for (int i = 0; i < count; i++) {
                    int base = i * per[k];
                    if (keepExact) {
                        exact[k][start + i] = Arrays.copyOfRange(f, base, base + per[k]);
                        continue;
                    }
                    short[] h = new short[per[k]];
                    for (int j = 0; j < h.length; j++) {
                        h[j] = Fp16.fromFloat(f[base + j]);
                    }
                    values[k][start + i] = h;
                }
            }
            progress.advance(count);
        }
        return new HeadCache(layer, List.copyOf(names), per, shapes, values, exact, shared, b);
    }

    /** A token layer's batch, N x T x D as produced, rearranged per image as its maps then its special tokens. */
    private static float[] mapsFirst(LayerInfo layer, float[] produced, int count) {
        int per = layer.producedPerImage();
        int maps = layer.valuesPerImage();
        float[] out = new float[produced.length];
        for (int i = 0; i < count; i++) {
            layer.toMaps(produced, i * per, out, i * per);
            System.arraycopy(produced, i * per, out, i * per + maps, per - maps);
        }
        return out;
    }

    /** Fills one preprocessed image into an array. */
    @FunctionalInterface
    public interface ImageSource {
        void fill(int image, float[] dst, int offset);
    }

    private static TensorData zeros(int n, long[] imageShape) {
        long[] s = new long[imageShape.length + 1];
        s[0] = n;
        System.arraycopy(imageShape, 0, s, 1, imageShape.length);
        return TensorData.ofFloats(new float[(int) TensorData.elements(s)], s);
    }

    public LayerInfo layer() {
        return layer;
    }

    public int images() {
        return exact != null ? exact[0].length : values[0].length;
    }

    /** Values {@code from .. from + len} of tensor {@code k} of one image, as floats, into {@code dst} at {@code off}. */
    private void copy(int k, int image, int from, int len, float[] dst, int off) {
        if (exact != null) {
            System.arraycopy(exact[k][image], from, dst, off, len);
            return;
        }
        short[] h = values[k][image];
        for (int j = 0; j < len; j++) {
            dst[off + j] = Fp16.toFloat(h[from + j]);
        }
    }

    /** The head's batch size. */
    public int batch() {
        return batch;
    }

    /** Whether the tail must run on batches of exactly {@link #batch()} (a shared tensor may encode it). */
    public boolean tailBatchFixed() {
        return !shared.isEmpty();
    }

    /** The layer's cached values of the given images, as floats, {@code [image][unit][y][x]}, into {@code dst}. */
    public void layer(int[] images, int from, int count, float[] dst) {
        if (layer.tokens() == 0) {
            decode(0, images, from, count, dst);
            return;
        }
        int maps = layer.valuesPerImage();
        for (int i = 0; i < count; i++) {
            copy(0, images[from + i], 0, maps, dst, i * maps);
        }
    }

    /**
     * The layer's tensor for the tail from (possibly edited) maps {@code [rows][unit][y][x]}: the maps themselves, or
     * for a token layer its tokens N x T x D with the special tokens as the head gave them and the patch tokens from
     * the maps.
     */
    TensorData layerTensor(int[] images, int from, int count, int rows, float[] maps) {
        if (layer.tokens() == 0) {
            return TensorData.ofFloats(maps, layerShape(rows));
        }
        int per = layer.producedPerImage();
        int mapValues = layer.valuesPerImage();
        int specials = per - mapValues;
        float[] tokens = new float[rows * per];
        for (int i = 0; i < count; i++) {
            copy(0, images[from + i], mapValues, specials, tokens, i * per);
            layer.toTokens(maps, i * mapValues, tokens, i * per);
        }
        return TensorData.ofFloats(tokens, layerShape(rows));
    }

    /** Every tail input but the layer, for the given images, padded with zeros to {@code rows} images. */
    Map<String, TensorData> crossings(int[] images, int from, int count, int rows) {
        Map<String, TensorData> m = new LinkedHashMap<>(shared);
        for (int k = 1; k < names.size(); k++) {
            float[] f = new float[rows * perImage[k]];
            decode(k, images, from, count, f);
            m.put(names.get(k), TensorData.ofFloats(f, withRows(imageShape[k], rows)));
        }
        return m;
    }

    long[] layerShape(int rows) {
        return withRows(imageShape[0], rows);
    }

    private static long[] withRows(long[] shape, int rows) {
        long[] s = new long[shape.length + 1];
        s[0] = rows;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private void decode(int k, int[] images, int from, int count, float[] dst) {
        int p = perImage[k];
        for (int i = 0; i < count; i++) {
            copy(k, images[from + i], 0, p, dst, i * p);
        }
    }

    /** Per unit, the mean of its cached values over the given images and every location. */
    public float[] unitMeans(int[] images) {
        int units = layer.channels();
        int hw = layer.height() * layer.width();
        double[] sum = new double[units];
        float[] maps = new float[units * hw];
        for (int img : images) {
            copy(0, img, 0, maps.length, maps, 0);
            for (int u = 0; u < units; u++) {
                double s = 0;
                for (int j = 0; j < hw; j++) {
                    s += maps[u * hw + j];
                }
                sum[u] += s;
            }
        }
        float[] mean = new float[units];
        for (int u = 0; u < units; u++) {
            mean[u] = images.length == 0 ? 0f : (float) (sum[u] / ((double) images.length * hw));
        }
        return mean;
    }

    /** Per unit, the maximum of its map on one image. */
    public float[] unitMaxima(int image) {
        int units = layer.channels();
        int hw = layer.height() * layer.width();
        float[] max = new float[units];
        float[] maps = new float[units * hw];
        copy(0, image, 0, maps.length, maps, 0);
        for (int u = 0; u < units; u++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < hw; j++) {
                m = Math.max(m, maps[u * hw + j]);
            }
            max[u] = m;
        }
        return max;
    }

}
