package org.jdissect.stats;

import org.jdissect.io.Progress;

/**
 * Pass 1 of {@link CpuBackend} for single-precision activations: each unit's exact top-q threshold and top images.
 *
 * <p>The half-precision path counts 16-bit keys in two passes of 8 bits. A float's order key has 32 bits, so this
 * selects in three passes over the activations, 11, 11 and 10 bits: the first counts every value by its top 11 bits
 * (2,048 counters per unit), which places the two order statistics the quantile needs in a bin each; each later pass
 * counts, among the values whose key begins with a statistic's bits found so far, the next digit. Memory stays
 * 3 x 2,048 counters per unit whatever the dataset size, and the result is the exact order statistic: the threshold
 * is that of a sort of the unit's float values in double (BRODEN.md's percentile), rounded once to float.
 */
final class FloatSelection {
    /** Each pass's digit: its width and where it sits in the key. */
    private static final int[] BITS = {11, 11, 10};
    private static final int[] SHIFT = {21, 10, 0};

    private FloatSelection() {
    }

    /**
     * A key that orders floats as their values order, as a signed int (negative zero just below positive zero); NaN
     * never reaches it: the cache stores non-finite values as {@code -Float.MAX_VALUE}.
     */
    static int key(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static float fromKey(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }

    static UnitStats unitStats(CpuBackend backend, ActivationSource src, double quantile, int topk, Progress progress) {
        int units = src.units();
        int hw = src.height() * src.width();
        int n = src.images();
        int k = Math.max(0, Math.min(topk, n));
        long count = (long) n * hw;
        CpuBackend.TopK[] tops = new CpuBackend.TopK[units];
        for (int u = 0; u < units; u++) {
            tops[u] = new CpuBackend.TopK(k);
        }
        long[] excluded = src.nonFinite();
        // per unit, for the lower and the upper order statistic: the key's digits found so far, the rank among the
        // values that share them
        int[] prefixLow = new int[units];
        int[] prefixHigh = new int[units];
        long[] restLow = new long[units];
        long[] restHigh = new long[units];
        for (int u = 0; u < units; u++) {
            long[] r = CpuBackend.ranks(count, excluded == null ? 0 : excluded[u], quantile);
            restLow[u] = r[0];
            restHigh[u] = r[1];
        }
        int chunk = CpuBackend.chunkImages(src);
        float[] buf = new float[chunk * src.valuesPerImage()];
        for (int pass = 0; pass < BITS.length; pass++) {
            int bins = 1 << BITS[pass];
            int mask = bins - 1;
            int shift = SHIFT[pass];
            int above = shift + BITS[pass];
            boolean first = pass == 0;
            int[] histLow = new int[units * bins];
            // the upper statistic's digits once they part from the lower's (until then both count in histLow)
            int[] histHigh = first ? null : new int[units * bins];
            for (int start = 0; start < n; start += chunk) {
                int m = Math.min(chunk, n - start);
                src.readFloats(start, m, buf);
                int base = start;
                backend.forUnitRanges(units, u -> {
                    int off = u * bins;
                    int pl = prefixLow[u];
                    int ph = prefixHigh[u];
                    for (int i = 0; i < m; i++) {
                        int p = (i * units + u) * hw;
                        if (first) {
                            int maxKey = Integer.MIN_VALUE;
                            for (int j = 0; j < hw; j++) {
                                int key = key(buf[p + j]);
                                histLow[off + ((key ^ Integer.MIN_VALUE) >>> shift)]++;
                                maxKey = Math.max(maxKey, key);
                            }
                            tops[u].offer(maxKey, base + i);
                        } else {
                            for (int j = 0; j < hw; j++) {
                                int unsigned = key(buf[p + j]) ^ Integer.MIN_VALUE;
                                int prefix = unsigned >>> above;
                                if (prefix == pl) {
                                    histLow[off + ((unsigned >>> shift) & mask)]++;
                                } else if (prefix == ph) {
                                    histHigh[off + ((unsigned >>> shift) & mask)]++;
                                }
                            }
                        }
                    }
                });
                progress.advance(m);
            }
            for (int u = 0; u < units; u++) {
                boolean together = first || prefixLow[u] == prefixHigh[u];
                long[] low = CpuBackend.locate(histLow, u * bins, bins, restLow[u]);
                long[] high = CpuBackend.locate(together ? histLow : histHigh, u * bins, bins, restHigh[u]);
                prefixLow[u] = (prefixLow[u] << BITS[pass]) | (int) low[0];
                restLow[u] = low[1];
                prefixHigh[u] = (prefixHigh[u] << BITS[pass]) | (int) high[0];
                restHigh[u] = high[1];
            }
        }
        float[] thresholds = new float[units];
        int[][] topImages = new int[units][];
        float[][] topValues = new float[units][];
        for (int u = 0; u < units; u++) {
            thresholds[u] = CpuBackend.threshold(count, excluded == null ? 0 : excluded[u], quantile,
                    fromKey(prefixLow[u] ^ Integer.MIN_VALUE), fromKey(prefixHigh[u] ^ Integer.MIN_VALUE));
            topImages[u] = tops[u].images();
            topValues[u] = tops[u].values(true);
        }
        return new UnitStats(thresholds, topImages, topValues);
    }
}
