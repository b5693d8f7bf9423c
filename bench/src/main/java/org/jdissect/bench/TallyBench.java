package org.jdissect.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.jdissect.data.ImageLabels;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.ArrayActivations;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.Fp16;
import org.jdissect.stats.LabelSource;
import org.jdissect.io.Progress;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * A fixed workload shaped like ResNet-18 layer4 on Broden: 512 units, 7x7 maps, 112x112 label maps with about
 * three labels per pixel, image-level scene labels. Prints images/s of pass 1 (thresholds and top-k) and pass 2
 * (the tally), and the peak resident memory.
 *
 * <p>Usage: {@code TallyBench [images=2000] [repeats=3] [threads=all]}
 */
public final class TallyBench {
    static final int UNITS = 512;
    static final int MAP = 7;
    static final int LABEL = 112;
    static final int NUM_LABELS = 1198;
    static final int CATEGORIES = 6;

    private TallyBench() {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        System.out.printf("workload: %d images, %d units, %dx%d maps, %dx%d label maps, 3 label layers + 1 "
                + "image-level label; %d threads%n", images, UNITS, MAP, MAP, LABEL, LABEL, threads);
        ActivationSource acts = activations(images, 1);
        LabelSource labels = new SyntheticLabels(images, 2);
        try (Backend backend = new CpuBackend(threads)) {
            double[] pass1 = new double[repeats];
            double[] pass2 = new double[repeats];
            long fired = 0;
            for (int r = 0; r < repeats; r++) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                UnitStats stats = backend.unitStats(acts, 0.005, 10, Progress.NONE);
                long t1 = System.nanoTime();
                long c1 = cpuNanos();
                TallyCounts counts = backend.tally(acts, stats.thresholds(), labels, Progress.NONE);
                long t2 = System.nanoTime();
                long c2 = cpuNanos();
                System.out.printf("run %d: cpu time per image: pass 1 %.1f us, pass 2 %.1f us%n", r + 1,
                        (c1 - c0) / 1e3 / images, (c2 - c1) / 1e3 / images);
                pass1[r] = images / ((t1 - t0) / 1e9);
                pass2[r] = images / ((t2 - t1) / 1e9);
                fired = java.util.Arrays.stream(counts.maskPixels()).sum();
                System.out.printf("run %d: pass 1 %.0f images/s, pass 2 %.0f images/s%n", r + 1, pass1[r], pass2[r]);
            }
            System.out.printf("mask pixels per image: %.0f (%.3f%% of unit-pixels)%n", fired / (double) images,
                    100.0 * fired / ((double) images * UNITS * LABEL * LABEL));
            System.out.printf("median: pass 1 %.0f images/s, pass 2 %.0f images/s; peak RSS %s%n",
                    median(pass1), median(pass2), peakRss());
        }
    }

    /** CPU time of the whole process: less disturbed than wall time by other work on a shared machine. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (Exception e) {
            return "unknown";
        }
        return "unknown";
    }

    /**
     * Post-ReLU-like maps: each unit has a preferred strength, each map one Gaussian bump at a random place with a
     * log-normal amplitude, plus small noise, clipped at zero.
     */
    static ActivationSource activations(int images, long seed) {
        Random rnd = new Random(seed);
        short[] v = new short[images * UNITS * MAP * MAP];
        float[] scale = new float[UNITS];
        for (int u = 0; u < UNITS; u++) {
            scale[u] = (float) Math.exp(rnd.nextGaussian() * 0.5);
        }
        int p = 0;
        for (int i = 0; i < images; i++) {
            for (int u = 0; u < UNITS; u++) {
                double amp = scale[u] * Math.exp(rnd.nextGaussian() * 0.8) - 0.5;
                double cy = rnd.nextDouble() * MAP;
                double cx = rnd.nextDouble() * MAP;
                double sigma = 0.6 + rnd.nextDouble();
                for (int y = 0; y < MAP; y++) {
                    for (int x = 0; x < MAP; x++) {
                        double d2 = (y + 0.5 - cy) * (y + 0.5 - cy) + (x + 0.5 - cx) * (x + 0.5 - cx);
                        double a = amp * Math.exp(-d2 / (2 * sigma * sigma)) + rnd.nextGaussian() * 0.05;
                        v[p++] = Fp16.fromFloat((float) Math.max(0, a));
                    }
                }
            }
        }
        return new ArrayActivations(v, images, UNITS, MAP, MAP);
    }

    /**
     * Three label layers covering every pixel (object regions, parts inside them, a material) and one image-level
     * scene label; 64 distinct label images are reused so the workload stays small in memory.
     */
    static final class SyntheticLabels implements LabelSource {
        private final ImageLabels[] pool = new ImageLabels[64];
        private final int[] primary = new int[NUM_LABELS];

        SyntheticLabels(int images, long seed) {
            Random rnd = new Random(seed);
            for (int l = 1; l < NUM_LABELS; l++) {
                primary[l] = l % CATEGORIES;
            }
            for (int k = 0; k < pool.length; k++) {
                int[][] layers = new int[3][LABEL * LABEL];
                for (int layer = 0; layer < 3; layer++) {
                    int cells = 2 + rnd.nextInt(6);
                    int[] cellLabel = new int[cells * cells];
                    for (int c = 0; c < cellLabel.length; c++) {
                        cellLabel[c] = 1 + rnd.nextInt(NUM_LABELS - 1);
                    }
                    for (int y = 0; y < LABEL; y++) {
                        for (int x = 0; x < LABEL; x++) {
                            layers[layer][y * LABEL + x] = cellLabel[(y * cells / LABEL) * cells + x * cells / LABEL];
                        }
                    }
                }
                pool[k] = new ImageLabels(LABEL, LABEL, layers, new int[] {1 + rnd.nextInt(NUM_LABELS - 1)});
            }
        }

        @Override
        public int numLabels() {
            return NUM_LABELS;
        }

        @Override
        public int numCategories() {
            return CATEGORIES;
        }

        @Override
        public int[] primaryCategory() {
            return primary;
        }

        @Override
        public ImageLabels labels(int image) {
            return pool[image % pool.length];
        }
    }
}
