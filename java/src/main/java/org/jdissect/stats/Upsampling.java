package org.jdissect.stats;

import java.util.Arrays;

/**
 * Resizing a unit's map to the label size exactly as NetDissect-Lite does, with PIL's {@code resize(BILINEAR)} on a
 * mode-F image (Pillow's {@code precompute_coeffs} and {@code ImagingResampleHorizontal/Vertical_32bpc}), bit for
 * bit at every scale, growing or shrinking. Defined once here; the CPU tally, the report's masks and the CUDA kernel
 * (handed these tables) compute the same values.
 *
 * <p>Each axis is resized on its own, horizontal first, then vertical; an axis whose size does not change is left
 * as it is (PIL skips that pass). Target {@code i} of an axis from {@code in} to {@code out} samples reads the taps
 * of a triangle of support {@code s = max(1, in / out)} centred at {@code c = (i + 0.5) * (in / out)} (double):
 * samples {@code x} from {@code max(0, (int) (c - s + 0.5))} up to, not including, {@code min(in, (int) (c + s +
 * 0.5))}, weight {@code max(0, 1 - |(x - c + 0.5) * (1 / s)|)}, each divided by their sum (when it is not 0). The
 * value is {@code acc = 0.0; acc += v[x] * w[x]} in double, in tap order, no fused multiply-add, rounded to float at
 * the end of the pass; the vertical pass reads the horizontal pass's floats.
 *
 * <p>Why double and not the fp32 lerp used before: PIL computes in double, and that float interpolation differed from
 * it by an ulp on up to 88% of the pixels at some scales (8 -> 112, 13 -> 112; measured 2026-11-28), which moves mask
 * pixels at threshold ties; PilResizeTest now compares with PIL itself. The tally's cost is within the noise (README,
 * Performance).
 *
 * <p>Where every target of an axis has at most two taps of non-zero weight (every growing axis, some shrinking
 * ones) the axis also carries them densely ({@link Axis#twoTaps()}) for the hot loops: on finite values the taps of
 * weight 0 (PIL includes one at some scales, e.g. 3 -> 47, where {@code c + 1.5} rounds up to an integer) add
 * exactly 0 and change nothing but the sign of a zero result, which no threshold comparison sees; a map holding an
 * infinity or NaN goes through {@link Axis#sample}, where {@code inf * 0} is NaN as in PIL.
 */
public final class Upsampling {
    private Upsampling() {
    }

    /**
     * The resampling taps of one axis: target {@code i} sums {@code weight[offset[i] + k] * v[first[i] + k]} for
     * {@code k < count[i]}. When {@link #twoTaps()}, {@code i0, k0} is the first tap of non-zero weight and
     * {@code i1, k1} the second, {@code i1 = -1} (and {@code k1 = 0}) where there is one.
     */
    public record Axis(int in, int out, int[] first, int[] count, int[] offset, double[] weight,
                       int[] i0, int[] i1, double[] k0, double[] k1) {
        /** True when the dense two-tap tables {@code i0, i1, k0, k1} are there. */
        public boolean twoTaps() {
            return i0 != null;
        }

        /** The most taps any target reads (taps of weight 0 included). */
        public int maxTaps() {
            int m = 0;
            for (int c : count) {
                m = Math.max(m, c);
            }
            return m;
        }

        /** The lowest source sample target {@code i} reads. */
        public int lo(int i) {
            return first[i];
        }

        /** The highest source sample target {@code i} reads. */
        public int hi(int i) {
            return first[i] + count[i] - 1;
        }

        /**
         * Target {@code i} of the line {@code v[base + s * stride]}, s = 0 .. in - 1 (floats held as doubles), exactly
         * as PIL computes it.
         */
        public float sample(double[] v, int base, int stride, int i) {
            if (in == out) {
                return (float) v[base + i * stride];
            }
            double acc = 0.0;
            int o = offset[i];
            int s = base + first[i] * stride;
            for (int k = 0, n = count[i]; k < n; k++, s += stride) {
                acc += v[s] * weight[o + k];
            }
            return (float) acc;
        }

        /**
         * The vertical pass of output row {@code y} over columns {@code lo .. hi} of {@code rows} (the horizontal
         * pass's floats as doubles, {@code stride} per row), thresholded: writes to {@code hits} the columns whose
         * value exceeds {@code t}, in order, and returns how many. From the two-tap tables when the map is
         * {@code finite}, each double sum compared with {@link #cut} (no rounding per pixel).
         */
        public int above(double[] rows, int stride, int y, int lo, int hi, float t, boolean finite, int[] hits) {
            int n = 0;
            if (i0 == null || !finite) {
                for (int x = lo; x <= hi; x++) {
                    if (sample(rows, x, stride, y) > t) {
                        hits[n++] = x;
                    }
                }
                return n;
            }
            double cut = cut(t);
            int a = i0[y] * stride;
            double ka = k0[y];
            if (i1[y] >= 0) {
                int b = i1[y] * stride;
                double kb = k1[y];
                for (int x = lo; x <= hi; x++) {
                    if (rows[a + x] * ka + rows[b + x] * kb > cut) {
                        hits[n++] = x;
                    }
                }
            } else {
                for (int x = lo; x <= hi; x++) {
                    if (rows[a + x] * ka > cut) {
                        hits[n++] = x;
                    }
                }
            }
            return n;
        }

        /**
         * Targets {@code lo .. hi} of the line {@code src[srcBase ..]} (stride 1) into {@code dst[dstBase + i]}: the
         * horizontal pass of one row. From the two-tap tables when the line is {@code finite} and the axis has them
         * (equal to {@link #sample} up to the sign of a zero result, which no comparison sees; see the class).
         */
        public void pass(double[] src, int srcBase, double[] dst, int dstBase, int lo, int hi, boolean finite) {
            if (i0 == null || !finite) {
                for (int i = lo; i <= hi; i++) {
                    dst[dstBase + i] = sample(src, srcBase, 1, i);
                }
                return;
            }
            for (int i = lo; i <= hi; i++) {
                double acc = src[srcBase + i0[i]] * k0[i];
                if (i1[i] >= 0) {
                    acc += src[srcBase + i1[i]] * k1[i];
                }
                dst[dstBase + i] = (float) acc;
            }
        }
    }

