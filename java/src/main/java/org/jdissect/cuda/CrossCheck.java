package org.jdissect.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.jdissect.data.ImageLabels;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.ArrayActivations;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.LabelSource;
import org.jdissect.io.Progress;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;
import org.jdissect.stats.Upsampling;

/**
 * Every CUDA operation against the CPU backend (the specification) on random and structured inputs: ties at the
 * threshold, empty categories, labels without a category, odd map sizes, label sizes that differ per image,
 * special values, chunks split on the device. Results must be identical, bit for bit. Used by the JUnit tests
 * (org.jdissect.cuda.CudaBackendTest) and, on a GPU machine without Maven, by bench/gpu-check.sh:
 * {@code java -cp jdissect.jar:javacpp.jar org.jdissect.cuda.CrossCheck}.
 */
public final class CrossCheck {
    /** One comparison: a name and the differences found (empty when identical). */
    public record Result(String name, List<String> differences) {
        public boolean ok() {
            return differences.isEmpty();
        }
    }

    record Labels(int numLabels, int numCategories, int[] primaryCategory, List<ImageLabels> images)
            implements LabelSource {
        @Override
        public ImageLabels labels(int image) {
            return images.get(image);
        }
    }

    private CrossCheck() {
    }

    public static void main(String[] args) {
        String problem = Devices.cudaProblem();
        if (problem != null) {
            System.out.println("SKIP: no GPU for the CUDA-versus-CPU cross-check: " + problem);
            System.exit(77);
        }
        int failed = 0;
        try (CudaBackend cuda = CudaBackend.open(0, 4); CpuBackend cpu = new CpuBackend(4)) {
            System.out.println("cross-check: " + cuda.name() + " against " + cpu.name());
            for (Result r : all(cuda, cpu, System.out::println)) {
                failed += r.ok() ? 0 : 1;
            }
        }
        System.out.println(failed == 0 ? "cross-check: all identical" : "cross-check: " + failed + " case(s) differ");
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Runs every case; {@code out} gets one line per case (and the first differences of a failing one). */
    public static List<Result> all(CudaBackend cuda, Backend cpu, Consumer<String> out) {
        List<Result> results = new ArrayList<>();
        Consumer<Result> report = r -> {
            results.add(r);
            out.accept(String.format("  %-52s %s", r.name(), r.ok() ? "identical" : "DIFFERENT"));
            r.differences().stream().limit(8).forEach(d -> out.accept("      " + d));
        };
        long t0 = System.nanoTime();
        report.accept(stats("pass 1: random 7x7, q 0.005, top 10", cuda, cpu, random(1, 150, 37, 7, 7, false), 0.005, 10));
        report.accept(stats("pass 1: ties (coarse values), q 0.2, top 7", cuda, cpu, random(2, 90, 19, 5, 3, true), 0.2, 7));
        report.accept(stats("pass 1: topk > images, q 0.5", cuda, cpu, random(3, 6, 5, 3, 3, false), 0.5, 20));
        report.accept(stats("pass 1: one image 1x1", cuda, cpu, random(4, 1, 3, 1, 1, false), 0.005, 1));
        report.accept(stats("pass 1: special values", cuda, cpu, special(5), 0.1, 4));
        report.accept(stats("pass 1: 2,500 images (chunks)", cuda, cpu, random(6, 2500, 16, 7, 7, false), 0.005, 10));
        report.accept(stats("pass 1: non-finite values left out, per unit", cuda, cpu, nonFinite(7), 0.05, 5));
        for (long seed = 10; seed < 14; seed++) {
            report.accept(tally("pass 2: random case " + seed + " (sizes per image)", cuda, cpu, seed, false, false));
        }
        report.accept(tally("pass 2: ties at the threshold", cuda, cpu, 20, true, false));
        report.accept(tally("pass 2: thresholds = upsampled values", cuda, cpu, 21, false, true));
        report.accept(tally("pass 2: split on the device (staging 64 KiB)", cuda, cpu, 22, false, false, 64 << 10));
        report.accept(layers("pass 2: five layers in a row, one label set", cuda, cpu, 23));
        report.accept(pilTaps("pass 2: PIL's 3-tap axes, infinities, NaN", cuda, cpu, 24));
        report.accept(ablate("ablation per unit (alpha 0, infinities)", cuda, cpu, false));
        report.accept(ablate("ablation per unit and location", cuda, cpu, true));
        out.accept(String.format("  (%.1f s)", (System.nanoTime() - t0) / 1e9));
        return results;
    }

    // ---------------------------------------------------------------- inputs

    static ArrayActivations random(long seed, int images, int units, int h, int w, boolean coarse) {
        Random rnd = new Random(seed);
        float[] v = new float[images * units * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = coarse ? rnd.nextInt(12) * 0.25f : (float) (rnd.nextGaussian() * 2);
        }
        return ArrayActivations.ofFloats(v, images, units, h, w);
    }

    static ArrayActivations special(long seed) {
        ArrayActivations a = random(seed, 13, 5, 4, 4, false);
        short[] specials = {0x7c00, (short) 0xfc00, 0x7e00, (short) 0xfe00, 0x0001, (short) 0x8001, (short) 0x8000, 0};
        short[] v = a.values();
        for (int i = 0; i < v.length; i += 3) {
            v[i] = specials[i % specials.length];
        }
        return a;
    }

    /**
     * Random activations where some units hold non-finite values, stored as the cache stores them (-65504) and
     * counted per unit, so that each unit's quantile starts above them (per-unit ranks in both backends).
     */
    public static ActivationSource nonFinite(long seed) {
        ArrayActivations a = random(seed, 40, 6, 5, 5, false);
        short[] v = a.values();
        long[] counts = new long[6];
        Random rnd = new Random(seed);
        int hw = 25;
        for (int i = 0; i < v.length; i++) {
            int u = (i / hw) % 6;
            // unit 0 none, unit 5 nearly all, the others some
            if (u > 0 && rnd.nextInt(100) < (u == 5 ? 99 : 10 * u)) {
                v[i] = (short) 0xfbff;
                counts[u]++;
            }
        }
        return new ActivationSource() {
            @Override
            public int images() {
                return a.images();
            }

            @Override
            public int units() {
                return a.units();
            }

            @Override
            public int height() {
                return a.height();
            }

            @Override
            public int width() {
                return a.width();
            }

            @Override
            public void read(int first, int count, short[] dst) {
                a.read(first, count, dst);
            }

            @Override
            public long[] nonFinite() {
                return counts.clone();
            }
        };
    }

    /** Labels as CpuBackendTest makes them, plus categories no label belongs to and labels of no category. */
    static Labels labels(long seed, int images, int h, int w) {
        Random rnd = new Random(seed);
        int numLabels = 23;
        int numCats = 5; // category 4 is nobody's primary: its activation stays 0
        int[] primary = new int[numLabels];
        for (int l = 0; l < numLabels; l++) {
            primary[l] = l == 0 || l % 7 == 3 ? -1 : rnd.nextInt(numCats - 1);
        }
        int[][] sizes = {{13, 11}, {8, 8}, {9, 10}, {h, w}, {2 * h + 1, 3 * w}, {112, 112}};
        List<ImageLabels> list = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int[] size = sizes[rnd.nextInt(sizes.length)];
            int sh = size[0];
            int sw = size[1];
            int[][] layers = new int[rnd.nextInt(4)][sh * sw];
            for (int[] layer : layers) {
                boolean empty = rnd.nextInt(5) == 0;
                int blob = 1 + rnd.nextInt(numLabels - 1);
                for (int p = 0; p < layer.length; p++) {
                    if (!empty && rnd.nextInt(3) > 0) {
                        layer[p] = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(numLabels - 1) : blob;
                    }
                }
            }
            int[] imageLevel = new int[rnd.nextInt(3)];
            for (int j = 0; j < imageLevel.length; j++) {
                imageLevel[j] = rnd.nextInt(numLabels);
            }
            list.add(new ImageLabels(sh, sw, layers, imageLevel));
        }
        return new Labels(numLabels, numCats, primary, list);
    }

