package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jdissect.io.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Single-precision activations on the CPU backend against a sort in double and the brute-force tally. */
class SinglePrecisionTest {
    private static final CpuBackend BACKEND = new CpuBackend(3);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** Values of every kind a layer gives: wide and narrow ranges, ties, signed zeros, subnormals, negatives. */
    static float[] values(long seed, int n, int kind) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> (float) rnd.nextGaussian();
                case 1 -> rnd.nextInt(9) * 0.125f; // many ties
                // neighbours one ulp apart: every key shares its top 20 bits, so the last passes decide
                case 2 -> Math.nextUp(1.0f) + rnd.nextInt(3000) * Math.ulp(1.0f);
                case 3 -> (float) (Math.scalb(rnd.nextDouble(), rnd.nextInt(200) - 100) * (rnd.nextBoolean() ? 1 : -1));
                default -> switch (rnd.nextInt(5)) {
                    case 0 -> 0.0f;
                    case 1 -> -0.0f;
                    case 2 -> Float.MIN_VALUE * rnd.nextInt(4);
                    case 3 -> -rnd.nextFloat();
                    default -> rnd.nextFloat() * 1e30f;
                };
            };
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void thresholdsEqualASortInDoubleAndTopImagesTheLargestMaxima(int kind) {
        int images = 37;
        int units = 5;
        int h = 3;
        int w = 4;
        FloatActivations acts = new FloatActivations(values(kind * 31L + 1, images * units * h * w, kind), images,
                units, h, w);
        for (double q : new double[] {0.005, 0.02, 0.3, 0.5, 0.97}) {
            UnitStats stats = BACKEND.unitStats(acts, q, 6, Progress.NONE);
            for (int u = 0; u < units; u++) {
                assertThat(stats.thresholds()[u]).as("kind %d q %s unit %d", kind, q, u)
                        .isEqualTo(BruteForceTally.threshold(acts, u, q));
                assertTopImages(acts, u, stats.topImages()[u], stats.topValues()[u]);
            }
        }
    }

    private static void assertTopImages(FloatActivations acts, int u, int[] images, float[] values) {
        int hw = acts.height() * acts.width();
        List<float[]> maxima = new ArrayList<>();
        for (int i = 0; i < acts.images(); i++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < hw; j++) {
                float x = acts.values()[(i * acts.units() + u) * hw + j];
                // the order of keys: -0.0 below +0.0, as Float.compare
                m = Float.compare(x, m) > 0 ? x : m;
            }
            maxima.add(new float[] {m, i});
        }
        maxima.sort((a, b) -> a[0] != b[0] || Float.compare(a[0], b[0]) != 0 ? Float.compare(b[0], a[0])
                : Float.compare(a[1], b[1])); // larger first, ties to the earlier image
        assertThat(images).hasSize(6);
        for (int r = 0; r < images.length; r++) {
            assertThat(images[r]).as("unit %d rank %d", u, r).isEqualTo((int) maxima.get(r)[1]);
            assertThat(Float.compare(values[r], maxima.get(r)[0])).isZero();
        }
    }

    @Test
    void chunkedReadsAndOneImageAgree() {
        // 1x1 maps of many images: several chunks of the source at once would not change the answer
        FloatActivations many = new FloatActivations(values(5, 3000, 2), 3000, 1, 1, 1);
        assertThat(BACKEND.unitStats(many, 0.005, 0, Progress.NONE).thresholds()[0])
                .isEqualTo(BruteForceTally.threshold(many, 0, 0.005));
        FloatActivations one = new FloatActivations(new float[] {-3.5f}, 1, 1, 1, 1);
        assertThat(BACKEND.unitStats(one, 0.005, 1, Progress.NONE).thresholds()[0]).isEqualTo(-3.5f);
    }

    /** Non-finite values, stored as -Float.MAX_VALUE and counted, are left out of the quantile as in half precision. */
    @Test
    void nonFiniteValuesAreLeftOutOfTheQuantile() {
        float[] v = values(9, 40 * 2 * 4, 0);
        long[] counts = new long[2];
        for (int i = 0; i < v.length; i += 7) {
            v[i] = -Float.MAX_VALUE;
            counts[(i / 4) % 2]++;
        }
        FloatActivations plain = new FloatActivations(v, 40, 2, 2, 2);
        ActivationSource src = withNonFinite(plain, counts);
        UnitStats stats = BACKEND.unitStats(src, 0.5, 0, Progress.NONE);
        for (int u = 0; u < 2; u++) {
            assertThat(stats.thresholds()[u]).isEqualTo(BruteForceTally.threshold(src, u, 0.5))
                    .isNotEqualTo(BruteForceTally.threshold(plain, u, 0.5));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void tallyEqualsBruteForceAndTheHalfPathOnTheSameValues(long seed) {
        CpuBackendTest.Case c = CpuBackendTest.randomCase(seed, 23, 7, 5, 3, seed % 2 == 0);
        ArrayActivations halves = c.acts();
        float[] widened = new float[halves.values().length];
        halves.readFloats(0, halves.images(), widened);
        FloatActivations floats = new FloatActivations(widened, halves.images(), halves.units(), halves.height(),
                halves.width());
        float[] t = BACKEND.unitStats(floats, 0.1, 0, Progress.NONE).thresholds();
        TallyCounts fast = BACKEND.tally(floats, t, c.labels(), Progress.NONE);
        TallyCounts slow = BruteForceTally.tally(floats, t, c.labels());
        TallyCounts half = BACKEND.tally(halves, t, c.labels(), Progress.NONE);
        assertThat(fast.intersection()).isEqualTo(slow.intersection()).isEqualTo(half.intersection());
        assertThat(fast.activation()).isEqualTo(slow.activation()).isEqualTo(half.activation());
        assertThat(fast.maskPixels()).isEqualTo(slow.maskPixels()).isEqualTo(half.maskPixels());
        // and on values half precision cannot hold, against brute force alone
        float[] fine = values(seed, widened.length, 3);
        FloatActivations wide = new FloatActivations(fine, halves.images(), halves.units(), halves.height(),
                halves.width());
        float[] tw = BACKEND.unitStats(wide, 0.2, 0, Progress.NONE).thresholds();
        TallyCounts a = BACKEND.tally(wide, tw, c.labels(), Progress.NONE);
        TallyCounts b = BruteForceTally.tally(wide, tw, c.labels());
        assertThat(a.intersection()).isEqualTo(b.intersection());
        assertThat(a.activation()).isEqualTo(b.activation());
        assertThat(a.maskPixels()).isEqualTo(b.maskPixels());
    }

    /** {@code a}, saying that {@code counts} of each unit's values are non-finite ones stored lowest. */
    static ActivationSource withNonFinite(FloatActivations a, long[] counts) {
        return new ActivationSource() {
            public int images() {
                return a.images();
            }

            public int units() {
                return a.units();
            }

            public int height() {
                return a.height();
            }

            public int width() {
                return a.width();
            }

            public Precision precision() {
                return Precision.FP32;
            }

            public void read(int first, int count, short[] dst) {
                throw new UnsupportedOperationException();
            }

            public void readFloats(int first, int count, float[] dst) {
                a.readFloats(first, count, dst);
            }

            public long[] nonFinite() {
                return counts.clone();
            }
        };
    }
}
