package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jdissect.io.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pass 1 and pass 2 of a dataset split into parts and merged (as the Spark job merges its partitions) are pass 1 and
 * pass 2 of the whole: the coarse and refined counts add, the top images merge (ties to the earlier image, across
 * parts too), the tallies add; with parts of one image, empty parts, and coarse values (many ties); in half and in
 * single precision, in the digits one machine reads and in the 8-bit digits of merged partials.
 */
class RadixSelectionTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);
    /** One image, empty, and longer parts. */
    private static final int[][] CUTS = {{0, 1}, {1, 1}, {1, 11}, {11, 12}, {12, 29}};

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** Images {@code from .. to - 1} of {@code all}, as a source of their own. */
    static ArrayActivations part(ArrayActivations all, int from, int to) {
        int per = all.valuesPerImage();
        short[] v = java.util.Arrays.copyOfRange(all.values(), from * per, to * per);
        return new ArrayActivations(v, to - from, all.units(), all.height(), all.width());
    }

    static FloatActivations part(FloatActivations all, int from, int to) {
        int per = all.valuesPerImage();
        float[] v = java.util.Arrays.copyOfRange(all.values(), from * per, to * per);
        return new FloatActivations(v, to - from, all.units(), all.height(), all.width());
    }

    /** Pass 1 over the parts, merged: the coarse partials out of order, each refinement's partials summed. */
    static UnitStats merged(List<ActivationSource> parts, int[] digits, double q, int topk, long[] nonFinite) {
        Precision precision = parts.get(0).precision();
        RadixSelection.Coarse coarse = RadixSelection.Coarse.empty(precision, digits[0], parts.get(0).units());
        int[] from = new int[parts.size()];
        for (int p = 1; p < parts.size(); p++) {
            from[p] = from[p - 1] + parts.get(p - 1).images();
        }
        for (int p : new int[] {4, 0, 2, 1, 3}) {
            int first = from[p];
            coarse = coarse.plus(RadixSelection.coarse(BACKEND, parts.get(p), digits[0], topk, i -> first + i,
                    Progress.NONE), topk);
        }
        RadixSelection.Cut cut = RadixSelection.cut(coarse, nonFinite, q);
        for (int d = 1; d < digits.length; d++) {
            long[] counts = new long[coarse.units() * 2 << digits[d]];
            for (ActivationSource part : parts) {
                counts = RadixSelection.plus(counts, RadixSelection.refine(BACKEND, part, cut, digits[d],
                        Progress.NONE));
            }
            cut = RadixSelection.next(cut, digits[d], counts);
        }
        return RadixSelection.finish(coarse, cut, nonFinite, q);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void halfPartsMergedAreTheWhole(long seed) {
        boolean coarseValues = seed % 2 == 0;
        CpuBackendTest.Case c = CpuBackendTest.randomCase(seed, 29, 6, 4, 5, coarseValues);
        ArrayActivations all = c.acts();
        int topk = 5;
        UnitStats whole = BACKEND.unitStats(all, 0.05, topk, Progress.NONE);
        TallyCounts wholeTally = BACKEND.tally(all, whole.thresholds(), c.labels(), Progress.NONE);

        List<ActivationSource> parts = java.util.Arrays.stream(CUTS)
                .map(cut -> (ActivationSource) part(all, cut[0], cut[1])).toList();
        TallyCounts tally = TallyCounts.zero(all.units(), c.labels().numLabels(), c.labels().numCategories());
        for (int[] cut : CUTS) {
            CpuBackendTest.ListLabels labels = new CpuBackendTest.ListLabels(c.labels().numLabels(),
                    c.labels().numCategories(), c.labels().primaryCategory(),
                    c.labels().images().subList(cut[0], cut[1]));
            tally = tally.plus(BACKEND.tally(part(all, cut[0], cut[1]), whole.thresholds(), labels, Progress.NONE));
        }
        UnitStats merged = merged(parts, RadixSelection.mergedDigits(Precision.FP16), 0.05, topk, null);

        assertSameStats(merged, whole);
        for (int u = 0; u < all.units(); u++) {
            assertThat(whole.thresholds()[u]).isEqualTo(BruteForceTally.threshold(all, u, 0.05));
        }
        assertThat(tally.intersection()).isEqualTo(wholeTally.intersection());
        assertThat(tally.activation()).isEqualTo(wholeTally.activation());
        assertThat(tally.labelPixels()).isEqualTo(wholeTally.labelPixels());
        assertThat(tally.maskPixels()).isEqualTo(wholeTally.maskPixels());
        assertThat(tally.images()).isEqualTo(29);
        if (coarseValues) { // ties in the top lists, so the merge's tie-breaking is what is tested
            assertThat(whole.topValues()[0][0]).isEqualTo(whole.topValues()[0][1]);
        }
    }

    /**
     * Single precision in the 8-bit digits of merged partials (four passes) and in one machine's 11 + 11 + 10: the
     * thresholds of a sort in double, on values of every kind (ties, signed zeros, subnormals, neighbours one ulp
     * apart, values beyond half's range, non-finite ones stored lowest and counted).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void singlePartsMergedAreTheWholeAndASortInDouble(int kind) {
        int images = 29;
        int units = 4;
        float[] v = SinglePrecisionTest.values(kind * 7L + 3, images * units * 6, kind);
        long[] nonFinite = new long[units];
        for (int i = 0; i < v.length; i += 11) { // a few non-finite values, as the cache stores them
            v[i] = -Float.MAX_VALUE;
            nonFinite[(i / 6) % units]++;
        }
        FloatActivations plain = new FloatActivations(v, images, units, 2, 3);
        List<ActivationSource> parts = java.util.Arrays.stream(CUTS)
                .map(cut -> (ActivationSource) part(plain, cut[0], cut[1])).toList();
        for (double q : new double[] {0.005, 0.3, 0.97}) {
            UnitStats merged = merged(parts, RadixSelection.mergedDigits(Precision.FP32), q, 6, nonFinite);
            ActivationSource all = SinglePrecisionTest.withNonFinite(plain, nonFinite);
            UnitStats whole = RadixSelection.unitStats(BACKEND, all, q, 6, RadixSelection.digits(Precision.FP32),
                    Progress.NONE);
            assertSameStats(merged, whole);
            for (int u = 0; u < units; u++) {
                assertThat(merged.thresholds()[u]).as("kind %d q %s unit %d", kind, q, u)
                        .isEqualTo(BruteForceTally.threshold(all, u, q));
            }
        }
    }

    /** -0.0 and +0.0 are two keys, the lower first: a quantile between them is the exact one, of either sign. */
    @Test
    void signedZerosAreOrderedAsTwoValues() {
        float[] v = new float[200];
        for (int i = 0; i < v.length; i++) {
            v[i] = i < 100 ? -0.0f : 0.0f;
        }
        FloatActivations a = new FloatActivations(v, 200, 1, 1, 1);
        // 199 * 0.75 = 149.25: both statistics +0.0; 199 * 0.25 = 49.75: both -0.0; 199 * 0.5 = 99.5: one of each
        for (double q : new double[] {0.25, 0.75, 0.5}) {
            float t = merged(List.of(part(a, 0, 60), part(a, 60, 60), part(a, 60, 150), part(a, 150, 151),
                    part(a, 151, 200)), RadixSelection.mergedDigits(Precision.FP32), q, 3, null).thresholds()[0];
            assertThat(Float.floatToRawIntBits(t)).as("q " + q)
                    .isEqualTo(Float.floatToRawIntBits(BACKEND.unitStats(a, q, 3, Progress.NONE).thresholds()[0]))
                    .isEqualTo(Float.floatToRawIntBits(BruteForceTally.threshold(a, 0, q)));
        }
        UnitStats s = BACKEND.unitStats(a, 0.75, 3, Progress.NONE);
        // the top images: the +0.0 ones (above -0.0), the earliest first
        assertThat(s.topImages()[0]).containsExactly(100, 101, 102);
        assertThat(Float.floatToRawIntBits(s.topValues()[0][0])).isZero();
    }

    /** Half-precision infinities (values that overflowed their scale) are the largest keys, and the top values. */
    @Test
    void halfInfinitiesAreTheLargestKeys() {
        short[] h = new short[40];
        for (int i = 0; i < h.length; i++) {
            h[i] = Fp16.fromFloat(i % 5 == 0 ? Float.POSITIVE_INFINITY : i);
        }
        ArrayActivations a = new ArrayActivations(h, 40, 1, 1, 1);
        UnitStats whole = BACKEND.unitStats(a, 0.25, 3, Progress.NONE);
        UnitStats merged = merged(List.of(part(a, 0, 7), part(a, 7, 7), part(a, 7, 20), part(a, 20, 21),
                part(a, 21, 40)), RadixSelection.mergedDigits(Precision.FP16), 0.25, 3, null);
        assertSameStats(merged, whole);
        // 8 infinities above 32 finite values: the statistics (ranks 29 and 30) are finite, the top images not
        assertThat(whole.thresholds()[0]).isEqualTo(BruteForceTally.threshold(a, 0, 0.25)).isEqualTo(37.25f);
        assertThat(whole.topImages()[0]).containsExactly(0, 5, 10);
        assertThat(whole.topValues()[0]).containsOnly(Float.POSITIVE_INFINITY);
    }

    private static void assertSameStats(UnitStats actual, UnitStats expected) {
        assertThat(actual.thresholds()).isEqualTo(expected.thresholds());
        assertThat(actual.topImages()).isDeepEqualTo(expected.topImages());
        assertThat(actual.topValues()).isDeepEqualTo(expected.topValues());
    }
}
