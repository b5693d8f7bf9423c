package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.jdissect.model.LayerInfo;
import org.jdissect.stats.Fp16;
import org.junit.jupiter.api.Test;

/** The half-precision conversion of a batch against its definition, value by value. */
class CachedValuesTest {
    /**
     * Each finite value becomes {@code Fp16.fromFloat(Math.scalb(x, e[u]))} for its unit's exponent, at every exponent
     * the cache chooses (-100 .. 100, where scaled values fall to subnormal floats and to zero, or grow past half's
     * range), and each non-finite value the lowest half, counted for its unit.
     */
    @Test
    void halvesAreTheScaledValuesRounded() {
        Random rnd = new Random(11);
        int units = 9;
        int images = 3;
        LayerInfo layer = new LayerInfo("l", "Conv", units, 4, 5);
        int hw = 20;
        float[] v = new float[images * units * hw];
        for (int i = 0; i < v.length; i++) {
            int kind = rnd.nextInt(12);
            v[i] = kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : kind == 2 ? Float.MIN_VALUE
                    : kind == 3 ? -Float.MAX_VALUE : (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(200) - 100));
        }
        int[] e = {0, 1, -1, 100, -100, 37, -63, 12, -8};
        long[] nonFinite = new long[units];
        short[] out = new short[v.length];
        CachedValues.toHalves(v, images, layer, e, nonFinite, out);
        long[] expectedNonFinite = new long[units];
        for (int i = 0; i < images; i++) {
            for (int u = 0; u < units; u++) {
                for (int j = 0; j < hw; j++) {
                    int k = (i * units + u) * hw + j;
                    float x = v[k];
                    short expected;
                    if (Float.isFinite(x)) {
                        expected = Fp16.fromFloat(Math.scalb(x, e[u]));
                    } else {
                        expected = CachedValues.NON_FINITE;
                        expectedNonFinite[u]++;
                    }
                    assertThat(out[k]).as("image %d unit %d value %s", i, u, x).isEqualTo(expected);
                }
            }
        }
        assertThat(nonFinite).containsExactly(expectedNonFinite);
    }
}
