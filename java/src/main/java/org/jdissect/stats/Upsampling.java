package org.jdissect.stats;

/**
 * Resizing a unit's map to the label size exactly as NetDissect-Lite does with PIL's bilinear filter, defined once,
 * in fp32, so that the CPU and CUDA backends agree bit for bit at threshold ties.
 *
 * <p>Each axis is resized on its own, horizontal first, then vertical. An axis that grows or keeps its size
 * ({@code in <= out}) interpolates: target index {@code i} reads source position
 * {@code s = (i + 0.5f) * (in / (float) out) - 0.5f} clamped below at 0, from samples {@code i0 = floor(s)} and
 * {@code i1 = min(i0 + 1, in - 1)} with weight {@code f = s - i0} on {@code i1}, as {@code fma(f, b - a, a)}:
 * <pre>
 *   top    = fma(fx, v[y0][x1] - v[y0][x0], v[y0][x0])
 *   bottom = fma(fx, v[y1][x1] - v[y1][x0], v[y1][x0])
 *   value  = fma(fy, bottom - top, top)
 * </pre>
 * That is PIL's triangle filter at scale 1, with half-pixel centres and clamped edges. An axis that shrinks
 * ({@code in > out}, e.g. a 224 x 224 first-layer map against 112 x 112 labels) uses PIL's filter widened by the
 * shrink factor, computed as PIL computes it: the taps' weights in double, normalised, and the sum
 * {@code acc = acc + w * v} in double, in tap order (no fused multiply-add), rounded to float at the end of each
 * pass. Double matters there: float weights need not sum to exactly 1, and a flat region at the threshold would
 * then cross it. The tables are computed here and handed to the kernels, so there is one definition of them.
 */
public final class Upsampling {
    private Upsampling() {
    }

    /**
     * The resampling table of one axis: {@code i0, i1, f} when it interpolates, {@code first, count, offset,
     * weight} (taps of target i: {@code weight[offset[i] + k]} on sample {@code first[i] + k}) when it shrinks.
     */
    public record Axis(int in, int out, int[] i0, int[] i1, float[] f,
                       int[] first, int[] count, int[] offset, double[] weight) {
        /** True when the axis interpolates between two samples ({@code in <= out}). */
        public boolean interpolates() {
            return in <= out;
        }

        /** The lowest source sample target {@code i} reads. */
        public int lo(int i) {
            return interpolates() ? i0[i] : first[i];
        }

        /** The highest source sample target {@code i} reads. */
        public int hi(int i) {
            return interpolates() ? i1[i] : first[i] + count[i] - 1;
        }

        /** Target {@code i} of the line {@code v[base + s * stride]}, s = 0 .. in - 1. */
        public float sample(float[] v, int base, int stride, int i) {
            if (interpolates()) {
                return lerp(v[base + i0[i] * stride], v[base + i1[i] * stride], f[i]);
            }
            double acc = 0.0;
            int o = offset[i];
            int s = base + first[i] * stride;
            for (int k = 0, n = count[i]; k < n; k++, s += stride) {
                acc += weight[o + k] * v[s];
            }
            return (float) acc;
        }
    }

    public static Axis axis(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("axis sizes must be positive: " + in + " -> " + out);
        }
        if (in > out) {
            return shrinking(in, out);
        }
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        float[] f = new float[out];
        float scale = (float) in / (float) out;
        for (int i = 0; i < out; i++) {
            float s = (i + 0.5f) * scale - 0.5f;
            if (s < 0f) {
                s = 0f;
            }
            int lo = (int) s;
            i0[i] = lo;
            i1[i] = Math.min(lo + 1, in - 1);
            f[i] = s - lo;
        }
        return new Axis(in, out, i0, i1, f, null, null, null, null);
    }

    private static Axis shrinking(int in, int out) {
        FilterTaps taps = filterTaps(in, out);
        return new Axis(in, out, null, null, null, taps.first(), taps.count(), taps.offset(), taps.weight());
    }

    /** PIL's bilinear taps for one axis at any scale, weights in double and normalised. */
    public record FilterTaps(int[] first, int[] count, int[] offset, double[] weight) {
    }

    /**
     * The taps PIL's {@code resize(..., BILINEAR)} uses: a triangle of support 1 widened by the shrink factor,
     * centred at {@code (i + 0.5) * in / out}, clipped to the image and normalised.
     */
    public static FilterTaps filterTaps(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(1.0, scale);
        double support = filterScale;
        int[] first = new int[out];
        int[] count = new int[out];
        int[] offset = new int[out];
        double[] weights = new double[out * ((int) Math.ceil(support) * 2 + 1)];
        int k = 0;
        for (int i = 0; i < out; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max(0, (int) (center - support + 0.5));
            int hi = Math.min(in, (int) (center + support + 0.5));
            double total = 0;
            int start = k;
            for (int x = lo; x < hi; x++) {
                double d = Math.abs((x - center + 0.5) / filterScale);
                double w = d < 1 ? 1 - d : 0;
                weights[k++] = w;
                total += w;
            }
            if (total > 0) {
                for (int j = start; j < k; j++) {
                    weights[j] /= total;
                }
            }
            first[i] = lo;
            count[i] = hi - lo;
            offset[i] = start;
        }
        return new FilterTaps(first, count, offset, java.util.Arrays.copyOf(weights, k));
    }

    /** One interpolation step, exactly as the kernels compute it. */
    public static float lerp(float a, float b, float f) {
        return Math.fma(f, b - a, a);
    }

    /**
     * Reference resizing of a whole {@code h x w} map (row-major floats) to {@code ys.out() x xs.out()}; the fast
     * paths of the backends compute the same values for the pixels they visit.
     */
    public static float[] upsample(float[] map, int h, int w, Axis ys, Axis xs) {
        int sw = xs.out();
        float[] rows = new float[h * sw];
        for (int r = 0; r < h; r++) {
            for (int x = 0; x < sw; x++) {
                rows[r * sw + x] = xs.sample(map, r * w, 1, x);
            }
        }
        float[] out = new float[ys.out() * sw];
        for (int y = 0; y < ys.out(); y++) {
            for (int x = 0; x < sw; x++) {
                out[y * sw + x] = ys.sample(rows, x, sw, y);
            }
        }
        return out;
    }
}
