package org.jdissect.stats;

import java.io.Serializable;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

import org.jdissect.io.Progress;

/**
 * Pass 1 of {@link CpuBackend}: each unit's exact top-q threshold and its top images, for half- and single-precision
 * activations alike, in pieces whose partial results merge exactly, so that the images can be split between machines
 * (the Spark job) and the result is that of one pass over all of them (the single-machine pipeline runs the same
 * pieces over one range).
 *
 * <p>Every value has an unsigned order key (16 bits for a half, 32 for a float) that orders as the values do. The
 * keys are read in digits, most significant first: {@link #coarse} counts every value by its first digit and keeps
 * each unit's best images, which places the two order statistics the quantile needs in a bin each ({@link #cut});
 * each {@link #refine} counts, among the values whose keys begin with a statistic's digits found so far, the next
 * digit ({@link #next}); once every digit is known, {@link #finish} reads the two statistics off. Counts of disjoint
 * sets of images add, and the top images by maximum merge as sorted lists, so every piece is a sum, and memory is
 * {@code 2^digit} counters per unit and pass (twice that for a refinement), whatever the dataset size.
 *
 * <p>The digits are a trade of passes against counters: one machine reads fp16 keys as 8 + 8 bits and fp32 keys as
 * 11 + 11 + 10 ({@link #digits}); partials that travel to a driver keep to 8-bit digits ({@link #mergedDigits}), so
 * that a unit's partial is at most 512 counters in either precision (fp32 then takes four passes). The order
 * statistics, and so the thresholds, are exact either way.
 */
public final class RadixSelection {
    private RadixSelection() {
    }

    /** The digits one machine reads a precision's keys in (fewer passes; its counters stay in one place). */
    public static int[] digits(Precision precision) {
        return precision == Precision.FP32 ? new int[] {11, 11, 10} : new int[] {8, 8};
    }

    /** The digits for partials merged on a driver: 8 bits each, at most 512 counters per unit and pass. */
    public static int[] mergedDigits(Precision precision) {
        return precision == Precision.FP32 ? new int[] {8, 8, 8, 8} : new int[] {8, 8};
    }

    /** Bits of a precision's order key. */
    static int width(Precision precision) {
        return precision == Precision.FP32 ? 32 : 16;
    }

