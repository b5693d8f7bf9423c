package org.jdissect.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jdissect.PythonPeer;
import org.jdissect.data.ImageLabels;
import org.jdissect.io.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resizing against PIL itself (bench/peer/pil_resize.py: {@code Image.fromarray(map).resize((sw, sh),
 * BILINEAR)} on float32 maps, as NetDissect-Lite resizes them), bit for bit, at every map size from 1 to 64 and
 * every label size from 1 to 256 on each axis, and on two-dimensional maps growing, shrinking and mixed, square and
 * not; then the tally against PIL's masks with thresholds on PIL's own values (ties everywhere along the masks'
 * edges) and labels on the maps' borders. Needs python3 with numpy and PIL (CI installs them).
 */
class PilResizeTest {
    private static final int MAX_MAP = 64;
    private static final int MAX_LABELS = 256;

    @TempDir
    Path tmp;

    record Case(int h, int w, int sh, int sw, float[] map) {
    }

    @Test
    void resizingEqualsPilAtEveryScale() throws Exception {
        Random rnd = new Random(21);
        List<Case> cases = new ArrayList<>();
        for (int in = 1; in <= MAX_MAP; in++) {
            for (int out = 1; out <= MAX_LABELS; out++) {
                cases.add(new Case(1, in, 1, out, values(rnd, in, false)));
                cases.add(new Case(in, 1, out, 1, values(rnd, in, false)));
            }
        }
        int[][] named = {{7, 7, 112, 112}, {13, 13, 112, 112}, {14, 14, 112, 112}, {8, 8, 112, 112},
            {28, 28, 112, 112}, {56, 56, 112, 112}, {64, 64, 224, 224}, {7, 7, 224, 224}, {3, 3, 47, 47},
            {16, 16, 8, 8}, {64, 64, 112, 112}, {64, 64, 7, 7}, {33, 20, 100, 256}, {1, 64, 256, 1}};
        for (int[] s : named) {
            cases.add(new Case(s[0], s[1], s[2], s[3], values(rnd, s[0] * s[1], false)));
        }
        for (int k = 0; k < 400; k++) {
            int h = 1 + rnd.nextInt(MAX_MAP);
            int w = 1 + rnd.nextInt(MAX_MAP);
            int sh = 1 + rnd.nextInt(MAX_LABELS);
            int sw = rnd.nextInt(4) == 0 ? sh : 1 + rnd.nextInt(MAX_LABELS);
            cases.add(new Case(h, w, sh, sw, values(rnd, h * w, k % 5 == 0)));
        }
        float[][] pil = pil(cases);
        int pixels = 0;
        List<String> differ = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            Case k = cases.get(c);
            float[] got = Upsampling.upsample(k.map(), k.h(), k.w(), Upsampling.axis(k.h(), k.sh()),
                    Upsampling.axis(k.w(), k.sw()));
            float[] reference = ReferenceResize.resize(k.map(), k.h(), k.w(), k.sh(), k.sw());
            for (int p = 0; p < got.length; p++) {
                pixels++;
                if (!same(got[p], pil[c][p]) || !same(reference[p], pil[c][p])) {
                    if (differ.size() < 10) {
                        differ.add(String.format("%dx%d -> %dx%d pixel %d: PIL %s, code %s, reference %s", k.h(),
                                k.w(), k.sh(), k.sw(), p, Float.toHexString(pil[c][p]), Float.toHexString(got[p]),
                                Float.toHexString(reference[p])));
                    }
                }
            }
        }
        assertThat(differ).as("of %d pixels", pixels).isEmpty();
        assertThat(pixels).isGreaterThan(4_000_000);
    }

    /**
     * The CPU tally's counts against the counts of PIL's own masks (BruteForceTally given PIL's values), with each
     * unit's threshold set at one of PIL's resized values of that unit, labels along every border of the label map,
     * growing, shrinking, equal and mixed axes, and a map holding an infinity (the fast paths skip such maps).
     */
    @Test
    void tallyCountsPilsMasks() throws Exception {
        Random rnd = new Random(22);
        int[][] mapSizes = {{1, 1}, {2, 3}, {7, 7}, {13, 13}, {7, 13}, {14, 14}, {33, 20}, {64, 64}};
        for (int[] size : mapSizes) {
            int h = size[0];
            int w = size[1];
            int units = 4;
            int images = 6;
            int[][] labelSizes = {{112, 112}, {113, 97}, {h, w}, {Math.max(1, h / 2), 3 * w}, {3 * h + 1, 2 * w},
                {47, 47}};
            float[] values = new float[images * units * h * w];
            List<Case> cases = new ArrayList<>();
            List<ImageLabels> labels = new ArrayList<>();
            int numLabels = 9;
            for (int i = 0; i < images; i++) {
                int sh = labelSizes[i][0];
                int sw = labelSizes[i][1];
                labels.add(borderLabels(rnd, sh, sw, numLabels));
                for (int u = 0; u < units; u++) {
                    float[] map = values(rnd, h * w, u == 3 && i == 1);
                    System.arraycopy(map, 0, values, (i * units + u) * h * w, h * w);
                    cases.add(new Case(h, w, sh, sw, map));
                }
            }
            float[][] pil = pil(cases);
            float[] thresholds = new float[units];
            for (int u = 0; u < units; u++) {
                float[] up = pil[rnd.nextInt(images) * units + u];
                float t = up[rnd.nextInt(up.length)];
                thresholds[u] = Float.isFinite(t) ? t : 0f;
            }
            ArrayActivations src = new ArrayActivations(halves(values), images, units, h, w);
            CpuBackendTest.ListLabels source = new CpuBackendTest.ListLabels(numLabels, 3,
                    new int[] {-1, 0, 0, 1, 1, 2, 2, 0, 1}, labels);
            TallyCounts want = BruteForceTally.tally(src, thresholds, source,
                    (i, u, map, mh, mw, sh, sw) -> pil[i * units + u]);
            TallyCounts got;
            try (CpuBackend cpu = new CpuBackend(2)) {
                got = cpu.tally(src, thresholds, source, Progress.NONE);
            }
            String what = h + "x" + w;
            assertThat(got.maskPixels()).as(what).isEqualTo(want.maskPixels());
            assertThat(got.intersection()).as(what).isEqualTo(want.intersection());
            assertThat(got.activation()).as(what).isEqualTo(want.activation());
            assertThat(got.labelPixels()).as(what).isEqualTo(want.labelPixels());
            assertThat(java.util.Arrays.stream(got.maskPixels()).sum()).as(what + ": some mask").isPositive();
        }
    }

    /** Both NaN, or the same bits (signed zeros told apart). */
    private static boolean same(float a, float b) {
        return Float.isNaN(a) ? Float.isNaN(b) : Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    /**
     * Values as the half-precision cache holds them: draws from a few levels (ties), wide magnitudes, zeros of both
     * signs, subnormal halves; with {@code nonFinite} an infinity or NaN, often on the border.
     */
    static float[] values(Random rnd, int n, boolean nonFinite) {
        float[] v = new float[n];
        float[] levels = {0.25f, 0.5f, 0.75f, 1f, 1.5f, 3f};
        for (int i = 0; i < n; i++) {
            double x;
            switch (rnd.nextInt(6)) {
                case 0, 1 -> x = levels[rnd.nextInt(levels.length)];
                case 2 -> x = rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 2);
                case 3 -> x = rnd.nextBoolean() ? 0.0 : -0.0;
                case 4 -> x = (rnd.nextInt(2047) - 1023) * 0x1p-24; // subnormal halves
                default -> x = rnd.nextGaussian() * 4;
            }
            v[i] = Fp16.toFloat(Fp16.fromFloat((float) x));
        }
        if (nonFinite) {
            float[] odd = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
            v[rnd.nextBoolean() ? 0 : n - 1] = odd[rnd.nextInt(3)];
            v[rnd.nextInt(n)] = Float.POSITIVE_INFINITY;
        }
        return v;
    }

    private static short[] halves(float[] v) {
        short[] h = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            h[i] = Fp16.fromFloat(v[i]);
        }
        return h;
    }

    /** Two label layers: one along the label map's four borders, one of random blobs; an image-level label. */
    private static ImageLabels borderLabels(Random rnd, int sh, int sw, int numLabels) {
        int[] border = new int[sh * sw];
        int[] blobs = new int[sh * sw];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int p = y * sw + x;
                if (y == 0) {
                    border[p] = 1;
                } else if (y == sh - 1) {
                    border[p] = 2;
                } else if (x == 0) {
                    border[p] = 3;
                } else if (x == sw - 1) {
                    border[p] = 4;
                }
                blobs[p] = ((y / 5 + x / 7) % 3 == 0) ? 5 + rnd.nextInt(numLabels - 5) : 0;
            }
        }
        return new ImageLabels(sh, sw, new int[][] {border, blobs}, new int[] {1 + rnd.nextInt(numLabels - 1)});
    }

    /** PIL's resize of every case, through one run of bench/peer/pil_resize.py. */
    private float[][] pil(List<Case> cases) throws Exception {
        Path log = tmp.resolve("python.log");
        String python = PythonPeer.python(log);
        Path script = PythonPeer.script("pil_resize.py");
        Path in = Files.createTempFile(tmp, "cases", ".bin");
        Path out = Files.createTempFile(tmp, "pil", ".bin");
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(in)))) {
            o.writeInt(Integer.reverseBytes(cases.size()));
            for (Case c : cases) {
                for (int v : new int[] {c.h(), c.w(), c.sh(), c.sw()}) {
                    o.writeInt(Integer.reverseBytes(v));
                }
                for (float f : c.map()) {
                    o.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(f)));
                }
            }
        }
        int code = PythonPeer.run(List.of(python, script.toString(), in.toString(), out.toString()), log);
        assertThat(code).as(Files.readString(log)).isZero();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] result = new float[cases.size()][];
        for (int c = 0; c < cases.size(); c++) {
            result[c] = new float[cases.get(c).sh() * cases.get(c).sw()];
            b.asFloatBuffer().get(result[c]);
            b.position(b.position() + 4 * result[c].length);
        }
        assertThat(b.remaining()).isZero();
        return result;
    }
}
