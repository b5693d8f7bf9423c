package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jdissect.io.Progress;
import org.jdissect.data.ImageLabels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpuBackendTest {
    private static final CpuBackend BACKEND = new CpuBackend(3);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** A random dataset: odd map and label sizes, several layers, image-level labels, unlabelled images. */
    record Case(ArrayActivations acts, ListLabels labels) {
    }

    record ListLabels(int numLabels, int numCategories, int[] primaryCategory, List<ImageLabels> images)
            implements LabelSource {
        @Override
        public ImageLabels labels(int image) {
            return images.get(image);
        }
    }

    static Case randomCase(long seed, int images, int units, int h, int w, boolean coarseValues) {
        return randomCase(seed, images, units, h, w, coarseValues, null);
    }

    /** With every label map of size {@code oneSize} (sh, sw) where it is not null. */
    static Case randomCase(long seed, int images, int units, int h, int w, boolean coarseValues, int[] oneSize) {
        Random rnd = new Random(seed);
        int numLabels = 17;
        int numCats = 3;
        int[] primary = new int[numLabels];
        for (int l = 0; l < numLabels; l++) {
            primary[l] = rnd.nextInt(numCats);
        }
        int[][] sizes = {{13, 11}, {8, 8}, {7, 9}, {h, w}, {2 * h + 1, 3 * w}, {2, 2},
            {Math.max(1, h / 2), w + 4}, {h + 3, Math.max(1, w - 1)}}; // growing, shrinking and mixed axes
        List<ImageLabels> list = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int[] size = oneSize != null ? oneSize : sizes[rnd.nextInt(sizes.length)];
            int sh = size[0];
            int sw = size[1];
            int nLayers = rnd.nextInt(4);
            int[][] layers = new int[nLayers][sh * sw];
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
                imageLevel[j] = 1 + rnd.nextInt(numLabels - 1);
            }
            list.add(new ImageLabels(sh, sw, layers, imageLevel));
        }
        float[] values = new float[images * units * h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = coarseValues ? rnd.nextInt(40) * 0.25f : (float) (rnd.nextGaussian() * 2);
        }
        return new Case(ArrayActivations.ofFloats(values, images, units, h, w),
                new ListLabels(numLabels, numCats, primary, list));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void tallyEqualsBruteForce(long seed) {
        boolean coarse = seed % 2 == 0; // many ties at the threshold
        Case c = randomCase(seed, 23, 7, 5, 3, coarse);
        UnitStats stats = BACKEND.unitStats(c.acts(), 0.05, 4, Progress.NONE);
        TallyCounts fast = BACKEND.tally(c.acts(), stats.thresholds(), c.labels(), Progress.NONE);
        TallyCounts slow = BruteForceTally.tally(c.acts(), stats.thresholds(), c.labels());
        assertThat(fast.maskPixels()).isEqualTo(slow.maskPixels());
        assertThat(fast.labelPixels()).isEqualTo(slow.labelPixels());
        assertThat(fast.intersection()).isEqualTo(slow.intersection());
        assertThat(fast.activation()).isEqualTo(slow.activation());
        assertThat(fast.images()).isEqualTo(23);
        assertThat(java.util.Arrays.stream(fast.maskPixels()).sum()).as("some unit fires").isPositive();
    }

    /**
     * A tally in chunks of three images whose label source reads each image into the arrays of the slot's earlier
     * image where they fit (as the inference pass's kept runs are read): the counts are brute force's, so no slot
     * keeps an earlier image's labels and no map is overwritten while its chunk is counted.
     */
    @Test
    void tallyInChunksWithReusedLabelArraysEqualsBruteForce() {
        Case c = randomCase(21, 19, 5, 5, 3, false, new int[] {11, 7}); // one size, as a dataset's maps mostly are
        ActivationSource chunked = new ActivationSource() {
            @Override public int images() {
                return c.acts().images();
            }
            @Override public int units() {
                return c.acts().units();
            }
            @Override public int height() {
                return c.acts().height();
            }
            @Override public int width() {
                return c.acts().width();
            }
            @Override public void read(int first, int count, short[] dst) {
                c.acts().read(first, count, dst);
            }
            @Override public void readFloats(int first, int count, float[] dst) {
                c.acts().readFloats(first, count, dst);
            }
            @Override public Precision precision() {
                return c.acts().precision();
            }
            @Override public int imagesPerChunk(int maxValues) {
                return 3;
            }
        };
        java.util.concurrent.atomic.AtomicInteger reused = new java.util.concurrent.atomic.AtomicInteger();
        LabelSource copying = new LabelSource() {
            @Override public int numLabels() {
                return c.labels().numLabels();
            }
            @Override public int numCategories() {
                return c.labels().numCategories();
            }
            @Override public int[] primaryCategory() {
                return c.labels().primaryCategory();
            }
            @Override public ImageLabels labels(int image) {
                return c.labels().labels(image);
            }
            @Override
            public ImageLabels labels(int image, ImageLabels reuse) {
                ImageLabels il = labels(image);
                int[][] layers = new int[il.layers().length][];
                for (int l = 0; l < layers.length; l++) {
                    boolean fits = reuse != null && reuse.layers().length == layers.length
                            && reuse.layers()[l].length == il.layers()[l].length;
                    layers[l] = fits ? reuse.layers()[l] : new int[il.layers()[l].length];
                    reused.addAndGet(fits ? 1 : 0);
                    System.arraycopy(il.layers()[l], 0, layers[l], 0, layers[l].length);
                }
                return new ImageLabels(il.sh(), il.sw(), layers, il.imageLevel());
            }
        };
        UnitStats stats = BACKEND.unitStats(chunked, 0.05, 4, Progress.NONE);
        TallyCounts fast = BACKEND.tally(chunked, stats.thresholds(), copying, Progress.NONE);
        TallyCounts slow = BruteForceTally.tally(c.acts(), stats.thresholds(), c.labels());
        assertThat(reused.get()).as("some arrays were reused").isPositive();
        assertThat(fast.maskPixels()).isEqualTo(slow.maskPixels());
        assertThat(fast.labelPixels()).isEqualTo(slow.labelPixels());
        assertThat(fast.intersection()).isEqualTo(slow.intersection());
        assertThat(fast.activation()).isEqualTo(slow.activation());
    }

    @Test
    void tallyWithGivenThresholdsIncludingTiesAndEmptyMasks() {
        Case c = randomCase(11, 9, 4, 7, 7, true);
        float[] t = {0.5f, 1.0f, 2.5f, 100f}; // values are multiples of 0.5: ties; the last unit never fires
        TallyCounts fast = BACKEND.tally(c.acts(), t, c.labels(), Progress.NONE);
        TallyCounts slow = BruteForceTally.tally(c.acts(), t, c.labels());
        assertThat(fast.intersection()).isEqualTo(slow.intersection());
        assertThat(fast.activation()).isEqualTo(slow.activation());
        assertThat(fast.maskPixels()[3]).isZero();
    }

    /**
     * Thresholds set at resized values themselves (computed by the definition, not the code), so that every mask's
     * edge runs through pixels whose value equals the threshold: a one-ulp change anywhere in the tally's resizing
     * moves pixels in or out, and the counts differ from brute force.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void tallyAtThresholdsOnResizedValuesEqualsBruteForce(long seed) {
        Case c = randomCase(seed, 17, 5, 7, 7, false);
        Random rnd = new Random(seed);
        float[] t = new float[5];
        float[] map = new float[49];
        float[] all = new float[c.acts().values().length];
        c.acts().readFloats(0, c.acts().images(), all);
        for (int u = 0; u < 5; u++) {
            int image = rnd.nextInt(17);
            ImageLabels il = c.labels().labels(image);
            System.arraycopy(all, (image * 5 + u) * 49, map, 0, 49);
            float[] up = ReferenceResize.resize(map, 7, 7, il.sh(), il.sw());
            // a value in the upper part of the map, so the mask is neither empty nor everything
            float[] sorted = up.clone();
            java.util.Arrays.sort(sorted);
            t[u] = sorted[(int) (sorted.length * 0.8)];
        }
        TallyCounts fast = BACKEND.tally(c.acts(), t, c.labels(), Progress.NONE);
        TallyCounts slow = BruteForceTally.tally(c.acts(), t, c.labels());
        assertThat(fast.maskPixels()).isEqualTo(slow.maskPixels());
        assertThat(fast.intersection()).isEqualTo(slow.intersection());
        assertThat(fast.activation()).isEqualTo(slow.activation());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.005, 0.05, 0.5, 0.9})
    void thresholdEqualsFullSort(double q) {
        Case c = randomCase(7, 31, 6, 7, 7, false);
        UnitStats stats = BACKEND.unitStats(c.acts(), q, 3, Progress.NONE);
        for (int u = 0; u < 6; u++) {
            assertThat(stats.thresholds()[u]).as("unit %d", u).isEqualTo(BruteForceTally.threshold(c.acts(), u, q));
        }
    }

    @Test
    void thresholdWithTiesAndChunking() {
        Case c = randomCase(8, 200, 3, 2, 2, true);
        UnitStats stats = BACKEND.unitStats(c.acts(), 0.2, 0, Progress.NONE);
        for (int u = 0; u < 3; u++) {
            assertThat(stats.thresholds()[u]).isEqualTo(BruteForceTally.threshold(c.acts(), u, 0.2));
        }
    }

    @Test
    void thresholdInterpolatesBetweenOrderStatistics() {
        // one unit, values 0..9 on a 1x1 map of 10 images: h = 9 * 0.75 = 6.75 -> 6 + 0.75 = 6.75
        float[] v = new float[10];
        for (int i = 0; i < 10; i++) {
            v[i] = 9 - i;
        }
        UnitStats stats = BACKEND.unitStats(ArrayActivations.ofFloats(v, 10, 1, 1, 1), 0.25, 3, Progress.NONE);
        assertThat(stats.thresholds()[0]).isEqualTo(6.75f);
        assertThat(stats.topImages()[0]).containsExactly(0, 1, 2);
        assertThat(stats.topValues()[0]).containsExactly(9f, 8f, 7f);
    }

    @Test
    void topkByPerImageMaximumTiesToEarlierImage() {
        // 4 images, 1 unit, 1x2 maps: maxima 3, 5, 5, 1
        float[] v = {3, -1, 0, 5, 5, 2, 1, 1};
        UnitStats stats = BACKEND.unitStats(ArrayActivations.ofFloats(v, 4, 1, 1, 2), 0.5, 3, Progress.NONE);
        assertThat(stats.topImages()[0]).containsExactly(1, 2, 0);
        assertThat(stats.topValues()[0]).containsExactly(5f, 5f, 3f);
    }

    @Test
    void singleThreadAgreesWithMany() {
        Case c = randomCase(21, 40, 9, 4, 6, false);
        try (CpuBackend one = new CpuBackend(1)) {
            UnitStats a = one.unitStats(c.acts(), 0.01, 5, Progress.NONE);
            UnitStats b = BACKEND.unitStats(c.acts(), 0.01, 5, Progress.NONE);
            assertThat(a.thresholds()).isEqualTo(b.thresholds());
            assertThat(a.topImages()).isDeepEqualTo(b.topImages());
            TallyCounts ta = one.tally(c.acts(), a.thresholds(), c.labels(), Progress.NONE);
            TallyCounts tb = BACKEND.tally(c.acts(), a.thresholds(), c.labels(), Progress.NONE);
            assertThat(ta.intersection()).isEqualTo(tb.intersection());
            assertThat(ta.activation()).isEqualTo(tb.activation());
            assertThat(ta.labelPixels()).isEqualTo(tb.labelPixels()); // summed from one row per loading thread
        }
    }

    /**
     * A label outside 0 .. numLabels - 1 fails the tally with a message naming it, wherever it lies: after the first
     * pixel of a layer (the check rides on the label-pixel runs), at a layer's last pixel, or among the image-level
     * labels; negative ones too.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void labelOutsideTheRangeFailsTheTally(int where) {
        int numLabels = 5;
        int[] layer = {1, 1, 2, 2, 0, 0, 3, 3, 4};
        int[] imageLevel = {2};
        int bad = where == 3 ? -1 : 5;
        switch (where) {
            case 0 -> layer[4] = bad;
            case 1 -> layer[8] = bad;
            case 2 -> imageLevel[0] = bad;
            default -> layer[2] = bad;
        }
        List<ImageLabels> list = List.of(new ImageLabels(3, 3, new int[][] {{0, 0, 0, 0, 0, 0, 0, 0, 0}}, new int[0]),
                new ImageLabels(3, 3, new int[][] {layer}, imageLevel));
        ListLabels labels = new ListLabels(numLabels, 1, new int[numLabels], list);
        ActivationSource acts = ArrayActivations.ofFloats(new float[2 * 2 * 2], 2, 1, 2, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                BACKEND.tally(acts, new float[] {0f}, labels, Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("label " + bad + " outside 0..4");
    }

    @Test
    void ablationPerUnitAndPerLocation() {
        // 2 images, 3 units, 2 locations
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] perUnit = x.clone();
        BACKEND.ablate(perUnit, 2, 3, 2, new float[] {1, 0, 0.5f}, new float[] {0, 100, 9});
        assertThat(perUnit).containsExactly(0, 0, 3, 4, 7, 7.5f, 0, 0, 9, 10, 10, 10.5f);
        float[] perLocation = x.clone();
        BACKEND.ablate(perLocation, 2, 3, 2, new float[] {0, 1, 1, 0, 0, 0}, new float[] {-1, 50, 0});
        assertThat(perLocation).containsExactly(1, -1, 50, 4, 5, 6, 7, -1, 50, 10, 11, 12);
    }

    @Test
    void ablationRejectsMismatchedShapes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                BACKEND.ablate(new float[12], 2, 3, 2, new float[4], new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    }

    /** Non-finite values, stored lowest (-65504) and counted per unit, are left out of that unit's quantile. */
    @Test
    void nonFiniteValuesAreLeftOutOfTheQuantile() {
        ActivationSource src = org.jdissect.cuda.CrossCheck.nonFinite(7);
        UnitStats stats = BACKEND.unitStats(src, 0.05, 5, Progress.NONE);
        for (int u = 0; u < src.units(); u++) {
            assertThat(stats.thresholds()[u]).as("unit %d", u).isEqualTo(BruteForceTally.threshold(src, u, 0.05));
            assertThat(stats.thresholds()[u]).isGreaterThan(-65504f);
        }
        // the quantile of all values, sentinels included, would differ: the count matters
        ActivationSource counted = new ArrayActivationsView(src);
        assertThat(BACKEND.unitStats(counted, 0.05, 5, Progress.NONE).thresholds()[3])
                .isNotEqualTo(stats.thresholds()[3]);
    }

    /** The same values with no non-finite counts. */
    private record ArrayActivationsView(ActivationSource src) implements ActivationSource {
        @Override
        public int images() {
            return src.images();
        }

        @Override
        public int units() {
            return src.units();
        }

        @Override
        public int height() {
            return src.height();
        }

        @Override
        public int width() {
            return src.width();
        }

        @Override
        public void read(int first, int count, short[] dst) {
            src.read(first, count, dst);
        }
    }
}
