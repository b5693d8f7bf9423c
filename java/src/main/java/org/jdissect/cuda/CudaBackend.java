package org.jdissect.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import java.util.concurrent.Future;

import org.jdissect.JdissectException;
import org.jdissect.data.ImageLabels;
import org.jdissect.stats.Ablation;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.Precision;
import org.jdissect.stats.Fp16;
import org.jdissect.io.Threads;
import org.jdissect.stats.LabelSource;
import org.jdissect.io.Progress;
import org.jdissect.stats.Quantiles;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;
import org.jdissect.stats.Upsampling;

/**
 * The CUDA backend: the statistics of {@link Backend} computed by the kernels of kernels/ through the C API of
 * native/ (see {@link CudaLib}), with results identical to {@link org.jdissect.stats.CpuBackend}, which is their
 * specification. Java streams the activations and labels in chunks; the native side splits a chunk further when it
 * does not fit in the GPU's free memory. Thresholds are combined from the two order statistics by
 * {@link Quantiles#interpolate} and the upsampling tables come from {@link Upsampling#axis}, so both definitions
 * stay in one place. Calls are serialised: one context, one stream.
 */
public final class CudaBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());
    private static final int CHUNK_VALUES = 16 << 20;

    private final CudaLib.Context ctx;
    private final String name;
    private final int threads;
    private final ExecutorService pool;
    /** Interpolation tables by map and label size: a backend tallies several layers, each with its map size. */
    private final Map<GridKey, PackedGrid> grids = new HashMap<>();
    private boolean closed;

    private CudaBackend(CudaLib.Context ctx, String name, int threads) {
        this.ctx = ctx;
        this.name = name;
        this.threads = threads;
        this.pool = Threads.pool("cuda-io", threads);
    }

    /**
     * Opens device {@code device}; {@code threads} host threads read and pack labels. Throws a
     * JdissectException saying why when the library, the driver or the device is missing.
     */
    public static CudaBackend open(int device, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        GpuInfo info = GpuInfo.probe(device);
        CudaLib.Context ctx = new CudaLib.Context();
        byte[] err = NativeCuda.errBuffer();
        NativeCuda.check(CudaLib.jd_context_create(device, ctx, err, err.length), err);
        if (ctx.isNull()) {
            throw JdissectException.failure("jd_context_create returned no context");
        }
        return new CudaBackend(ctx, "cuda (" + info.describe() + ")", threads);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pool.shutdownNow();
            byte[] err = NativeCuda.errBuffer();
            CudaLib.jd_context_destroy(ctx, err, err.length);
        }
    }

    /** Caps the GPU memory used to stage host data (0: automatic); tests use it to force chunks to be split. */
    public synchronized void stagingLimit(long bytes) {
        byte[] err = NativeCuda.errBuffer();
        NativeCuda.check(CudaLib.jd_context_set_staging_limit(ctx, bytes, err, err.length), err);
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
    }

    /**
     * The CPU backend for what the kernels do not read: single-precision activations (the kernels' keys are 16-bit
     * halves). Same results, CPU speed, said once per call at INFO.
     */
    private CpuBackend onTheCpu(String what) {
        LOG.log(System.Logger.Level.INFO, what + " of fp32 activations run on the CPU: the CUDA kernels read fp16");
        return new CpuBackend(threads);
    }

    @Override
    public int passes(ActivationSource src) {
        return src.precision() == Precision.FP32 ? 3 : 2;
    }

    private static int chunkImages(ActivationSource src) {
        return src.imagesPerChunk(CHUNK_VALUES);
    }

    // ---------------------------------------------------------------- pass 1

    @Override
    public synchronized UnitStats unitStats(ActivationSource src, double quantile, int topk, Progress progress) {
        open();
        Quantiles.checkQuantile(quantile);
        if (src.precision() == Precision.FP32) {
            try (CpuBackend cpu = onTheCpu("thresholds")) {
                return cpu.unitStats(src, quantile, topk, progress);
            }
        }
        int units = src.units();
        int hw = src.height() * src.width();
        int n = src.images();
        int k = Math.max(0, Math.min(topk, n));
        long count = (long) n * hw;
        byte[] err = NativeCuda.errBuffer();
        int[] resident = new int[1];
        NativeCuda.check(CudaLib.jd_stats_begin(ctx, units, hw, n, k, resident, err, err.length), err);
        int chunk = chunkImages(src);
        short[] buf = new short[chunk * src.valuesPerImage()];
        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            src.read(first, m, buf);
            NativeCuda.check(CudaLib.jd_stats_coarse(ctx, buf, first, m, err, err.length), err);
            progress.advance(m);
        }
        // per unit, as CpuBackend: non-finite values sort lowest, so a unit's quantile starts above them
        long[] excluded = src.nonFinite();
        long[] lowRanks = new long[units];
        long[] highRanks = new long[units];
        long[] finite = new long[units];
        for (int u = 0; u < units; u++) {
            long skip = excluded == null ? 0 : excluded[u];
            finite[u] = count - skip;
            long f = Math.max(1, finite[u]);
            lowRanks[u] = Math.min(count - 1, skip + Quantiles.lowerRank(f, quantile));
            highRanks[u] = Math.min(skip + Math.min(Quantiles.lowerRank(f, quantile) + 1, f - 1), count - 1);
        }
        NativeCuda.check(CudaLib.jd_stats_locate(ctx, lowRanks, highRanks, err, err.length), err);
        if (resident[0] != 0) {
            NativeCuda.check(CudaLib.jd_stats_fine(ctx, null, n, err, err.length), err);
            progress.advance(n);
        } else {
            for (int first = 0; first < n; first += chunk) {
                int m = Math.min(chunk, n - first);
                src.read(first, m, buf);
                NativeCuda.check(CudaLib.jd_stats_fine(ctx, buf, m, err, err.length), err);
                progress.advance(m);
            }
        }
        int[] lowKey = new int[units];
        int[] highKey = new int[units];
        int[] topImages = new int[Math.max(1, units * k)];
        int[] topKeys = new int[Math.max(1, units * k)];
        NativeCuda.check(CudaLib.jd_stats_finish(ctx, lowKey, highKey, topImages, topKeys, err, err.length), err);
        float[] thresholds = new float[units];
        int[][] images = new int[units][];
        float[][] values = new float[units][];
        for (int u = 0; u < units; u++) {
            thresholds[u] = finite[u] <= 0 ? Float.MAX_VALUE // no finite value: nothing exceeds it
                    : Quantiles.interpolate(finite[u], quantile, Fp16.toFloat(Fp16.fromSortKey(lowKey[u])),
                    Fp16.toFloat(Fp16.fromSortKey(highKey[u])));
            int size = 0;
            while (size < k && topImages[u * k + size] >= 0) {
                size++;
            }
            images[u] = new int[size];
            values[u] = new float[size];
            for (int r = 0; r < size; r++) {
                images[u][r] = topImages[u * k + r];
                values[u][r] = Fp16.toFloat(Fp16.fromSortKey(topKeys[u * k + r]));
            }
        }
        return new UnitStats(thresholds, images, values);
    }

    // ---------------------------------------------------------------- pass 2

    /** A map size and a label size: what one set of interpolation tables is for. */
    record GridKey(int h, int w, int sh, int sw) {
    }

    /**
     * One label size's tables as jd_tally_chunk reads them: ints yfirst ycount xfirst xcount ylo yhi xlo xhi, doubles
     * wy[sh][3] wx[sw][3] (PIL's taps, {@link Upsampling.Axis}). ylo[s] is the first output row reading a source row
     * >= s, yhi[s] the last reading one <= s, so the rows reading any sample of [r0, r1] are ylo[r0] .. yhi[r1].
     */
    record PackedGrid(int[] ints, double[] weights) {
        /** The most taps an axis may have on the GPU (kMaxTaps in kernels/stats.cuh): every axis that grows has. */
        static final int MAX_TAPS = 3;

        static PackedGrid of(int h, int w, int sh, int sw) {
            Upsampling.Axis ys = Upsampling.axis(h, sh);
            Upsampling.Axis xs = Upsampling.axis(w, sw);
            if (ys.maxTaps() > MAX_TAPS || xs.maxTaps() > MAX_TAPS) {
                throw new IllegalStateException(h + "x" + w + " -> " + sh + "x" + sw + " reads more than "
                        + MAX_TAPS + " taps per axis"); // shrinking axes go to the CPU before this
            }
            int[] ints = new int[2 * sh + 2 * sw + 2 * h + 2 * w];
            double[] weights = new double[(sh + sw) * MAX_TAPS];
            int p = 0;
            int q = 0;
            for (Upsampling.Axis a : new Upsampling.Axis[] {ys, xs}) {
                System.arraycopy(a.first(), 0, ints, p, a.out());
                System.arraycopy(a.count(), 0, ints, p + a.out(), a.out());
                p += 2 * a.out();
                for (int i = 0; i < a.out(); i++) {
                    System.arraycopy(a.weight(), a.offset()[i], weights, q + i * MAX_TAPS, a.count()[i]);
                }
                q += a.out() * MAX_TAPS;
            }
            p = readers(ys, ints, p);
            readers(xs, ints, p);
            return new PackedGrid(ints, weights);
        }

        private static int readers(Upsampling.Axis axis, int[] dst, int p) {
            int in = axis.in();
            int out = axis.out();
            for (int s = 0; s < in; s++) {
                int lo = out;
                for (int i = 0; i < out; i++) {
                    if (axis.hi(i) >= s) {
                        lo = i;
                        break;
                    }
                }
                dst[p + s] = lo;
            }
            for (int s = 0; s < in; s++) {
                int hi = -1;
                for (int i = out - 1; i >= 0; i--) {
                    if (axis.lo(i) <= s) {
                        hi = i;
                        break;
                    }
                }
                dst[p + in + s] = hi;
            }
            return p + 2 * in;
        }
    }

    @Override
    public synchronized TallyCounts tally(ActivationSource src, float[] thresholds, LabelSource labels,
                                          Progress progress) {
        open();
        if (src.precision() == Precision.FP32) {
            try (CpuBackend cpu = onTheCpu("the tally")) {
                return cpu.tally(src, thresholds, labels, progress);
            }
        }
        if (src.images() > 0 && shrinks(src, labels.labels(0))) {
            // The kernel reads at most 3 taps per axis; a map larger than its label map is resized with PIL's
            // filter widened by the shrink factor (more taps), which only the CPU backend runs. Same results.
            try (CpuBackend cpu = new CpuBackend(threads)) {
                return cpu.tally(src, thresholds, labels, progress);
            }
        }
        int units = src.units();
        if (thresholds.length != units) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + units + " units");
        }
        int h = src.height();
        int w = src.width();
        int n = src.images();
        int numLabels = labels.numLabels();
        int numCats = labels.numCategories();
        if (numLabels > 65536) {
            throw new JdissectException("the CUDA backend keeps label numbers in 16 bits (as Broden's PNG label "
                    + "maps do), but this dataset has " + numLabels + " label numbers: use --device cpu");
        }
        int[] primary = labels.primaryCategory();
        byte[] err = NativeCuda.errBuffer();
        NativeCuda.check(CudaLib.jd_tally_begin(ctx, units, h, w, thresholds, numLabels, numCats, primary, err,
                err.length), err);
        int chunk = chunkImages(src);
        short[] buf = new short[chunk * src.valuesPerImage()];
        ImageLabels[] chunkLabels = new ImageLabels[chunk];
        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            int base = first;
            parallel(m, i -> chunkLabels[i] = labels.labels(base + i).checkRange(numLabels));
            src.read(first, m, buf);
            // Descriptors and offsets, then the labels packed in parallel (each image owns its range).
            long[] info = new long[m * 8];
            long[] labelOffset = new long[m];
            long labelCount = 0;
            int levelCount = 0;
            Map<GridKey, Integer> gridIntAt = new LinkedHashMap<>();
            Map<GridKey, Integer> gridWeightAt = new HashMap<>();
            int gridInts = 0;
            int gridWeights = 0;
            for (int i = 0; i < m; i++) {
                ImageLabels il = chunkLabels[i];
                if (shrinks(src, il)) {
                    throw new JdissectException("image " + (base + i) + " has a " + il.sh() + "x" + il.sw()
                            + " label map, smaller than the " + h + "x" + w + " activation map, unlike the first "
                            + "image: the CUDA tally needs label maps of at least the map size; use --device cpu");
                }
                GridKey key = new GridKey(h, w, il.sh(), il.sw());
                if (!gridIntAt.containsKey(key)) {
                    PackedGrid g = grids.computeIfAbsent(key, kk -> PackedGrid.of(h, w, il.sh(), il.sw()));
                    gridIntAt.put(key, gridInts);
                    gridWeightAt.put(key, gridWeights);
                    gridInts += g.ints().length;
                    gridWeights += g.weights().length;
                }
                int layers = il.layers().length;
                labelOffset[i] = labelCount;
                info[i * 8] = labelCount;
                info[i * 8 + 1] = il.sh();
                info[i * 8 + 2] = il.sw();
                info[i * 8 + 3] = layers;
                info[i * 8 + 4] = levelCount;
                info[i * 8 + 5] = il.imageLevel().length;
                info[i * 8 + 6] = gridIntAt.get(key);
                info[i * 8 + 7] = gridWeightAt.get(key);
                labelCount += (long) layers * il.sh() * il.sw();
                levelCount += il.imageLevel().length;
            }
            if (labelCount > Integer.MAX_VALUE - 8) {
                throw new JdissectException("too many label pixels in one chunk of " + m + " images: " + labelCount);
            }
            short[] packed = new short[(int) Math.max(1, labelCount)];
            int[] levels = new int[Math.max(1, levelCount)];
            parallel(m, i -> {
                ImageLabels il = chunkLabels[i];
                int p = (int) labelOffset[i];
                for (int[] layer : il.layers()) {
                    for (int l : layer) {
                        packed[p++] = (short) l;
                    }
                }
            });
            for (int i = 0; i < m; i++) {
                int[] lv = chunkLabels[i].imageLevel();
                System.arraycopy(lv, 0, levels, (int) info[i * 8 + 4], lv.length);
            }
            int[] gi = new int[Math.max(1, gridInts)];
            double[] gw = new double[Math.max(1, gridWeights)];
            for (Map.Entry<GridKey, Integer> e : gridIntAt.entrySet()) {
                PackedGrid g = grids.get(e.getKey());
                System.arraycopy(g.ints(), 0, gi, e.getValue(), g.ints().length);
                System.arraycopy(g.weights(), 0, gw, gridWeightAt.get(e.getKey()), g.weights().length);
            }
            NativeCuda.check(CudaLib.jd_tally_chunk(ctx, buf, m, info, packed, labelCount, levels, levelCount, gi,
                    gridInts, gw, gridWeights, err, err.length), err);
            progress.advance(m);
        }
        long[] inter = new long[units * numLabels];
        long[] act = new long[Math.max(1, units * numCats)];
        long[] labelPixels = new long[numLabels];
        long[] mask = new long[units];
        NativeCuda.check(CudaLib.jd_tally_finish(ctx, inter, act, labelPixels, mask, err, err.length), err);
        if (act.length != units * numCats) {
            act = new long[units * numCats];
        }
        return new TallyCounts(units, numLabels, numCats, n, inter, act, labelPixels, mask);
    }

    /** Whether resizing this map to this image's labels shrinks an axis (see {@link Upsampling}). */
    private static boolean shrinks(ActivationSource src, ImageLabels il) {
        return il.sh() < src.height() || il.sw() < src.width();
    }

    // ---------------------------------------------------------------- interventions

    @Override
    public synchronized void ablate(float[] x, int images, int units, int hw, float[] alpha, float[] replacement) {
        open();
        Ablation.check(x, images, units, hw, alpha, replacement);
        if (images == 0) {
            return;
        }
        byte[] err = NativeCuda.errBuffer();
        NativeCuda.check(CudaLib.jd_ablate(ctx, x, images, units, hw, alpha, alpha.length, replacement, err,
                err.length), err);
    }

    // ---------------------------------------------------------------- threads

    private interface IndexTask {
        void run(int i);
    }

    private void parallel(int count, IndexTask task) {
        List<Future<?>> futures = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int start = t;
            futures.add(pool.submit(() -> {
                for (int i = start; i < count; i += threads) {
                    task.run(i);
                }
            }));
        }
        Threads.awaitAll(futures);
    }
}
