package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpsamplingTest {
    /**
     * The code's resizing against its definition written again ({@link ReferenceResize}), bit for bit, over map
     * sizes 1 to 16 and label sizes that grow, keep and shrink, square and not: a change to the arithmetic (an
     * interpolation written {@code a + f * (b - a)}, a scale computed in double) shows here even where it moves no
     * mask pixel of a random tally.
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
        // targets at source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (reads 1 and 1)
        assertThat(a.i0()).containsExactly(0, 0, 0, 1);
        assertThat(a.i1()).containsExactly(1, 1, 1, 1);
        assertThat(a.f()).containsExactly(0f, 0.25f, 0.75f, 0.25f);
        float[] up = Upsampling.upsample(new float[] {0, 4, 8, 12}, 2, 2, a, a);
        assertThat(java.util.Arrays.copyOfRange(up, 0, 4)).containsExactly(0f, 1f, 3f, 4f);
        assertThat(java.util.Arrays.copyOfRange(up, 4, 8)).containsExactly(2f, 3f, 5f, 6f);
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
        assertThat(a.interpolates()).isFalse();
        assertThat(a.first()).containsExactly(0, 1);
        assertThat(a.count()).containsExactly(3, 3);
        assertThat(a.weight()).containsExactly(0.75 / 1.75, 0.75 / 1.75, 0.25 / 1.75, 0.25 / 1.75, 0.75 / 1.75,
                0.75 / 1.75);
        assertThat(a.sample(new float[] {7, 0, 0, 0}, 0, 1, 0)).isEqualTo((float) (0.75 / 1.75 * 7));
        assertThat(a.lo(1)).isEqualTo(1);
        assertThat(a.hi(1)).isEqualTo(3);
    }

    @Test
    void aFlatRegionStaysExactlyFlatWhenShrinking() {
        for (int in = 2; in < 40; in++) {
            for (int out = 1; out < in; out++) {
                Upsampling.Axis a = Upsampling.axis(in, out);
                float[] line = new float[in];
                java.util.Arrays.fill(line, 0.45f);
                for (int i = 0; i < out; i++) {
                    assertThat(a.sample(line, 0, 1, i)).as("%d -> %d at %d", in, out, i).isEqualTo(0.45f);
                }
            }
        }
    }
}
