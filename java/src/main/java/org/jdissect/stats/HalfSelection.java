package org.jdissect.stats;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

import org.jdissect.io.Progress;

/**
 * Pass 1 of {@link CpuBackend} for half-precision activations, in pieces whose partial results merge exactly, so
 * that the images can be split between machines (the Spark job) and the result is that of one pass over all of
 * them (the single-machine pipeline runs the same pieces over one range).
 *
 * <p>The cached values are half floats, so a unit's values can be counted into bins by their 16-bit order key:
 * {@link #coarse} counts the high byte of each value's key, which locates the two order statistics the quantile
 * needs to within a bin of 256 keys ({@link #bins}); {@link #fine} counts the low byte within those bins, and
 * {@link #finish} reads the two statistics off. Counts of disjoint sets of images add, and the top images by maximum
 * merge as sorted lists, so every piece is a sum: memory is 256 + 512 counters per unit, whatever the dataset size.
 */
public final class HalfSelection {
    private HalfSelection() {
    }

    /**
     * The coarse counts of some images: per unit, 256 counters of the high byte of every value's order key, how many
     * values each unit has there, and per unit the best images by per-image maximum (keys and image ids, best first;
     * ties to the smaller id). Ids are whatever the caller numbered the images by, in the dataset's order: a cache
     * position, or a source row.
     */
    public record Coarse(int units, long values, long[] counts, int[][] topKeys, int[][] topImages)
            implements Serializable {
        /** The counts of both sets of images (disjoint), with the best {@code k} images of both. */
        public Coarse plus(Coarse other, int k) {
            if (other.units != units) {
                throw new IllegalArgumentException(other.units + " units merged into " + units);
            }
            long[] sum = counts.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += other.counts[i];
            }
            int[][] keys = new int[units][];
            int[][] images = new int[units][];
            for (int u = 0; u < units; u++) {
                CpuBackend.TopK top = new CpuBackend.TopK(k);
                offerAll(top, topKeys[u], topImages[u]);
                offerAll(top, other.topKeys[u], other.topImages[u]);
                keys[u] = top.keys();
                images[u] = top.images();
            }
            return new Coarse(units, values + other.values, sum, keys, images);
        }

        /** No images: the identity of {@link #plus}. */
        public static Coarse empty(int units) {
            return new Coarse(units, 0, new long[units * 256], new int[units][0], new int[units][0]);
        }

