package org.jdissect.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class SquareAttackTest {
    /**
     * A linear model: output 0 is 0; output k > 0 is {@code 0.05 x sum of w_k[j] x (x[j] - 128) / 255} with random
     * signs w_k, so no single pixel decides and the attack must find most signs.
     */
    private static final class Linear implements SquareAttack.Model {
        final int[][] w;
        int largestBatch;

        Linear(int outputs, int values, long seed) {
            Random r = new Random(seed);
            w = new int[outputs][values];
            for (int k = 1; k < outputs; k++) {
                for (int j = 0; j < values; j++) {
                    w[k][j] = r.nextBoolean() ? 1 : -1;
                }
            }
        }

        @Override
        public float[][] outputs(List<SquareAttack.Candidate> images) {
            largestBatch = Math.max(largestBatch, images.size());
            float[][] out = new float[images.size()][w.length];
            for (int i = 0; i < images.size(); i++) {
                float[] x = images.get(i).pixels();
                for (int k = 1; k < w.length; k++) {
                    double s = 0;
                    for (int j = 0; j < x.length; j++) {
                        s += w[k][j] * (x[j] - 128) / 255.0;
                    }
                    out[i][k] = (float) (0.05 * s);
                }
            }
            return out;
        }
    }

    /**
     * Images the linear model calls output 0: each value 128 - w_1 x a with a in 0..4 (and likewise for the other
     * outputs' signs where they agree), so output 1 is below 0 by about 2 levels' worth, a quarter of what an
     * 8-level budget can move.
     */
    private static List<SquareAttack.Start> nearBoundary(Linear m, int n, int size, int target, long seed) {
        Random r = new Random(seed);
        List<SquareAttack.Start> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] px = new float[3 * size * size];
            for (int j = 0; j < px.length; j++) {
                int push = 0;
                for (int k = 1; k < m.w.length; k++) {
                    push += m.w[k][j];
                }
                px[j] = 128 - Integer.signum(push) * r.nextInt(5);
            }
            list.add(new SquareAttack.Start(px, size, size, 0, target, 1000 + i, 1, 1));
        }
        return list;
    }

    private static Map<Integer, SquareAttack.Result> run(SquareAttack a, List<SquareAttack.Start> starts,
                                                          SquareAttack.Model m) {
        Map<Integer, SquareAttack.Result> out = new TreeMap<>();
        a.run(starts, m, out::put, k -> { });
        return out;
    }

    private static void assertInBudget(SquareAttack.Start s, SquareAttack.Result r, int epsilon) {
        float[] x = s.pixels();
        for (int j = 0; j < x.length; j++) {
            float v = r.adversarial()[j];
            assertThat(v).isBetween(0f, 255f);
            assertThat(v).isEqualTo((float) Math.rint(v));
            assertThat(Math.abs(v - x[j])).isLessThanOrEqualTo(epsilon);
        }
    }

    @Test
    void untargetedSucceedsOnWholeLevelsInsideTheBudget() {
        Linear m = new Linear(2, 3 * 16 * 16, 7);
        List<SquareAttack.Start> starts = nearBoundary(m, 6, 16, -1, 1);
        for (SquareAttack.Start s : starts) {
            float[] o = m.outputs(List.of(new SquareAttack.Candidate(s.pixels(), 16, 16)))[0];
            assertThat(o[1]).as("clean images are output 0").isNegative();
        }
        Map<Integer, SquareAttack.Result> res = run(new SquareAttack(8, 500, 4), starts, m);
        assertThat(res).hasSize(6);
        assertThat(m.largestBatch).isEqualTo(4);
        for (var e : res.entrySet()) {
            SquareAttack.Result r = e.getValue();
            assertThat(r.success()).as("image %d", e.getKey()).isTrue();
            assertThat(r.queries()).isBetween(1, 500);
            assertInBudget(starts.get(e.getKey()), r, 8);
            float[] o = m.outputs(List.of(new SquareAttack.Candidate(r.adversarial(), 16, 16)))[0];
            assertThat(o).containsExactly(r.outputs());
            assertThat(o[1]).isGreaterThan(o[0]);
            assertThat(r.loss()).isEqualTo(SquareAttack.loss(o, 0, -1)).isNegative();
        }
    }

    @Test
    void targetedReachesTheTargetNotJustAnyOtherOutput() {
        Linear m = new Linear(3, 3 * 16 * 16, 11);
        List<SquareAttack.Start> starts = nearBoundary(m, 4, 16, 2, 2);
        Map<Integer, SquareAttack.Result> res = run(new SquareAttack(8, 1500, 8), starts, m);
        for (var e : res.entrySet()) {
            SquareAttack.Result r = e.getValue();
            assertThat(r.success()).as("image %d", e.getKey()).isTrue();
            assertInBudget(starts.get(e.getKey()), r, 8);
            float[] o = r.outputs();
            assertThat(o[2]).isGreaterThan(o[0]).isGreaterThan(o[1]);
        }
    }

    @Test
    void anImageIsAttackedTheSameWhateverItIsBatchedWith() {
        Random r = new Random(5);
        List<SquareAttack.Start> starts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            float[] px = new float[3 * 12 * 10];
            for (int j = 0; j < px.length; j++) {
                // values at the ends of the range too, where a step of +-epsilon is clipped
                px[j] = j % 7 == 0 ? 0 : j % 11 == 0 ? 255 : r.nextInt(256);
            }
            starts.add(new SquareAttack.Start(px, 10, 12, 0, -1, 77 + i, 1, 1));
        }
        // a model that never lets the attack succeed: every image spends its whole budget, every draw is compared
        SquareAttack.Model stubborn = images -> {
            float[][] out = new float[images.size()][];
            for (int i = 0; i < images.size(); i++) {
                double s = 0;
                for (float v : images.get(i).pixels()) {
                    s += v;
                }
                out[i] = new float[] {1000f, (float) (s / 1e6)};
            }
            return out;
        };
        Map<Integer, SquareAttack.Result> one = run(new SquareAttack(6, 60, 1), starts, stubborn);
        Map<Integer, SquareAttack.Result> five = run(new SquareAttack(6, 60, 5), starts, stubborn);
        Map<Integer, SquareAttack.Result> alone = run(new SquareAttack(6, 60, 3), List.of(starts.get(3)), stubborn);
        for (int i = 0; i < 5; i++) {
            assertThat(one.get(i).success()).isFalse();
            assertThat(one.get(i).queries()).isEqualTo(60);
            assertThat(five.get(i).adversarial()).containsExactly(one.get(i).adversarial());
            assertThat(five.get(i).loss()).isEqualTo(one.get(i).loss());
            assertInBudget(starts.get(i), one.get(i), 6);
        }
        assertThat(alone.get(0).adversarial()).containsExactly(one.get(3).adversarial());
        // and the search moved: the best candidate is not the clean image
        assertThat(one.get(0).adversarial()).isNotEqualTo(starts.get(0).pixels());
    }

    @Test
    void thePerturbationIsConstantOverEachCell() {
        float[] px = new float[3 * 16 * 16];
        java.util.Arrays.fill(px, 100f);
        SquareAttack.Start s = new SquareAttack.Start(px, 16, 16, 0, -1, 3, 2, 2);
        SquareAttack.Model stubborn = images -> {
            float[][] out = new float[images.size()][];
            Random r = new Random(images.size());
            for (int i = 0; i < images.size(); i++) {
                out[i] = new float[] {1000f, r.nextFloat()};
            }
            return out;
        };
        SquareAttack.Result res = run(new SquareAttack(8, 40, 1), List.of(s), stubborn).get(0);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    int i = c * 256 + y * 16 + x;
                    int corner = c * 256 + (y / 2 * 2) * 16 + (x / 2 * 2);
                    assertThat(res.adversarial()[i]).isEqualTo(res.adversarial()[corner]);
                    assertThat(Math.abs(res.adversarial()[i] - 100f)).isEqualTo(8f);
                }
            }
        }
        assertThat(SquareAttack.Start.cell(128, 64)).isEqualTo(2);
        assertThat(SquareAttack.Start.cell(64, 64)).isEqualTo(1);
        assertThat(SquareAttack.Start.cell(100, 224)).isEqualTo(1);
        assertThat(SquareAttack.Start.cell(224, 64)).isEqualTo(4);
    }

    @Test
    void scheduleAndLossFollowThePaper() {
        // p halves after 10, 50, 200, ... of 10,000 iterations, scaled to the budget
        assertThat(SquareAttack.squareFraction(1, 10_000)).isEqualTo(0.05);
        assertThat(SquareAttack.squareFraction(10, 10_000)).isEqualTo(0.05);
        assertThat(SquareAttack.squareFraction(11, 10_000)).isEqualTo(0.025);
        assertThat(SquareAttack.squareFraction(51, 10_000)).isEqualTo(0.0125);
        assertThat(SquareAttack.squareFraction(10_000, 10_000)).isEqualTo(0.05 / 512);
        assertThat(SquareAttack.squareFraction(2, 1000)).isEqualTo(0.025); // 2 of 1,000 is 20 of 10,000
        // side: round(sqrt(p x pixels)), at least 1, less than the shorter side
        assertThat(SquareAttack.side(0.05, 128, 128)).isEqualTo(29);
        assertThat(SquareAttack.side(0.05, 8, 8)).isEqualTo(2);
        assertThat(SquareAttack.side(0.9, 8, 8)).isEqualTo(7);
        assertThat(SquareAttack.side(1e-6, 8, 8)).isEqualTo(1);
        float[] o = {1f, 2f, 3f};
        assertThat(SquareAttack.loss(o, 2, -1)).isEqualTo(1.0);
        assertThat(SquareAttack.loss(o, 0, -1)).isEqualTo(-2.0);
        assertThat(SquareAttack.loss(o, 0, 1)).isCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2,
                within(1e-12));
        assertThat(SquareAttack.succeeds(o, 0, -1)).isTrue();
        assertThat(SquareAttack.succeeds(o, 2, -1)).isFalse();
        assertThat(SquareAttack.succeeds(o, 0, 1)).isFalse();
        assertThat(SquareAttack.succeeds(new float[] {0f, 3f, 3f}, 0, 1)).as("a tie is no success").isFalse();
    }
}
