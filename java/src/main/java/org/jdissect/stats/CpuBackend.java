package org.jdissect.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.jdissect.data.ImageLabels;
import org.jdissect.io.Threads;
import org.jdissect.io.Progress;

/**
 * The multi-threaded Java backend, and the specification the other backends are tested against.
 *
 * <p>Work is split by units, never by images: each task owns a range of units and so its rows of the count
 * arrays, which need neither locks nor merging. Activations stream through in chunks of images.
 *
 * <p>Thresholds are exact. Every value has an order key (16 bits for a half, 32 for a float), so a unit's values can
 * be counted into bins by its digits: one pass counts the first digit of every key, which locates the two order
 * statistics the quantile needs to within a bin, and each later pass counts the next digit within those bins
 * ({@link RadixSelection}, whose pieces also merge across machines). Memory is a few thousand counters per unit,
 * whatever the dataset size.
 */
public final class CpuBackend implements Backend {
    private static final int CHUNK_VALUES = 4 << 20;

    private final int threads;
    private final ExecutorService pool;

    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
        this.pool = Threads.pool("cpu", threads);
    }

    @Override
    public String name() {
        return "cpu (" + threads + " threads)";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    static int chunkImages(ActivationSource src) {
        return src.imagesPerChunk(CHUNK_VALUES);
    }

    // ---------------------------------------------------------------- pass 1

    /** Two passes over half precision (8 + 8 bits of key), three over single precision (11 + 11 + 10). */
    @Override
    public int passes(ActivationSource src) {
        return RadixSelection.digits(src.precision()).length;
    }

    @Override
    public UnitStats unitStats(ActivationSource src, double quantile, int topk, Progress progress) {
        Quantiles.checkQuantile(quantile);
        return RadixSelection.unitStats(this, src, quantile, topk, RadixSelection.digits(src.precision()), progress);
    }

    /**
     * The 0-based ranks, among a unit's {@code count} values in ascending order, of the two order statistics the
     * quantile interpolates. Non-finite values are stored lowest ({@code skip} of them): the quantile is that of the
     * finite ones, counted from above them.
     */
    static long[] ranks(long count, long skip, double quantile) {
        long finite = Math.max(1, count - skip);
        long lowRank = Math.min(count - 1, skip + Quantiles.lowerRank(finite, quantile));
        long highRank = Math.min(skip + Math.min(Quantiles.lowerRank(finite, quantile) + 1, finite - 1), count - 1);
        return new long[] {lowRank, highRank};
    }

    /**
     * The threshold from the two order statistics {@link #ranks} located, for {@code count} values of which
     * {@code skip} are non-finite: {@code Float.MAX_VALUE} when none is finite (nothing exceeds it).
     */
    static float threshold(long count, long skip, double quantile, float lower, float upper) {
        long finite = count - skip;
        return finite <= 0 ? Float.MAX_VALUE : Quantiles.interpolate(finite, quantile, lower, upper);
    }

    /**
     * The k images with the largest maxima, larger first, ties to the earlier image; a min-heap of order keys as
     * signed ints ({@link RadixSelection}'s).
     */
    static final class TopK {
        private final int[] keys;
        private final int[] images;
        private int size;

        TopK(int k) {
            keys = new int[k];
            images = new int[k];
        }

        private static boolean worse(int keyA, int imgA, int keyB, int imgB) {
            return keyA < keyB || (keyA == keyB && imgA > imgB);
        }

        void offer(int key, int image) {
            int k = keys.length;
            if (k == 0) {
                return;
            }
            if (size < k) {
                int i = size++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (!worse(key, image, keys[parent], images[parent])) {
                        break;
                    }
                    keys[i] = keys[parent];
                    images[i] = images[parent];
                    i = parent;
                }
                keys[i] = key;
                images[i] = image;
            } else if (worse(keys[0], images[0], key, image)) {
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    if (l >= size) {
                        break;
                    }
                    int r = l + 1;
                    int c = (r < size && worse(keys[r], images[r], keys[l], images[l])) ? r : l;
                    if (!worse(keys[c], images[c], key, image)) {
                        break;
                    }
                    keys[i] = keys[c];
                    images[i] = images[c];
                    i = c;
                }
                keys[i] = key;
                images[i] = image;
            }
        }

        private Integer[] order() {
            Integer[] idx = new Integer[size];
            for (int i = 0; i < size; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, (a, b) -> worse(keys[a], images[a], keys[b], images[b]) ? 1
                    : worse(keys[b], images[b], keys[a], images[a]) ? -1 : 0);
            return idx;
        }

        /** The order keys of {@link #images}, aligned with them. */
        int[] keys() {
            Integer[] idx = order();
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = keys[idx[i]];
            }
            return out;
        }

        int[] images() {
            Integer[] idx = order();
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = images[idx[i]];
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- pass 2

    @Override
    public TallyCounts tally(ActivationSource src, float[] thresholds, LabelSource labels, Progress progress) {
        int units = src.units();
        if (thresholds.length != units) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + units + " units");
        }
        int h = src.height();
        int w = src.width();
        int n = src.images();
        int numLabels = labels.numLabels();
        int numCats = labels.numCategories();
        int[] primary = labels.primaryCategory();
        TallyCounts counts = TallyCounts.zero(units, numLabels, numCats);
        int chunk = chunkImages(src);
        boolean single = src.precision() == Precision.FP32;
        short[] halves = single ? null : new short[chunk * src.valuesPerImage()];
        float[] floats = single ? new float[chunk * src.valuesPerImage()] : null;
        CpuTally.PixelLabels[] chunkLabels = new CpuTally.PixelLabels[chunk];
        ImageLabels[] slotLabels = new ImageLabels[chunk]; // each slot's labels, their arrays reused by the next chunk
        Map<Long, CpuTally.Grid> grids = new HashMap<>();
        // each loading thread counts its images' label pixels into its own row, summed at the end (integers: in any
        // order the same): counted on the main thread between loading and tallying, they left a core idle for
        // 0.19 ms an image (JFR, 4,000 images, C1)
        long[][] labelPixels = new long[threads][numLabels];

        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            int base = first;
            List<Future<?>> loads = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int start = t;
                long[] mine = labelPixels[t];
                loads.add(pool.submit(() -> {
                    for (int i = start; i < m; i += threads) {
                        slotLabels[i] = labels.labels(base + i, slotLabels[i]);
                        chunkLabels[i] = CpuTally.PixelLabels.of(slotLabels[i], numLabels, mine);
                    }
                }));
            }
            if (single) {
                src.readFloats(first, m, floats);
            } else {
                src.read(first, m, halves);
            }
            Threads.awaitAll(loads);
            CpuTally.Grid[] imageGrids = new CpuTally.Grid[m];
            for (int i = 0; i < m; i++) {
                CpuTally.PixelLabels pl = chunkLabels[i];
                long key = ((long) pl.sh << 32) | pl.sw;
                imageGrids[i] = grids.computeIfAbsent(key, kk -> new CpuTally.Grid(h, w, pl.sh, pl.sw));
            }
            forUnitBlocks(units, new CpuTally.TallyTask(halves, floats, m, units, h, w, thresholds, chunkLabels, imageGrids,
                    primary, numLabels, numCats, counts));
            progress.advance(m);
        }
        for (long[] mine : labelPixels) {
            for (int l = 0; l < numLabels; l++) {
                counts.labelPixels()[l] += mine[l];
            }
        }
        return new TallyCounts(units, numLabels, numCats, n, counts.intersection(), counts.activation(),
                counts.labelPixels(), counts.maskPixels());
    }

    /** The interpolation tables for one map size to one label size, with the target range reading each sample. */
    // ---------------------------------------------------------------- interventions

    @Override
    public void ablate(float[] x, int images, int units, int hw, float[] alpha, float[] replacement) {
        Ablation.check(x, images, units, hw, alpha, replacement);
        boolean perLocation = alpha.length == units * hw;
        forUnitRanges(units, u -> {
            float r = replacement[u];
            for (int i = 0; i < images; i++) {
                int base = (i * units + u) * hw;
                if (perLocation) {
                    int ab = u * hw;
                    for (int j = 0; j < hw; j++) {
                        x[base + j] = Ablation.apply(x[base + j], alpha[ab + j], r);
                    }
                } else {
                    float a = alpha[u];
                    if (a == 0f) {
                        continue;
                    }
                    for (int j = 0; j < hw; j++) {
                        x[base + j] = Ablation.apply(x[base + j], a, r);
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- threads

    /** A contiguous range of units, {@code lo} inclusive to {@code hi} exclusive. */
    @FunctionalInterface
    interface UnitRange {
        void run(int lo, int hi);
    }

    /** Runs {@code work} for every unit, each unit on exactly one thread, in blocks for locality. */
    void forUnitRanges(int units, IntConsumer work) {
        forUnitBlocks(units, (lo, hi) -> {
            for (int u = lo; u < hi; u++) {
                work.accept(u);
            }
        });
    }

    /** Runs {@code work} over blocks of units, each unit in exactly one block, the blocks shared by the threads. */
    void forUnitBlocks(int units, UnitRange work) {
        int blocks = Math.min(units, threads * 8);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                    int lo = (int) ((long) units * b / blocks);
                    int hi = (int) ((long) units * (b + 1) / blocks);
                    work.run(lo, hi);
                }
            }));
        }
        Threads.awaitAll(futures);
    }
}