        private static void offerAll(CpuBackend.TopK top, int[] keys, int[] images) {
            for (int i = 0; i < keys.length; i++) {
                top.offer(keys[i], images[i]);
            }
        }
    }

    /**
     * Per unit, the coarse bins holding the lower and the upper order statistic of the quantile, and their ranks
     * within those bins: what {@link #fine} counts and {@link #finish} reads.
     */
    public record Bins(int[] low, int[] high, long[] restLow, long[] restHigh) implements Serializable {
    }

    /** The full pass 1 over one source: the pieces below over all of its images, ids being image positions. */
    static UnitStats unitStats(CpuBackend backend, ActivationSource src, double quantile, int topk,
                               Progress progress) {
        int k = Math.max(0, Math.min(topk, src.images()));
        Coarse coarse = coarse(backend, src, k, i -> i, progress);
        Bins bins = bins(coarse, src.nonFinite(), quantile);
        long[] fine = fine(backend, src, bins, progress);
        return finish(coarse, bins, fine, src.nonFinite(), quantile);
    }

    /**
     * Coarse counts of every image of {@code src}, and its best {@code topk} images per unit, image {@code i} of the
     * source being known by id {@code ids.applyAsInt(i)} (ids must grow with {@code i}, so that ties go the same way
     * whatever the split).
     */
    public static Coarse coarse(CpuBackend backend, ActivationSource src, int topk, IntUnaryOperator ids,
                                Progress progress) {
        int units = src.units();
        int hw = src.height() * src.width();
        int n = src.images();
        // int counters in the loop (half the memory traffic of longs): a chunk holds fewer than 2^31 values
        int[] counts = new int[units * 256];
        long[] total = new long[units * 256];
        CpuBackend.TopK[] tops = new CpuBackend.TopK[units];
        for (int u = 0; u < units; u++) {
            tops[u] = new CpuBackend.TopK(topk);
        }
        int chunk = CpuBackend.chunkImages(src);
        short[] buf = new short[chunk * src.valuesPerImage()];
        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            src.read(first, m, buf);
            int base = first;
            java.util.Arrays.fill(counts, 0);
            backend.forUnitRanges(units, u -> {
                int off = u * 256;
                CpuBackend.TopK top = tops[u];
                for (int i = 0; i < m; i++) {
                    int p = (i * units + u) * hw;
                    int maxKey = -1;
                    for (int j = 0; j < hw; j++) {
                        int key = Fp16.sortKey(buf[p + j]);
                        counts[off + (key >>> 8)]++;
                        if (key > maxKey) {
                            maxKey = key;
                        }
                    }
                    top.offer(maxKey, ids.applyAsInt(base + i));
                }
                for (int b = off; b < off + 256; b++) {
                    total[b] += counts[b];
                }
            });
            progress.advance(m);
        }
        int[][] keys = new int[units][];
        int[][] images = new int[units][];
        for (int u = 0; u < units; u++) {
            keys[u] = tops[u].keys();
            images[u] = tops[u].images();
        }
        return new Coarse(units, (long) n * hw, total, keys, images);
    }

    /**
     * Where the two order statistics of each unit lie, from the coarse counts of all images; {@code nonFinite}: per
     * unit, how many of those values are non-finite ones stored lowest (null: none).
     */
    public static Bins bins(Coarse coarse, long[] nonFinite, double quantile) {
        Quantiles.checkQuantile(quantile);
        int units = coarse.units();
        long count = coarse.values();
        int[] binLow = new int[units];
        int[] binHigh = new int[units];
        long[] restLow = new long[units];
        long[] restHigh = new long[units];
        for (int u = 0; u < units; u++) {
            long[] ranks = CpuBackend.ranks(count, nonFinite == null ? 0 : nonFinite[u], quantile);
            long[] found = locate(coarse.counts(), u * 256, 256, ranks[0]);
            binLow[u] = (int) found[0];
            restLow[u] = found[1];
            found = locate(coarse.counts(), u * 256, 256, ranks[1]);
            binHigh[u] = (int) found[0];
            restHigh[u] = found[1];
        }
        return new Bins(binLow, binHigh, restLow, restHigh);
    }

    /**
     * Fine counts of every image of {@code src}: per unit, 256 counters of the low byte of the keys in the lower
     * statistic's bin, then 256 for the upper one's (when the two bins differ).
     */
    public static long[] fine(CpuBackend backend, ActivationSource src, Bins bins, Progress progress) {
        int units = src.units();
        int hw = src.height() * src.width();
        int n = src.images();
        int[] counts = new int[units * 512];
        long[] total = new long[units * 512];
        int chunk = CpuBackend.chunkImages(src);
        short[] buf = new short[chunk * src.valuesPerImage()];
        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            src.read(first, m, buf);
            java.util.Arrays.fill(counts, 0);
            backend.forUnitRanges(units, u -> {
                int bl = bins.low()[u];
                int bh = bins.high()[u];
                int off = u * 512;
                for (int i = 0; i < m; i++) {
                    int p = (i * units + u) * hw;
                    for (int j = 0; j < hw; j++) {
                        int key = Fp16.sortKey(buf[p + j]);
                        int bin = key >>> 8;
                        if (bin == bl) {
                            counts[off + (key & 255)]++;
                        } else if (bin == bh) {
                            counts[off + 256 + (key & 255)]++;
                        }
                    }
                }
                for (int b = off; b < off + 512; b++) {
                    total[b] += counts[b];
                }
            });
            progress.advance(m);
        }
        return total;
    }

    /** Fine counts of two disjoint sets of images together. */
    public static long[] plus(long[] fine, long[] other) {
        long[] sum = fine.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other[i];
        }
        return sum;
    }

    /**
     * The thresholds and top images, from the coarse and fine counts of all images (the top images' ids as the
     * coarse counts were given them; their maxima decoded from the keys).
     */
    public static UnitStats finish(Coarse coarse, Bins bins, long[] fine, long[] nonFinite, double quantile) {
        int units = coarse.units();
        long count = coarse.values();
        float[] thresholds = new float[units];
        int[][] topImages = new int[units][];
        float[][] topValues = new float[units][];
        for (int u = 0; u < units; u++) {
            int bl = bins.low()[u];
            int bh = bins.high()[u];
            int lowKey = (bl << 8) | (int) locate(fine, u * 512, 256, bins.restLow()[u])[0];
            int highKey = bh == bl
                    ? (bl << 8) | (int) locate(fine, u * 512, 256, bins.restHigh()[u])[0]
                    : (bh << 8) | (int) locate(fine, u * 512 + 256, 256, bins.restHigh()[u])[0];
            thresholds[u] = CpuBackend.threshold(count, nonFinite == null ? 0 : nonFinite[u], quantile,
                    Fp16.toFloat(Fp16.fromSortKey(lowKey)), Fp16.toFloat(Fp16.fromSortKey(highKey)));
            topImages[u] = coarse.topImages()[u].clone();
            int[] keys = coarse.topKeys()[u];
            topValues[u] = new float[keys.length];
            for (int i = 0; i < keys.length; i++) {
                topValues[u][i] = Fp16.toFloat(Fp16.fromSortKey(keys[i]));
            }
        }
        return new UnitStats(thresholds, topImages, topValues);
    }

    /** {@link CpuBackend#locate} over long counters (merged counts may pass 2^31). */
    static long[] locate(long[] hist, int off, int bins, long rank) {
        long seen = 0;
        for (int b = 0; b < bins; b++) {
            long c = hist[off + b];
            if (rank < seen + c) {
                return new long[] {b, rank - seen};
            }
            seen += c;
        }
        throw new IllegalStateException("rank " + rank + " beyond " + seen + " counted values");
    }
}
