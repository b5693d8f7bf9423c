package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jdissect.stats.TallyCounts;
import org.junit.jupiter.api.Test;

class ScoringTest {
    /** 2 units, labels 0..4, categories: label 1, 2 -> category 0; label 3, 4 -> category 1. */
    private static final int[] PRIMARY = {-1, 0, 0, 1, 1};

    private static TallyCounts counts(long[] inter, long[] act, long[] labelPixels) {
        return new TallyCounts(2, 5, 2, 10, inter, act, labelPixels, new long[] {100, 0});
    }

    @Test
    void iouUsesTheLabelsPrimaryCategoryActivation() {
        long[] inter = {0, 30, 10, 50, 5, /* unit 2 */ 0, 0, 0, 0, 0};
        long[] act = {80, 100, /* unit 2 */ 0, 0};
        long[] labels = {0, 60, 40, 200, 10};
        List<Scoring.UnitScore> s = Scoring.score(counts(inter, act, labels), PRIMARY);
        Scoring.UnitScore u = s.get(0);
        // category 0: label 1: 30 / (80 + 60 - 30) = 0.2727..; label 2: 10 / (80 + 40 - 10) = 0.0909..
        assertThat(u.perCategory().get(0).label()).isEqualTo(1);
        assertThat(u.perCategory().get(0).iou()).isEqualTo(30.0 / (110 + 1e-10));
        assertThat(u.perCategory().get(0).activation()).isEqualTo(80);
        assertThat(u.perCategory().get(0).truth()).isEqualTo(60);
        // category 1: label 3: 50 / (100 + 200 - 50) = 0.2; label 4: 5 / (100 + 10 - 5) = 0.0476
        assertThat(u.perCategory().get(1).label()).isEqualTo(3);
        assertThat(u.perCategory().get(1).iou()).isEqualTo(50.0 / (250 + 1e-10));
        assertThat(u.category()).isEqualTo(0);
        assertThat(u.label()).isEqualTo(1);
    }

    @Test
    void aSilentUnitGetsLabelZeroInTheLaterCategoryLikeNetDissectLite() {
        List<Scoring.UnitScore> s = Scoring.score(counts(new long[10], new long[4], new long[] {0, 1, 1, 1, 1}),
                PRIMARY);
        assertThat(s.get(1).label()).isZero();
        assertThat(s.get(1).iou()).isZero();
        assertThat(s.get(1).category()).isEqualTo(1);
    }

    @Test
    void tiesGoToTheSmallerLabelAndRankingPutsTheLargerUnitFirst() {
        long[] inter = {0, 10, 10, 0, 0, 0, 10, 10, 0, 0};
        long[] act = {20, 0, 20, 0};
        long[] labels = {0, 10, 10, 5, 5};
        List<Scoring.UnitScore> s = Scoring.score(counts(inter, act, labels), PRIMARY);
        assertThat(s.get(0).label()).isEqualTo(1);
        assertThat(s.get(1).label()).isEqualTo(1);
        assertThat(Scoring.ranked(s)).extracting(Scoring.UnitScore::unit).containsExactly(1, 0);
    }

    @Test
    void summaryCountsInterpretableUnitsConceptsAndCategories() {
        long[] inter = {0, 30, 10, 50, 5, 0, 0, 0, 1, 0};
        long[] act = {80, 100, 0, 1000};
        long[] labels = {0, 60, 40, 200, 10};
        List<Scoring.UnitScore> s = Scoring.score(counts(inter, act, labels), PRIMARY);
        Summary sum = Summary.of(s, List.of("colour", "object"), 0.04);
        assertThat(sum.interpretable()).isEqualTo(1);
        assertThat(sum.uniqueConcepts()).isEqualTo(1);
        assertThat(sum.unitsPerCategory()).containsEntry("colour", 1).containsEntry("object", 0);
        assertThat(sum.headline()).isEqualTo("1/2 units covering 1 concepts with IoU >= 0.04");
    }
}