    public static Axis axis(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("axis sizes must be positive: " + in + " -> " + out);
        }
        FilterTaps t;
        if (in == out) {
            int[] index = new int[out];
            int[] ones = new int[out];
            double[] unit = new double[out];
            for (int i = 0; i < out; i++) {
                index[i] = i;
                ones[i] = 1;
                unit[i] = 1.0;
            }
            t = new FilterTaps(index, ones, index.clone(), unit);
        } else {
            t = filterTaps(in, out);
        }
        int[] i0 = new int[out];
        int[] i1 = new int[out];
        double[] k0 = new double[out];
        double[] k1 = new double[out];
        for (int i = 0; i < out; i++) {
            int n = 0;
            i1[i] = -1;
            for (int k = 0; k < t.count()[i]; k++) {
                double w = t.weight()[t.offset()[i] + k];
                if (w == 0.0) {
                    continue;
                }
                if (n == 0) {
                    i0[i] = t.first()[i] + k;
                    k0[i] = w;
                } else if (n == 1) {
                    i1[i] = t.first()[i] + k;
                    k1[i] = w;
                }
                n++;
            }
            if (n == 0 || n > 2) {
                // more than two taps count (or none, which PIL leaves at 0): the general loop only
                return new Axis(in, out, t.first(), t.count(), t.offset(), t.weight(), null, null, null, null);
            }
        }
        return new Axis(in, out, t.first(), t.count(), t.offset(), t.weight(), i0, i1, k0, k1);
    }

    /** PIL's bilinear taps for one axis at any scale, weights in double and normalised. */
    public record FilterTaps(int[] first, int[] count, int[] offset, double[] weight) {
    }

    /**
     * The taps PIL's {@code resize(..., BILINEAR)} uses (Pillow's {@code precompute_coeffs}, operation for
     * operation): a triangle of support 1 widened by the shrink factor, centred at {@code (i + 0.5) * in / out},
     * clipped to the image and normalised.
     */
    public static FilterTaps filterTaps(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(1.0, scale);
        double support = filterScale;
        double ss = 1.0 / filterScale; // PIL multiplies by the reciprocal: dividing rounds differently at 3x
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
                double d = Math.abs((x - center + 0.5) * ss);
                double w = d < 1.0 ? 1.0 - d : 0.0;
                weights[k++] = w;
                total += w;
            }
            if (total != 0.0) {
                for (int j = start; j < k; j++) {
                    weights[j] /= total;
                }
            }
            first[i] = lo;
            count[i] = hi - lo;
            offset[i] = start;
        }
        return new FilterTaps(first, count, offset, Arrays.copyOf(weights, k));
    }


    /**
     * The double {@code c} such that, for every double {@code d}, {@code (float) d > t} exactly when {@code d > c}:
     * the midpoint between {@code t} and the next float up, which rounds (to nearest, ties to even) down to
     * {@code t} when {@code t}'s last bit is even and up when it is odd. Lets the tally compare PIL's double sums
     * with the threshold without rounding each to float.
     */
    public static double cut(float t) {
        if (Float.isNaN(t) || t == Float.POSITIVE_INFINITY) {
            return t; // nothing exceeds it
        }
        double up = t == Float.MAX_VALUE ? 0x1p128 : t == Float.NEGATIVE_INFINITY ? -(double) Float.MAX_VALUE
                : Math.nextUp(t);
        double low = t == Float.NEGATIVE_INFINITY ? -0x1p128 : t;
        double mid = (low + up) / 2; // exact: two neighbouring floats (or the overflow bound) in double
        return (Float.floatToRawIntBits(t) & 1) == 0 ? mid : Math.nextDown(mid);
    }

    /**
     * Reference resizing of a whole {@code h x w} map (row-major floats) to {@code ys.out() x xs.out()}, PIL's values
     * bit for bit; the fast paths of the backends compute the same values for the pixels they visit.
     */
    public static float[] upsample(float[] map, int h, int w, Axis ys, Axis xs) {
        double[] source = new double[map.length];
        for (int i = 0; i < map.length; i++) {
            source[i] = map[i];
        }
        int sw = xs.out();
        double[] rows = new double[h * sw];
        for (int r = 0; r < h; r++) {
            for (int x = 0; x < sw; x++) {
                rows[r * sw + x] = xs.sample(source, r * w, 1, x);
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
