package org.jdissect.stats;

/**
 * Map resizing written again from its definition, Pillow's {@code resize(BILINEAR)} of a mode-F image
 * ({@code precompute_coeffs}, {@code ImagingResampleHorizontal_32bpc}, {@code ImagingResampleVertical_32bpc}),
 * transcribed step by step and sharing no code with {@link Upsampling}, so that the brute-force tally checks the
 * code's resizing rather than repeating it. PIL itself checks both ({@code PilResizeTest}).
 *
 * <p>Per axis from {@code in} to {@code out} samples ({@code in == out}: the pass is skipped): {@code scale = in /
 * out}, {@code filterscale = max(scale, 1)}, {@code support = 1 * filterscale}; output {@code xx} has
 * {@code center = (xx + 0.5) * scale}, taps {@code xmin = max(0, (int) (center - support + 0.5))} to {@code xmax =
 * min(in, (int) (center + support + 0.5))} (exclusive), weights {@code triangle((x + xmin - center + 0.5) * (1.0 /
 * filterscale))} divided by their sum when it is not zero; the value {@code ss = 0.0; ss += in[x + xmin] * k[x]}
 * in double, stored as float. The horizontal pass first, over every row; then the vertical pass over its floats.
 */
final class ReferenceResize {
    private ReferenceResize() {
    }

    static float[] resize(float[] map, int h, int w, int outH, int outW) {
        float[] rows = map.clone();
        if (outW != w) {
            rows = new float[h * outW];
            for (int r = 0; r < h; r++) {
                float[] line = new float[w];
                System.arraycopy(map, r * w, line, 0, w);
                System.arraycopy(line(line, outW), 0, rows, r * outW, outW);
            }
        }
        if (outH == h) {
            return rows;
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

    private static double triangle(double x) {
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return 1.0 - x;
        }
        return 0.0;
    }

    static float[] line(float[] in, int outSize) {
        int inSize = in.length;
        double scale = (double) inSize / outSize;
        double filterscale = scale;
        if (filterscale < 1.0) {
            filterscale = 1.0;
        }
        double support = 1.0 * filterscale;
        float[] out = new float[outSize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double[] k = new double[xmax];
            for (int x = 0; x < xmax; x++) {
                double w = triangle((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (ww != 0.0) {
                    k[x] /= ww;
                }
            }
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                sum += in[x + xmin] * k[x];
            }
            out[xx] = (float) sum;
        }
        return out;
    }
}
