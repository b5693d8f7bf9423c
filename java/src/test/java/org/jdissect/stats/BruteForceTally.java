package org.jdissect.stats;

import java.util.Arrays;

import org.jdissect.data.ImageLabels;

/**
 * BRODEN.md's tally written as plainly as possible: every pixel of every upsampled map, every layer, no shortcuts,
 * the maps resized by {@link ReferenceResize} (the resizing's definition written again, not the code's) or by a given
 * resizer (PIL's own values in {@code PilResizeTest}). The backends must match it exactly.
 */
public final class BruteForceTally {
    private BruteForceTally() {
    }

    public static float threshold(ActivationSource src, int unit, double q) {
        int hw = src.height() * src.width();
        float[] all = new float[src.images() * src.valuesPerImage()];
        src.readFloats(0, src.images(), all); // either precision, as floats
        long skip = src.nonFinite() == null ? 0 : src.nonFinite()[unit];
        double[] sorted = new double[src.images() * hw];
        for (int i = 0; i < src.images(); i++) {
            for (int j = 0; j < hw; j++) {
                sorted[i * hw + j] = all[(i * src.units() + unit) * hw + j];
            }
        }
        Arrays.sort(sorted);
        // the unit's non-finite values are stored lowest: the quantile is that of the others
        double[] v = Arrays.copyOfRange(sorted, (int) skip, sorted.length);
        double h = (v.length - 1) * (1 - q);
        int lo = (int) Math.floor(h);
        double upper = lo + 1 < v.length ? v[lo + 1] : v[lo];
        return (float) (v[lo] + (h - lo) * (upper - v[lo]));
    }

    /** A map's values at its label size: {@code (image, unit, map) -> sh x sw values}. */
    public interface Resizer {
        float[] resize(int image, int unit, float[] map, int h, int w, int sh, int sw);
    }

    public static TallyCounts tally(ActivationSource src, float[] thresholds, LabelSource labels) {
        // the definition, not the code
        return tally(src, thresholds, labels, (i, u, map, h, w, sh, sw) -> ReferenceResize.resize(map, h, w, sh, sw));
    }

    public static TallyCounts tally(ActivationSource src, float[] thresholds, LabelSource labels, Resizer resizer) {
        int units = src.units();
        int h = src.height();
        int w = src.width();
        int hw = h * w;
        int nl = labels.numLabels();
        int nc = labels.numCategories();
        int[] primary = labels.primaryCategory();
        TallyCounts c = TallyCounts.zero(units, nl, nc);
        float[] all = new float[src.images() * src.valuesPerImage()];
        src.readFloats(0, src.images(), all);
        for (int i = 0; i < src.images(); i++) {
            ImageLabels il = labels.labels(i);
            int sh = il.sh();
            int sw = il.sw();
            for (int[] layer : il.layers()) {
                for (int l : layer) {
                    if (l != 0) {
                        c.labelPixels()[l]++;
                    }
                }
            }
            for (int l : il.imageLevel()) {
                if (l != 0) { // 0 is "unlabelled" (BRODEN.md)
                    c.labelPixels()[l] += (long) sh * sw;
                }
            }
            for (int u = 0; u < units; u++) {
                float[] map = new float[hw];
                for (int j = 0; j < hw; j++) {
                    map[j] = all[(i * units + u) * hw + j];
                }
                float[] up = resizer.resize(i, u, map, h, w, sh, sw);
                boolean[] touched = new boolean[nc];
                long size = 0;
                for (int p = 0; p < sh * sw; p++) {
                    if (up[p] > thresholds[u]) {
                        size++;
                        for (int[] layer : il.layers()) {
                            int l = layer[p];
                            if (l != 0) {
                                c.intersection()[u * nl + l]++;
                                if (primary[l] >= 0) { // a label of no category touches none
                                    touched[primary[l]] = true;
                                }
                            }
                        }
                    }
                }
                if (size == 0) {
                    continue;
                }
                for (int l : il.imageLevel()) {
                    if (l == 0) {
                        continue;
                    }
                    c.intersection()[u * nl + l] += size;
                    if (primary[l] >= 0) {
                        touched[primary[l]] = true;
                    }
                }
                for (int cat = 0; cat < nc; cat++) {
                    if (touched[cat]) {
                        c.activation()[u * nc + cat] += size;
                    }
                }
                c.maskPixels()[u] += size;
            }
        }
        return new TallyCounts(units, nl, nc, src.images(), c.intersection(), c.activation(), c.labelPixels(),
                c.maskPixels());
    }
}
