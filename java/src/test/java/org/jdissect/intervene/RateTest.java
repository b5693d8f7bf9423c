package org.jdissect.intervene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Wilson intervals against published values (Newcombe, Stat. Med. 1998, Table I, method 3) and by hand. */
class RateTest {
    @Test
    void wilsonMatchesPublishedValues() {
        Rate a = Rate.wilson(81, 263, 0.95);
        assertThat(a.lo()).isCloseTo(0.2553, within(5e-5));
        assertThat(a.hi()).isCloseTo(0.3662, within(5e-5));
        Rate b = Rate.wilson(0, 20, 0.95);
        assertThat(b.lo()).isEqualTo(0.0);
        assertThat(b.hi()).isCloseTo(0.1611, within(5e-5));
        Rate c = Rate.wilson(1, 29, 0.95);
        assertThat(c.lo()).isCloseTo(0.0061, within(5e-5));
        assertThat(c.hi()).isCloseTo(0.1718, within(5e-5));
        // by hand: centre (5 + z^2/2) / (10 + z^2) = 0.5, half-width z sqrt(2.5 + z^2/4) / (10 + z^2)
        Rate d = Rate.wilson(5, 10, 0.95);
        assertThat(d.lo()).isCloseTo(0.2366, within(5e-5));
        assertThat(d.hi()).isCloseTo(0.7634, within(5e-5));
        assertThat(Rate.wilson(20, 20, 0.95).hi()).isEqualTo(1.0);
    }

    @Test
    void significanceNeedsDisjointIntervals() {
        // 15/20 vs 10/20: a large drop on few images overlaps, so it is not called significant
        assertThat(Rate.wilson(15, 20, 0.95).differsFrom(Rate.wilson(10, 20, 0.95))).isFalse();
        assertThat(Rate.wilson(150, 200, 0.95).differsFrom(Rate.wilson(100, 200, 0.95))).isTrue();
    }

    @Test
    void balancedAccuracyIsTheMeanOfRecallAndSpecificity() {
        Rate ba = Rate.balanced(10, 10, 5, 20, 0.95);
        assertThat(ba.value()).isEqualTo(0.625);
        Rate recall = Rate.wilson(10, 10, 0.975);
        Rate tnr = Rate.wilson(5, 20, 0.975);
        assertThat(ba.lo()).isEqualTo((recall.lo() + tnr.lo()) / 2);
        assertThat(ba.hi()).isEqualTo((recall.hi() + tnr.hi()) / 2);
        assertThat(ba.n()).isEqualTo(30);
        assertThat(ba.k()).isEqualTo(-1);
        ClassScores s = ClassScores.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, -1}, 2, 0.95);
        assertThat(s.accuracy().value()).isEqualTo(0.5);
        assertThat(s.classes().get(0).accuracy().value()).isEqualTo(0.5);
        assertThat(s.classes().get(0).balancedAccuracy().value()).isEqualTo(0.75); // recall 1/2, TNR 2/2
        assertThat(s.classes().get(1).balancedAccuracy().value()).isEqualTo(0.5);  // recall 1/2, TNR 1/2
    }

    /** The edges: no trials, a class with no positives or no negatives, intervals that touch. */
    @Test
    void edges() {
        Rate none = Rate.wilson(0, 0, 0.95);
        assertThat(none.value()).isNaN();
        assertThat(none.lo()).isZero();
        assertThat(none.hi()).isEqualTo(1.0);
        // without positives the balanced accuracy is the specificity alone, without negatives the recall alone
        Rate onlyNegatives = Rate.balanced(0, 0, 5, 20, 0.95);
        Rate tnr = Rate.wilson(5, 20, 0.975);
        assertThat(onlyNegatives.value()).isEqualTo(tnr.value());
        assertThat(onlyNegatives.lo()).isEqualTo(tnr.lo());
        assertThat(onlyNegatives.hi()).isEqualTo(tnr.hi());
        assertThat(onlyNegatives.n()).isEqualTo(20);
        Rate onlyPositives = Rate.balanced(3, 4, 0, 0, 0.95);
        assertThat(onlyPositives.value()).isEqualTo(0.75);
        assertThat(onlyPositives.hi()).isEqualTo(Rate.wilson(3, 4, 0.975).hi());
        // intervals that only touch are not disjoint; one an ulp apart are
        Rate a = new Rate(0.2, 0.1, 0.3, 2, 10);
        assertThat(a.differsFrom(new Rate(0.5, 0.3, 0.7, 5, 10))).isFalse();
        assertThat(new Rate(0.5, 0.3, 0.7, 5, 10).differsFrom(a)).isFalse();
        assertThat(a.differsFrom(new Rate(0.5, Math.nextUp(0.3), 0.7, 5, 10))).isTrue();
        assertThat(new Rate(0.5, Math.nextUp(0.3), 0.7, 5, 10).differsFrom(a)).isTrue();
    }
}