    // ---------------------------------------------------------------- comparisons

    static Result stats(String name, CudaBackend cuda, Backend cpu, ActivationSource acts, double q, int k) {
        List<String> diff = new ArrayList<>();
        try {
            UnitStats want = cpu.unitStats(acts, q, k, Progress.NONE);
            UnitStats got = cuda.unitStats(acts, q, k, Progress.NONE);
            for (int u = 0; u < acts.units(); u++) {
                if (Float.floatToRawIntBits(want.thresholds()[u]) != Float.floatToRawIntBits(got.thresholds()[u])) {
                    diff.add("unit " + u + ": threshold " + got.thresholds()[u] + ", cpu " + want.thresholds()[u]);
                }
                if (!Arrays.equals(want.topImages()[u], got.topImages()[u])
                        || !Arrays.equals(want.topValues()[u], got.topValues()[u])) {
                    diff.add("unit " + u + ": top images " + Arrays.toString(got.topImages()[u]) + " "
                            + Arrays.toString(got.topValues()[u]) + ", cpu " + Arrays.toString(want.topImages()[u])
                            + " " + Arrays.toString(want.topValues()[u]));
                }
            }
        } catch (RuntimeException e) {
            diff.add("failed: " + e);
        }
        return new Result(name, diff);
    }

    static Result tally(String name, CudaBackend cuda, Backend cpu, long seed, boolean coarse, boolean tiedThresholds) {
        return tally(name, cuda, cpu, seed, coarse, tiedThresholds, 0);
    }

