package org.jdissect.stats;

/**
 * Map resizing written again from its definition (the contract in {@link Upsampling}'s documentation), sharing no
 * code with it, so that the brute-force tally checks the code's resizing rather than repeating it: an axis that grows
 * or keeps its size reads source position {@code s = (i + 0.5f) * (in / (float) out) - 0.5f} (float arithmetic,
 * clamped at 0) from samples {@code floor(s)} and {@code min(floor(s) + 1, in - 1)} with weight {@code f = s - floor(s)}
 * as one fused multiply-add {@code fma(f, b - a, a)}; an axis that shrinks uses PIL's triangle filter widened by
 * {@code in / out}, centred at {@code (i + 0.5) * in / out}, taps {@code (int) (centre - support + 0.5)} up to
 * {@code (int) (centre + support + 0.5)} clipped to the axis, weights {@code 1 - |(x - centre + 0.5) / support|} in
 * double, normalised, summed in double in tap order and rounded once to float. Horizontal first, then vertical.
 */
final class ReferenceResize {
    private ReferenceResize() {
    }

    static float[] resize(float[] map, int h, int w, int outH, int outW) {
        float[] rows = new float[h * outW];
        for (int r = 0; r < h; r++) {
            float[] line = new float[w];
            System.arraycopy(map, r * w, line, 0, w);
            float[] out = line(line, outW);
            System.arraycopy(out, 0, rows, r * outW, outW);
        }
        float[] result = new float[outH * outW];
        for (int x = 0; x < outW; x++) {
            float[] column = new float[h];
            for (int r = 0; r < h; r++) {
                column[r] = rows[r * outW + x];
            }
            float[] out = line(column, outH);
            for (int y = 0; y < outH; y++) {
                result[y * outW + x] = out[y];
            }
        }
        return result;
    }

    static float[] line(float[] v, int out) {
        int in = v.length;
        float[] result = new float[out];
        if (in <= out) {
            float step = (float) in / (float) out;
            for (int i = 0; i < out; i++) {
                float s = Math.max(0f, (i + 0.5f) * step - 0.5f);
                int lo = (int) Math.floor(s);
                int hi = Math.min(lo + 1, in - 1);
                float f = s - lo;
                result[i] = Math.fma(f, v[hi] - v[lo], v[lo]);
            }
            return result;
        }
        double support = (double) in / out;
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * support;
            int first = Math.max(0, (int) (centre - support + 0.5));
            int end = Math.min(in, (int) (centre + support + 0.5));
            double[] weight = new double[end - first];
            double total = 0;
            for (int x = first; x < end; x++) {
                double d = Math.abs((x - centre + 0.5) / support);
                weight[x - first] = d < 1 ? 1 - d : 0;
                total += weight[x - first];
            }
            double acc = 0;
            for (int x = first; x < end; x++) {
                acc += (total > 0 ? weight[x - first] / total : weight[x - first]) * v[x];
            }
            result[i] = (float) acc;
        }
        return result;
    }
}
