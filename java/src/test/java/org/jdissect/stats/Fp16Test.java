package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class Fp16Test {
    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = Fp16.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(f)))).isTrue();
            } else {
                assertThat(Fp16.fromFloat(f) & 0xffff).as("half %04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void knownValues() {
        assertThat(Fp16.toFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Fp16.toFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Fp16.toFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Fp16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Fp16.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(Fp16.fromFloat(1f + 0x1p-11f)).as("tie to even").isEqualTo((short) 0x3c00);
        assertThat(Fp16.fromFloat(1f + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3c01);
        assertThat(Fp16.fromFloat(0x1p-25f)).as("tie to even, subnormal").isEqualTo((short) 0);
        assertThat(Fp16.fromFloat(0x1.8p-24f)).isEqualTo((short) 2);
    }

    @Test
    void roundingIsToNearest() {
        Random rnd = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            float f = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 6));
            float r = Fp16.toFloat(Fp16.fromFloat(f));
            short h = Fp16.fromFloat(f);
            // no other half is strictly closer
            for (int d = -1; d <= 1; d += 2) {
                float other = Fp16.toFloat((short) (h + d));
                if (Float.isNaN(other) || Float.isInfinite(other) || Math.signum(other) * Math.signum(r) < 0) {
                    continue;
                }
                assertThat(Math.abs(other - f)).isGreaterThanOrEqualTo(Math.abs(r - f));
            }
        }
    }

    @Test
    void sortKeyOrdersLikeFloats() {
        Random rnd = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            short a = (short) rnd.nextInt(0x7c00);
            short b = (short) (rnd.nextInt(0x7c00) | (rnd.nextBoolean() ? 0x8000 : 0));
            a = (short) (a | (rnd.nextBoolean() ? 0x8000 : 0));
            float fa = Fp16.toFloat(a);
            float fb = Fp16.toFloat(b);
            if (fa < fb) {
                assertThat(Fp16.sortKey(a)).isLessThan(Fp16.sortKey(b));
            }
            assertThat(Fp16.fromSortKey(Fp16.sortKey(a))).isEqualTo(a);
        }
    }

    @Test
    void firstKeyAboveSplitsKeysExactlyLikeFloatComparison() {
        float[] thresholds = {0f, -0f, 1f, -1f, 0.3333f, 65504f, -65504f, 1e-8f, -1e-8f, 70000f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 6.75f, 0x1p-24f};
        for (float t : thresholds) {
            int above = Fp16.firstKeyAbove(t);
            for (int h = 0; h < 1 << 16; h++) {
                float v = Fp16.toFloat((short) h);
                int key = Fp16.sortKey((short) h);
                boolean byKey = key >= above && key <= Fp16.POSITIVE_INFINITY_KEY;
                assertThat(byKey).as("half %04x vs threshold %s", h, t).isEqualTo(v > t);
            }
        }
    }

    /** The fast path of fromFloat equals the case-by-case conversion: every 61st float bit pattern and every edge. */
    @Test
    void fastConversionEqualsTheCaseByCaseOne() {
        int[] edges = {0, 0x80000000, 0x38800000, 0x387fffff, 0x477ff000, 0x477fefff, 0x477fe000, 0x7f800000,
            0x7f800001, 0x7fc00000, 0x33000000, 0x33000001, 0x3f800fff, 0x3f801000, 0x3f803000, 0x3f802fff};
        for (int e : edges) {
            for (int sign : new int[] {0, 0x80000000}) {
                float f = Float.intBitsToFloat(e | sign);
                assertThat(Fp16.fromFloat(f)).as("bits %08x", e | sign).isEqualTo(Fp16.fromFloatExact(f));
            }
        }
        for (long b = 0; b <= 0xffffffffL; b += 61) {
            float f = Float.intBitsToFloat((int) b);
            short fast = Fp16.fromFloat(f);
            short exact = Fp16.fromFloatExact(f);
            if (fast != exact) {
                assertThat(fast).as("bits %08x", b).isEqualTo(exact);
            }
        }
    }
}