    static Result tally(String name, CudaBackend cuda, Backend cpu, long seed, boolean coarse, boolean tiedThresholds,
                        long staging) {
        List<String> diff = new ArrayList<>();
        try {
            Random rnd = new Random(seed);
            int h = 3 + rnd.nextInt(6);
            int w = 3 + rnd.nextInt(6);
            int images = 40 + rnd.nextInt(40);
            int units = 9 + rnd.nextInt(20);
            ArrayActivations acts = random(seed, images, units, h, w, coarse);
            Labels labels = labels(seed, images, h, w);
            float[] thresholds;
            if (tiedThresholds) {
                // Each unit's threshold is one of its own upsampled values on image 0: exact ties.
                thresholds = new float[units];
                Upsampling.Axis ys = Upsampling.axis(h, labels.images().get(0).sh());
                Upsampling.Axis xs = Upsampling.axis(w, labels.images().get(0).sw());
                for (int u = 0; u < units; u++) {
                    float[] map = new float[h * w];
                    for (int j = 0; j < h * w; j++) {
                        map[j] = org.jdissect.stats.Fp16.toFloat(acts.values()[u * h * w + j]);
                    }
                    float[] up = Upsampling.upsample(map, h, w, ys, xs);
                    thresholds[u] = up[rnd.nextInt(up.length)];
                }
            } else if (coarse) {
                thresholds = new float[units];
                for (int u = 0; u < units; u++) {
                    thresholds[u] = (u % 12) * 0.25f;
                }
            } else {
                thresholds = cpu.unitStats(acts, 0.02, 0, Progress.NONE).thresholds();
            }
            TallyCounts want = cpu.tally(acts, thresholds, labels, Progress.NONE);
            TallyCounts got = tallyWithStaging(cuda, acts, thresholds, labels, staging);
            compareCounts(diff, "", want, got);
            if (want.images() != got.images()) {
                diff.add("images " + got.images() + ", cpu " + want.images());
            }
        } catch (RuntimeException e) {
            diff.add("failed: " + e);
        }
        return new Result(name, diff);
    }

    /**
     * The resizing's corners: a 3 x 7 map to 47 x 55 labels, where both axes read 3 taps at some targets (PIL's
     * centre rounds up; the third tap's weight is 0), and to its own size; maps holding +inf (the half cache's
     * overflow), -inf and NaN, which the CPU backend resizes through its general loop (inf * 0 = NaN as in PIL)
     * while the kernel always reads every tap; thresholds on resized values (ties).
     */
    static Result pilTaps(String name, CudaBackend cuda, Backend cpu, long seed) {
        List<String> diff = new ArrayList<>();
        try {
            PilCase c = pilCase(seed);
            TallyCounts want = cpu.tally(c.acts(), c.thresholds(), c.labels(), Progress.NONE);
            TallyCounts got = tallyWithStaging(cuda, c.acts(), c.thresholds(), c.labels(), 0);
            compareCounts(diff, "", want, got);
        } catch (RuntimeException e) {
            diff.add("failed: " + e);
        }
        return new Result(name, diff);
    }

    /** The inputs of {@link #pilTaps}. */
    record PilCase(ArrayActivations acts, Labels labels, float[] thresholds) {
    }

