package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jdissect.io.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pass 1 and pass 2 of a dataset split into parts and merged (as the Spark job merges its partitions) are pass 1 and
 * pass 2 of the whole: the coarse and fine counts add, the top images merge (ties to the earlier image, across
 * parts too), the tallies add; with parts of one image, empty parts, and coarse values (many ties).
 */
class HalfSelectionTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

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

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void partsMergedAreTheWhole(long seed) {
        boolean coarseValues = seed % 2 == 0;
        CpuBackendTest.Case c = CpuBackendTest.randomCase(seed, 29, 6, 4, 5, coarseValues);
        ArrayActivations all = c.acts();
        int topk = 5;
        UnitStats whole = BACKEND.unitStats(all, 0.05, topk, Progress.NONE);
        TallyCounts wholeTally = BACKEND.tally(all, whole.thresholds(), c.labels(), Progress.NONE);

        int[][] cuts = {{0, 1}, {1, 1}, {1, 11}, {11, 12}, {12, 29}}; // one image, empty, and longer parts
        HalfSelection.Coarse coarse = HalfSelection.Coarse.empty(all.units());
        for (int[] cut : List.of(cuts[4], cuts[0], cuts[2], cuts[1], cuts[3])) { // merged out of order
            int from = cut[0];
            HalfSelection.Coarse p = HalfSelection.coarse(BACKEND, part(all, cut[0], cut[1]), topk, i -> from + i,
                    Progress.NONE);
            coarse = coarse.plus(p, topk);
        }
        HalfSelection.Bins bins = HalfSelection.bins(coarse, null, 0.05);
        long[] fine = new long[all.units() * 512];
        TallyCounts tally = TallyCounts.zero(all.units(), c.labels().numLabels(), c.labels().numCategories());
        for (int[] cut : cuts) {
            ArrayActivations p = part(all, cut[0], cut[1]);
            fine = HalfSelection.plus(fine, HalfSelection.fine(BACKEND, p, bins, Progress.NONE));
            CpuBackendTest.ListLabels labels = new CpuBackendTest.ListLabels(c.labels().numLabels(),
                    c.labels().numCategories(), c.labels().primaryCategory(),
                    c.labels().images().subList(cut[0], cut[1]));
            tally = tally.plus(BACKEND.tally(p, whole.thresholds(), labels, Progress.NONE));
        }
        UnitStats merged = HalfSelection.finish(coarse, bins, fine, null, 0.05);

        assertThat(merged.thresholds()).isEqualTo(whole.thresholds());
        assertThat(merged.topImages()).isDeepEqualTo(whole.topImages());
        assertThat(merged.topValues()).isDeepEqualTo(whole.topValues());
        assertThat(tally.intersection()).isEqualTo(wholeTally.intersection());
        assertThat(tally.activation()).isEqualTo(wholeTally.activation());
        assertThat(tally.labelPixels()).isEqualTo(wholeTally.labelPixels());
        assertThat(tally.maskPixels()).isEqualTo(wholeTally.maskPixels());
        assertThat(tally.images()).isEqualTo(29);
        if (coarseValues) { // ties in the top lists, so the merge's tie-breaking is what is tested
            assertThat(whole.topValues()[0][0]).isEqualTo(whole.topValues()[0][1]);
        }
    }
}
