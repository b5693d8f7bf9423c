package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpsamplingTest {
    /**
     * The code's resizing against its definition written again ({@link ReferenceResize}), bit for bit, over map
     * sizes 1 to 16 and label sizes that grow, keep and shrink, square and not: a change to the arithmetic (a weight
     * divided where PIL multiplies by the reciprocal, a sum begun elsewhere than 0.0, a pass in float) shows here
     * even where it moves no mask pixel of a random tally. PilResizeTest checks both against PIL itself.
     */
    @Test
    void resizingEqualsItsDefinitionBitForBit() {
        java.util.Random rnd = new java.util.Random(5);
        int[] outs = {1, 2, 3, 5, 7, 8, 13, 16, 23, 31, 56, 64, 97, 112};
        int checked = 0;
        for (int h = 1; h <= 16; h++) {
            for (int w : new int[] {1, 3, 7, 9, 16}) {
                float[] map = new float[h * w];
                for (int k = 0; k < map.length; k++) {
                    map[k] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 3));
                }
                int oh = outs[rnd.nextInt(outs.length)];
                int ow = outs[rnd.nextInt(outs.length)];
                float[] got = Upsampling.upsample(map, h, w, Upsampling.axis(h, oh), Upsampling.axis(w, ow));
                float[] want = ReferenceResize.resize(map, h, w, oh, ow);
                for (int k = 0; k < want.length; k++) {
                    assertThat(Float.floatToIntBits(got[k])).as("%dx%d -> %dx%d pixel %d", h, w, oh, ow, k)
                            .isEqualTo(Float.floatToIntBits(want[k]));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    @Test
    void growingAxisUsesHalfPixelCentresAndClampedEdges() {
        Upsampling.Axis a = Upsampling.axis(2, 4);
        // centres 0.25, 0.75, 1.25, 1.75: one tap at each edge, two between, weights 1 - |x - c + 0.5|
        assertThat(a.first()).containsExactly(0, 0, 0, 1);
        assertThat(a.count()).containsExactly(1, 2, 2, 1);
        assertThat(a.twoTaps()).isTrue();
        assertThat(a.i0()).containsExactly(0, 0, 0, 1);
        assertThat(a.i1()).containsExactly(-1, 1, 1, -1);
        assertThat(a.k0()).containsExactly(1.0, 0.75, 0.25, 1.0);
        assertThat(a.k1()).containsExactly(0.0, 0.25, 0.75, 0.0);
        float[] up = Upsampling.upsample(new float[] {0, 4, 8, 12}, 2, 2, a, a);
        assertThat(java.util.Arrays.copyOfRange(up, 0, 4)).containsExactly(0f, 1f, 3f, 4f);
        assertThat(java.util.Arrays.copyOfRange(up, 4, 8)).containsExactly(2f, 3f, 5f, 6f);
    }

    /**
     * 3 -> 47, target 23: the centre 1.4999999999999998 makes {@code c + 1.5} round up to 3.0, so PIL reads three
     * samples, the first with weight 2.2e-16 and the third with weight 0. The two-tap tables keep the two of
     * non-zero weight; an infinity on the third sample makes PIL's value NaN (inf * 0), and {@code sample} too.
     */
    @Test
    void aThirdTapOfWeightZeroIsReadAsPilReadsIt() {
        Upsampling.Axis a = Upsampling.axis(3, 47);
        assertThat(a.first()[23]).isZero();
        assertThat(a.count()[23]).isEqualTo(3);
        assertThat(a.weight()[a.offset()[23] + 2]).isZero();
        assertThat(a.weight()[a.offset()[23]]).isPositive().isLessThan(1e-15);
        assertThat(a.i0()[23]).isZero();
        assertThat(a.i1()[23]).isEqualTo(1);
        double[] finite = {1e30f, 2f, 5f};
        double[] fast = new double[47];
        a.pass(finite, 0, fast, 0, 0, 46, true);
        assertThat((float) fast[23]).isEqualTo(a.sample(finite, 0, 1, 23));
        assertThat(a.sample(new double[] {1f, 2f, Float.POSITIVE_INFINITY}, 0, 1, 23)).isNaN();
        assertThat(a.maxTaps()).isEqualTo(3);
    }

    /**
     * The horizontal pass from the two-tap tables gives {@code sample}'s values on finite lines (up to the sign of a
     * zero result, which no comparison sees), and the general loop exactly them.
     */
    @Test
    void thePassGivesTheSampledValues() {
        java.util.Random rnd = new java.util.Random(12);
        int checked = 0;
        for (int in = 1; in <= 24; in++) {
            for (int out = 1; out <= 60; out++) {
                Upsampling.Axis a = Upsampling.axis(in, out);
                double[] line = new double[in + 2];
                for (int k = 0; k < line.length; k++) {
                    line[k] = rnd.nextInt(4) == 0 ? 0.5f : (float) (rnd.nextGaussian() * 3);
                }
                double[] fast = new double[out + 1];
                double[] general = new double[out + 1];
                a.pass(line, 2, fast, 1, 0, out - 1, true);
                a.pass(line, 2, general, 1, 0, out - 1, false);
                for (int i = 0; i < out; i++) {
                    float want = a.sample(line, 2, 1, i);
                    assertThat(fast[1 + i] == want).as("%d -> %d at %d", in, out, i).isTrue();
                    assertThat(Float.floatToRawIntBits((float) general[1 + i])).as("%d -> %d at %d", in, out, i)
                            .isEqualTo(Float.floatToRawIntBits(want));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(30_000);
    }

    /** The tally's comparison without rounding: {@code d > cut(t)} exactly when {@code (float) d > t}. */
    @Test
    void cutDecidesAsTheRoundedComparison() {
        java.util.Random rnd = new java.util.Random(9);
        java.util.List<Float> ts = new java.util.ArrayList<>(java.util.List.of(0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, 1f - 0x1p-24f, 2f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.47451f, 3f));
        for (int k = 0; k < 20_000; k++) {
            ts.add(Float.intBitsToFloat(rnd.nextInt()));
            ts.add((float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 10)));
        }
        int checked = 0;
        for (float t : ts) {
            double c = Upsampling.cut(t);
            java.util.List<Double> ds = new java.util.ArrayList<>();
            for (double base : new double[] {t, Math.nextUp(t), Math.nextDown(t), c}) {
                if (Double.isNaN(base)) {
                    continue;
                }
                ds.add(base);
                ds.add(Math.nextUp(base));
                ds.add(Math.nextDown(base));
                ds.add((base + Math.nextUp((float) base)) / 2);
                ds.add((base + Math.nextDown((float) base)) / 2);
            }
            ds.add(Double.NaN);
            ds.add(Double.MAX_VALUE);
            ds.add(-Double.MAX_VALUE);
            ds.add(rnd.nextGaussian());
            for (double d : ds) {
                assertThat(d > c).as("d = %s, t = %s, cut %s", d, t, c).isEqualTo((float) d > t);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(500_000);
    }

    @Test
    void sameSizeIsTheIdentity() {
        Upsampling.Axis a = Upsampling.axis(7, 7);
        float[] map = new float[49];
        for (int i = 0; i < 49; i++) {
            map[i] = (float) Math.sin(i);
        }
        assertThat(Upsampling.upsample(map, 7, 7, a, a)).containsExactly(map);
    }

    @Test
    void shrinkingAxisUsesPilsWidenedTriangle() {
        // 4 -> 2: centres 1 and 3, support 2: taps 0..2 and 1..3, weights 1 - |x - c + 0.5| / 2 normalised
        Upsampling.Axis a = Upsampling.axis(4, 2);
        assertThat(a.twoTaps()).isFalse();
        assertThat(a.first()).containsExactly(0, 1);
        assertThat(a.count()).containsExactly(3, 3);
        assertThat(a.weight()).containsExactly(0.75 / 1.75, 0.75 / 1.75, 0.25 / 1.75, 0.25 / 1.75, 0.75 / 1.75,
                0.75 / 1.75);
        assertThat(a.sample(new double[] {7, 0, 0, 0}, 0, 1, 0)).isEqualTo((float) (0.75 / 1.75 * 7));
        assertThat(a.lo(1)).isEqualTo(1);
        assertThat(a.hi(1)).isEqualTo(3);
    }

    @Test
    void aFlatRegionStaysExactlyFlatWhenShrinking() {
        for (int in = 2; in < 40; in++) {
            for (int out = 1; out < in; out++) {
                Upsampling.Axis a = Upsampling.axis(in, out);
                double[] line = new double[in];
                java.util.Arrays.fill(line, 0.45f);
                for (int i = 0; i < out; i++) {
                    assertThat(a.sample(line, 0, 1, i)).as("%d -> %d at %d", in, out, i).isEqualTo(0.45f);
                }
            }
        }
    }
}