    static PilCase pilCase(long seed) {
        Random rnd = new Random(seed);
        int h = 3;
        int w = 7;
        int images = 24;
        int units = 11;
        float[] v = new float[images * units * h * w];
        float[] odd = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(5) == 0 ? rnd.nextInt(8) * 0.5f : (float) (rnd.nextGaussian() * 2);
        }
        for (int k = 0; k < images * units / 3; k++) {
            v[rnd.nextInt(v.length)] = odd[rnd.nextInt(odd.length)];
        }
        ArrayActivations acts = ArrayActivations.ofFloats(v, images, units, h, w);
        Labels base = labels(seed, 1, h, w);
        List<ImageLabels> sized = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int sh = i % 4 == 3 ? h : 47;
            int sw = i % 4 == 3 ? w : 55;
            int[][] layers = {new int[sh * sw], new int[sh * sw]};
            for (int p = 0; p < sh * sw; p++) {
                layers[0][p] = 1 + (p % sw) * (base.numLabels() - 1) / sw; // stripes: labels at every border
                layers[1][p] = rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(base.numLabels() - 1);
            }
            sized.add(new ImageLabels(sh, sw, layers, new int[] {1 + rnd.nextInt(base.numLabels() - 1)}));
        }
        Labels labels = new Labels(base.numLabels(), base.numCategories(), base.primaryCategory(), sized);
        float[] thresholds = new float[units];
        Upsampling.Axis ys = Upsampling.axis(h, 47);
        Upsampling.Axis xs = Upsampling.axis(w, 55);
        for (int u = 0; u < units; u++) {
            float[] map = new float[h * w];
            for (int j = 0; j < h * w; j++) {
                map[j] = org.jdissect.stats.Fp16.toFloat(acts.values()[u * h * w + j]);
            }
            float[] up = Upsampling.upsample(map, h, w, ys, xs);
            float t = up[rnd.nextInt(up.length)];
            thresholds[u] = Float.isFinite(t) ? t : 0.5f;
        }
        return new PilCase(acts, labels, thresholds);
    }

    /** The CUDA tally under a staging limit, restored after; a failure of the tally is the one reported. */
    private static TallyCounts tallyWithStaging(CudaBackend cuda, ArrayActivations acts, float[] thresholds,
                                                LabelSource labels, long staging) {
        cuda.stagingLimit(staging);
        RuntimeException failure = null;
        try {
            return cuda.tally(acts, thresholds, labels, Progress.NONE);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            try {
                cuda.stagingLimit(0);
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    /**
     * Several layers over one label set, as a dissection does: maps of different sizes resized to the same label
     * sizes by one backend, one after the other (the interpolation tables depend on both sizes).
     */
    static Result layers(String name, CudaBackend cuda, Backend cpu, long seed) {
        List<String> diff = new ArrayList<>();
        try {
            Labels labels = labels(seed, 30, 8, 8);
            int[][] maps = {{8, 8}, {3, 5}, {6, 3}, {8, 8}, {1, 1}};
            for (int[] hw : maps) {
                ArrayActivations acts = random(seed + hw[0] * 10 + hw[1], 30, 11, hw[0], hw[1], false);
                float[] thresholds = cpu.unitStats(acts, 0.05, 0, Progress.NONE).thresholds();
                TallyCounts want = cpu.tally(acts, thresholds, labels, Progress.NONE);
                TallyCounts got = tallyWithStaging(cuda, acts, thresholds, labels, 0);
                String layer = hw[0] + "x" + hw[1] + " ";
                compareCounts(diff, layer, want, got);
            }
        } catch (RuntimeException e) {
            diff.add("failed: " + e);
        }
        return new Result(name, diff);
    }

    /** The four counts of two tallies, each difference named with {@code prefix}. */
    private static void compareCounts(List<String> diff, String prefix, TallyCounts want, TallyCounts got) {
        compare(diff, prefix + "intersection", want.intersection(), got.intersection());
        compare(diff, prefix + "activation", want.activation(), got.activation());
        compare(diff, prefix + "labelPixels", want.labelPixels(), got.labelPixels());
        compare(diff, prefix + "maskPixels", want.maskPixels(), got.maskPixels());
    }

    private static void compare(List<String> diff, String what, long[] want, long[] got) {
        if (want.length != got.length) {
            diff.add(what + ": " + got.length + " values, cpu " + want.length);
            return;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                diff.add(what + "[" + i + "] = " + got[i] + ", cpu " + want[i]);
            }
        }
    }

    static Result ablate(String name, CudaBackend cuda, Backend cpu, boolean perLocation) {
        List<String> diff = new ArrayList<>();
        try {
            Random rnd = new Random(perLocation ? 31 : 32);
            int images = 17;
            int units = 11;
            int hw = 13;
            float[] x = new float[images * units * hw];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 3);
            }
            x[0] = Float.NEGATIVE_INFINITY;
            x[1] = Float.POSITIVE_INFINITY;
            float[] alpha = new float[perLocation ? units * hw : units];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = rnd.nextInt(4) == 0 ? 0f : rnd.nextFloat();
            }
            alpha[0] = 0f;
            float[] replacement = new float[units];
            for (int u = 0; u < units; u++) {
                replacement[u] = (float) rnd.nextGaussian() * 5;
            }
            float[] want = x.clone();
            float[] got = x.clone();
            cpu.ablate(want, images, units, hw, alpha, replacement);
            cuda.ablate(got, images, units, hw, alpha, replacement);
            for (int i = 0; i < x.length; i++) {
                // NaN payloads differ between the JVM and the GPU; any NaN equals any NaN here.
                if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                    diff.add("x[" + i + "] = " + got[i] + ", cpu " + want[i]);
                }
            }
        } catch (RuntimeException e) {
            diff.add("failed: " + e);
        }
        return new Result(name, diff);
    }
}