    /**
     * A float's order key as a signed int: orders as the values do, negative zero just below positive zero. NaN never
     * reaches it: the cache stores non-finite values as {@code -Float.MAX_VALUE}.
     */
    static int floatKey(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static float fromFloatKey(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }

    /** The value of an unsigned order key of {@code precision}. */
    static float value(Precision precision, int key) {
        return precision == Precision.FP32 ? fromFloatKey(key ^ Integer.MIN_VALUE)
                : Fp16.toFloat(Fp16.fromSortKey(key));
    }

    /**
     * The coarse counts of some images: per unit, {@code 2^bits} counters of the first digit of every value's key, how
     * many values each unit has there, and per unit the best images by per-image maximum (keys as signed ints, best
     * first; ties to the smaller id). Ids are whatever the caller numbered the images by, in the dataset's order: a
     * cache position, or a source row.
     */
    public record Coarse(Precision precision, int bits, int units, long values, long[] counts, int[][] topKeys,
                         int[][] topImages) implements Serializable {
        /** The counts of both sets of images (disjoint), with the best {@code k} images of both. */
        public Coarse plus(Coarse other, int k) {
            if (other.units != units || other.bits != bits || other.precision != precision) {
                throw new IllegalArgumentException(other.units + " units of " + other.precision + " in digits of "
                        + other.bits + " merged into " + units + " of " + precision + " in " + bits);
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
            return new Coarse(precision, bits, units, values + other.values, RadixSelection.plus(counts,
                    other.counts), keys, images);
        }

        /** No images: the identity of {@link #plus}. */
        public static Coarse empty(Precision precision, int bits, int units) {
            return new Coarse(precision, bits, units, 0, new long[units << bits], new int[units][0],
                    new int[units][0]);
        }

        private static void offerAll(CpuBackend.TopK top, int[] keys, int[] images) {
            for (int i = 0; i < keys.length; i++) {
                top.offer(keys[i], images[i]);
            }
        }
    }

    /**
     * Per unit, the leading {@code used} bits of the keys of the lower and the upper order statistic of the quantile
     * (unsigned, right-aligned), and their ranks among the values whose keys begin so: what {@link #refine} counts
     * and {@link #finish} reads.
     */
    public record Cut(Precision precision, int used, int[] low, int[] high, long[] restLow, long[] restHigh)
            implements Serializable {
    }

    /** The full pass 1 over one source in the given digits: the pieces below, ids being image positions. */
    static UnitStats unitStats(CpuBackend backend, ActivationSource src, double quantile, int topk, int[] digits,
                               Progress progress) {
        int k = Math.max(0, Math.min(topk, src.images()));
        Coarse coarse = coarse(backend, src, digits[0], k, i -> i, progress);
        Cut cut = cut(coarse, src.nonFinite(), quantile);
        for (int d = 1; d < digits.length; d++) {
            cut = next(cut, digits[d], refine(backend, src, cut, digits[d], progress));
        }
        return finish(coarse, cut, src.nonFinite(), quantile);
    }

    /**
     * Coarse counts of every image of {@code src} by the first {@code bits} bits of their keys, and its best
     * {@code topk} images per unit, image {@code i} of the source being known by id {@code ids.applyAsInt(i)} (ids
     * must grow with {@code i}, so that ties go the same way whatever the split).
     */
    public static Coarse coarse(CpuBackend backend, ActivationSource src, int bits, int topk, IntUnaryOperator ids,
                                Progress progress) {
        int units = src.units();
        int hw = src.height() * src.width();
        int n = src.images();
        int shift = width(src.precision()) - bits;
        int size = 1 << bits;
        // int counters in the loop (half the memory traffic of longs): a chunk holds fewer than 2^31 values
        int[] counts = new int[units * size];
        long[] total = new long[units * size];
        CpuBackend.TopK[] tops = new CpuBackend.TopK[units];
        for (int u = 0; u < units; u++) {
            tops[u] = new CpuBackend.TopK(topk);
        }
        Keys keys = Keys.of(src);
        for (int first = 0; first < n; first += keys.chunk) {
            int m = Math.min(keys.chunk, n - first);
            keys.read(first, m);
            int base = first;
            Arrays.fill(counts, 0);
            backend.forUnitBlocks(units, (lo, hi) -> {
                int[] row = new int[hw];
                for (int u = lo; u < hi; u++) {
                    int off = u * size;
                    for (int i = 0; i < m; i++) {
                        keys.keys((i * units + u) * hw, hw, row);
                        int max = Integer.MIN_VALUE;
                        for (int j = 0; j < hw; j++) {
                            int key = row[j];
                            counts[off + (key >>> shift)]++;
                            max = Math.max(max, key ^ Integer.MIN_VALUE); // signed: orders as the unsigned keys
                        }
                        tops[u].offer(max, ids.applyAsInt(base + i));
                    }
                    for (int b = off; b < off + size; b++) {
                        total[b] += counts[b];
                    }
                }
            });
            progress.advance(m);
        }
        int[][] topKeys = new int[units][];
        int[][] images = new int[units][];
        for (int u = 0; u < units; u++) {
            topKeys[u] = tops[u].keys();
            images[u] = tops[u].images();
        }
        return new Coarse(src.precision(), bits, units, (long) n * hw, total, topKeys, images);
    }

    /**
     * Where the two order statistics of each unit lie, from the coarse counts of all images; {@code nonFinite}: per
     * unit, how many of those values are non-finite ones stored lowest (null: none).
     */
    public static Cut cut(Coarse coarse, long[] nonFinite, double quantile) {
        Quantiles.checkQuantile(quantile);
        int units = coarse.units();
        int size = 1 << coarse.bits();
        int[] low = new int[units];
        int[] high = new int[units];
        long[] restLow = new long[units];
        long[] restHigh = new long[units];
        for (int u = 0; u < units; u++) {
            long[] ranks = CpuBackend.ranks(coarse.values(), nonFinite == null ? 0 : nonFinite[u], quantile);
            long[] found = locate(coarse.counts(), u * size, size, ranks[0]);
            low[u] = (int) found[0];
            restLow[u] = found[1];
            found = locate(coarse.counts(), u * size, size, ranks[1]);
            high[u] = (int) found[0];
            restHigh[u] = found[1];
        }
        return new Cut(coarse.precision(), coarse.bits(), low, high, restLow, restHigh);
    }

    /**
     * Counts of every image of {@code src} by the next {@code bits} bits of their keys, among the values whose keys
     * begin with a statistic's bits found so far: per unit, {@code 2^bits} counters for the lower statistic, then as
     * many for the upper one's (used where its bits have parted from the lower's).
     */
    public static long[] refine(CpuBackend backend, ActivationSource src, Cut cut, int bits, Progress progress) {
        int width = width(src.precision());
        if (src.precision() != cut.precision() || cut.used() + bits > width) {
            throw new IllegalArgumentException(bits + " more bits of " + src.precision() + " keys after "
                    + cut.used() + " of " + cut.precision());
        }
        int units = src.units();
        int hw = src.height() * src.width();
        int n = src.images();
        int above = width - cut.used();
        int shift = above - bits;
        int size = 1 << bits;
        int mask = size - 1;
        int[] counts = new int[units * 2 * size];
        long[] total = new long[units * 2 * size];
        Keys keys = Keys.of(src);
        for (int first = 0; first < n; first += keys.chunk) {
            int m = Math.min(keys.chunk, n - first);
            keys.read(first, m);
            Arrays.fill(counts, 0);
            backend.forUnitBlocks(units, (lo, hi) -> {
                int[] row = new int[hw];
                for (int u = lo; u < hi; u++) {
                    int pl = cut.low()[u];
                    int ph = cut.high()[u];
                    int off = u * 2 * size;
                    for (int i = 0; i < m; i++) {
                        keys.keys((i * units + u) * hw, hw, row);
                        for (int j = 0; j < hw; j++) {
                            int key = row[j];
                            int prefix = key >>> above;
                            if (prefix == pl) {
                                counts[off + ((key >>> shift) & mask)]++;
                            } else if (prefix == ph) {
                                counts[off + size + ((key >>> shift) & mask)]++;
                            }
                        }
                    }
                    for (int b = off; b < off + 2 * size; b++) {
                        total[b] += counts[b];
                    }
                }
            });
            progress.advance(m);
        }
        return total;
    }

    /** The cut one digit of {@code bits} bits further, from the {@link #refine} counts of all images. */
    public static Cut next(Cut cut, int bits, long[] counts) {
        int units = cut.low().length;
        int size = 1 << bits;
        int[] low = new int[units];
        int[] high = new int[units];
        long[] restLow = new long[units];
        long[] restHigh = new long[units];
        for (int u = 0; u < units; u++) {
            boolean together = cut.low()[u] == cut.high()[u]; // then both statistics were counted in the first half
            long[] l = locate(counts, u * 2 * size, size, cut.restLow()[u]);
            long[] h = locate(counts, u * 2 * size + (together ? 0 : size), size, cut.restHigh()[u]);
            low[u] = (cut.low()[u] << bits) | (int) l[0];
            restLow[u] = l[1];
            high[u] = (cut.high()[u] << bits) | (int) h[0];
            restHigh[u] = h[1];
        }
        return new Cut(cut.precision(), cut.used() + bits, low, high, restLow, restHigh);
    }

    /** Counts of two disjoint sets of images together. */
    public static long[] plus(long[] counts, long[] other) {
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other[i];
        }
        return sum;
    }

    /**
     * The thresholds and top images, from the coarse counts of all images and the cut with every digit known (the top
     * images' ids as the coarse counts were given them; their maxima decoded from the keys).
     */
    public static UnitStats finish(Coarse coarse, Cut cut, long[] nonFinite, double quantile) {
        Precision precision = coarse.precision();
        if (cut.used() != width(precision)) {
            throw new IllegalArgumentException(cut.used() + " of " + width(precision) + " bits known");
        }
        int units = coarse.units();
        float[] thresholds = new float[units];
        int[][] topImages = new int[units][];
        float[][] topValues = new float[units][];
        for (int u = 0; u < units; u++) {
            thresholds[u] = CpuBackend.threshold(coarse.values(), nonFinite == null ? 0 : nonFinite[u], quantile,
                    value(precision, cut.low()[u]), value(precision, cut.high()[u]));
            topImages[u] = coarse.topImages()[u].clone();
            int[] keys = coarse.topKeys()[u];
            topValues[u] = new float[keys.length];
            for (int i = 0; i < keys.length; i++) {
                topValues[u][i] = value(precision, keys[i] ^ Integer.MIN_VALUE);
            }
        }
        return new UnitStats(thresholds, topImages, topValues);
    }

    /** The bin holding the value of 0-based rank {@code rank} among {@code bins} bins, and the rank within it. */
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

    /**
     * A source read a chunk of images at a time, handed out as unsigned order keys one map (an image's values of a
     * unit) at a time, so that one counting loop serves both precisions.
     */
    private abstract static class Keys {
        final ActivationSource src;
        final int chunk;

        Keys(ActivationSource src) {
            this.src = src;
            this.chunk = CpuBackend.chunkImages(src);
        }

        static Keys of(ActivationSource src) {
            return src.precision() == Precision.FP32 ? new Floats(src) : new Halves(src);
        }

        /** Reads images {@code first .. first + m - 1} as the chunk. */
        abstract void read(int first, int m);

        /** The keys of the chunk's values {@code at .. at + count - 1}. */
        abstract void keys(int at, int count, int[] out);

        private static final class Halves extends Keys {
            private final short[] buf;

            Halves(ActivationSource src) {
                super(src);
                buf = new short[chunk * src.valuesPerImage()];
            }

            @Override
            void read(int first, int m) {
                src.read(first, m, buf);
            }

            @Override
            void keys(int at, int count, int[] out) {
                for (int j = 0; j < count; j++) {
                    out[j] = Fp16.sortKey(buf[at + j]);
                }
            }
        }

        private static final class Floats extends Keys {
            private final float[] buf;

            Floats(ActivationSource src) {
                super(src);
                buf = new float[chunk * src.valuesPerImage()];
            }

            @Override
            void read(int first, int m) {
                src.readFloats(first, m, buf);
            }

            @Override
            void keys(int at, int count, int[] out) {
                for (int j = 0; j < count; j++) {
                    out[j] = floatKey(buf[at + j]) ^ Integer.MIN_VALUE;
                }
            }
        }
    }
}
