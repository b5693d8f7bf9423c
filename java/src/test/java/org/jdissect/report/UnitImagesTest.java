package org.jdissect.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import javax.imageio.ImageIO;

import org.jdissect.stats.Fp16;
import org.jdissect.stats.Upsampling;
import org.junit.jupiter.api.Test;

/** The masks the report draws are the dissection's masks: brute force against Upsampling's reference. */
class UnitImagesTest {
    @Test
    void coverageIsTheShareOfMaskPixelsOfTheReferenceUpsampling() {
        Random rnd = new Random(3);
        for (int[] shape : new int[][] {{7, 7, 50, 40, 16}, {8, 8, 32, 32, 96}, {3, 5, 31, 17, 24}}) {
            int h = shape[0];
            int w = shape[1];
            int height = shape[2];
            int width = shape[3];
            UnitImages images = new UnitImages(shape[4], 0.9f);
            float[] map = new float[h * w];
            float[] values = new float[h * w];
            for (int i = 0; i < map.length; i++) {
                map[i] = Fp16.toFloat(Fp16.fromFloat((float) rnd.nextGaussian()));
                values[i] = map[i];
            }
            float threshold = 0.7f;
            float[] ref = Upsampling.upsample(values, h, w, Upsampling.axis(h, height), Upsampling.axis(w, width));
            UnitImages.Geometry g = images.geometry(height, width);
            float[] cov = images.coverage(map, h, w, threshold, g, new UnitImages.Scratch());
            assertThat(java.util.Arrays.copyOf(cov, g.th() * g.tw())).isEqualTo(referenceCoverage(ref, g, threshold));
        }
    }

    /**
     * Masks of a few hot map cells, as top images have, drawn one after another with the same work arrays: the
     * coverage and the drawn overlay are the reference's (Upsampling.upsample thresholded, shared by box), with no
     * pixel left over from the mask before, for shrunk, enlarged and letterboxed images and for maps holding
     * infinities and NaN.
     */
    @Test
    void masksOfFewHotCellsDrawnInTurnAreTheReferences() {
        Random rnd = new Random(29);
        UnitImages images = new UnitImages(96, 0.9f);
        UnitImages.Scratch s = new UnitImages.Scratch();
        int[][] shapes = {{7, 7, 224, 224}, {7, 9, 300, 200}, {7, 7, 50, 40}, {14, 14, 120, 80}, {3, 5, 96, 96}};
        for (int trial = 0; trial < 400; trial++) {
            int[] shape = shapes[trial % shapes.length];
            int h = shape[0];
            int w = shape[1];
            int height = shape[2];
            int width = shape[3];
            float[] map = new float[h * w];
            for (int i = 0; i < map.length; i++) {
                map[i] = (float) rnd.nextGaussian();
            }
            int hotCells = rnd.nextInt(4); // 0 to 3 cells above the threshold
            float[] sorted = map.clone();
            java.util.Arrays.sort(sorted);
            float threshold = hotCells == 0 ? sorted[sorted.length - 1] : sorted[sorted.length - 1 - hotCells];
            if (trial % 7 == 3) { // a non-finite value somewhere
                float[] odd = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
                map[rnd.nextInt(map.length)] = odd[rnd.nextInt(odd.length)];
            }
            String what = "trial " + trial + ", " + h + "x" + w + " -> " + height + "x" + width;
            float[] ref = Upsampling.upsample(map, h, w, Upsampling.axis(h, height), Upsampling.axis(w, width));
            UnitImages.Geometry g = images.geometry(height, width);
            float[] expected = referenceCoverage(ref, g, threshold);
            float[] cov = images.coverage(map, h, w, threshold, g, s);
            assertThat(java.util.Arrays.copyOf(cov, expected.length)).as(what).isEqualTo(expected);
            int stride = images.stripWidth(2);
            byte[] drawn = new byte[stride * 96];
            byte[] reference = new byte[stride * 96];
            images.drawUnitMask(drawn, stride, 0, 1, map, h, w, threshold, g, s);
            images.drawMask(reference, stride, 0, 1, g, expected);
            assertThat(drawn).as(what + ": the overlay").isEqualTo(reference);
        }
    }

    /**
     * Maps made of the threshold itself, its neighbouring floats and values just beyond the margin the drawing uses
     * to fill a map cell without comparing its pixels: every pixel is the reference's, at positive, negative, zero
     * and tiny thresholds, so no cell is filled or skipped that the pixel-by-pixel comparison would not.
     */
    @Test
    void masksOfValuesAtAndAroundTheThresholdAreTheReferences() {
        Random rnd = new Random(31);
        UnitImages images = new UnitImages(96, 0.9f);
        UnitImages.Scratch s = new UnitImages.Scratch();
        float[] thresholds = {0.7f, -0.3f, 0f, 1e-30f, Float.MIN_VALUE, 3e4f};
        int[][] shapes = {{7, 7, 224, 224}, {5, 6, 64, 80}, {7, 7, 50, 40}};
        for (int trial = 0; trial < 300; trial++) {
            float t = thresholds[trial % thresholds.length];
            float[] near = {t, Math.nextUp(t), Math.nextDown(t), t + Math.abs(t) * 0x1p-20f, t + 1, t - 1,
                Math.nextUp(Math.nextUp(t))};
            int[] shape = shapes[trial % shapes.length];
            int h = shape[0];
            int w = shape[1];
            float[] map = new float[h * w];
            for (int i = 0; i < map.length; i++) {
                map[i] = near[rnd.nextInt(near.length)];
            }
            String what = "trial " + trial + ", threshold " + t;
            float[] ref = Upsampling.upsample(map, h, w, Upsampling.axis(h, shape[2]), Upsampling.axis(w, shape[3]));
            UnitImages.Geometry g = images.geometry(shape[2], shape[3]);
            float[] cov = images.coverage(map, h, w, t, g, s);
            assertThat(java.util.Arrays.copyOf(cov, g.th() * g.tw())).as(what).isEqualTo(referenceCoverage(ref, g, t));
        }
    }

    @Test
    void overlayPngDecodesToItsPalette() throws Exception {
        UnitImages images = new UnitImages(16, 0.9f);
        byte[] overlay = images.overlay(2);
        UnitImages.Geometry g = images.geometry(8, 8);
        float[] cov = new float[16 * 16];
        for (int y = 4; y < 12; y++) {
            for (int x = 4; x < 12; x++) {
                cov[y * 16 + x] = 1;
            }
        }
        images.drawMask(overlay, 2, 1, g, cov);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        images.writeOverlay(overlay, 2, out);
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(png.getWidth()).isEqualTo(2 * 16 + UnitImages.GAP);
        int cell = 16 + UnitImages.GAP;
        assertThat(png.getRGB(0, 0) >>> 24).as("first cell: no mask drawn, clear").isZero();
        assertThat(png.getRGB(cell, 0)).as("outside the mask: veiled").isEqualTo(argb(UnitImages.PALETTE[1]));
        assertThat(png.getRGB(cell + 4, 4)).as("the edge").isEqualTo(argb(UnitImages.PALETTE[2]));
        assertThat(png.getRGB(cell + 8, 8) >>> 24).as("inside: clear").isZero();
    }

    @Test
    void theDirectDrawingOfAnEnlargedImageEqualsTheCoverageWay() {
        java.util.Random rnd = new java.util.Random(11);
        UnitImages images = new UnitImages(96, 0.9f);
        UnitImages.Scratch s = new UnitImages.Scratch();
        for (int[] size : new int[][] {{32, 32}, {50, 40}, {17, 96}, {96, 96}, {120, 80}}) {
            UnitImages.Geometry g = images.geometry(size[0], size[1]);
            for (int trial = 0; trial < 20; trial++) {
                float[] map = new float[7 * 9];
                for (int i = 0; i < map.length; i++) {
                    map[i] = (float) rnd.nextGaussian();
                }
                float threshold = (float) (1 + rnd.nextGaussian() * 0.7);
                int stride = images.stripWidth(3);
                byte[] viaCoverage = new byte[stride * 96 * 2];
                byte[] direct = new byte[stride * 96 * 2];
                images.drawMask(viaCoverage, stride, 96, 2, g, images.coverage(map, 7, 9, threshold, g, s).clone());
                images.drawUnitMask(direct, stride, 96, 2, map, 7, 9, threshold, g, s);
                assertThat(direct).as(size[0] + "x" + size[1] + " trial " + trial).isEqualTo(viaCoverage);
            }
        }
    }

    /** Each thumbnail pixel is the rounded mean of the image pixels its box shows; the letterbox is flat. */
    @Test
    void thumbnailPixelsAreTheRoundedBoxMeansOfTheImage() {
        Random rnd = new Random(17);
        UnitImages images = new UnitImages(24, 0.9f);
        UnitImages.Scratch s = new UnitImages.Scratch();
        int[][] shapes = {{50, 37, BufferedImage.TYPE_3BYTE_BGR}, {24, 24, BufferedImage.TYPE_INT_RGB},
            {10, 17, BufferedImage.TYPE_3BYTE_BGR}, {61, 200, BufferedImage.TYPE_INT_ARGB},
            {50, 37, BufferedImage.TYPE_BYTE_GRAY}};
        for (int[] shape : shapes) {
            BufferedImage img = new BufferedImage(shape[1], shape[0], shape[2]);
            for (int y = 0; y < shape[0]; y++) {
                for (int x = 0; x < shape[1]; x++) {
                    img.setRGB(x, y, 0xff000000 | rnd.nextInt(1 << 24));
                }
            }
            UnitImages.Geometry g = images.geometry(shape[0], shape[1]);
            int[] px = images.thumbnail(img, g, s);
            String what = shape[0] + "x" + shape[1] + " type " + shape[2];
            int inside = 0;
            for (int ty = 0; ty < 24; ty++) {
                for (int tx = 0; tx < 24; tx++) {
                    int y = ty - g.oy();
                    int x = tx - g.ox();
                    if (y < 0 || y >= g.th() || x < 0 || x >= g.tw()) {
                        assertThat(px[ty * 24 + tx]).as(what + " letterbox").isEqualTo(0xeceff3);
                        continue;
                    }
                    inside++;
                    long[] sum = new long[3];
                    int n = 0;
                    for (int iy = g.y0()[y]; iy < g.y1()[y]; iy++) {
                        for (int ix = g.x0()[x]; ix < g.x1()[x]; ix++) {
                            // grey as stored, repeated (as PIL and the preprocessing read it; getRGB would
                            // convert Java's linear grey space to sRGB)
                            int p = shape[2] == BufferedImage.TYPE_BYTE_GRAY
                                    ? img.getRaster().getSample(ix, iy, 0) * 0x010101 : img.getRGB(ix, iy);
                            sum[0] += (p >>> 16) & 0xff;
                            sum[1] += (p >>> 8) & 0xff;
                            sum[2] += p & 0xff;
                            n++;
                        }
                    }
                    int expected = 0;
                    for (int c = 0; c < 3; c++) {
                        expected = expected << 8 | (int) Math.floor(sum[c] / (double) n + 0.5);
                    }
                    assertThat(px[ty * 24 + tx]).as(what + " pixel " + tx + "," + ty).isEqualTo(expected);
                }
            }
            assertThat(inside).as(what + ": the image fills the square along its longer side")
                    .isEqualTo(g.th() * g.tw()).isGreaterThanOrEqualTo(24 * Math.min(g.th(), g.tw()));
        }
    }

    /** Per thumbnail pixel, the share of its box's pixels of the resized map {@code ref} above {@code threshold}. */
    private static float[] referenceCoverage(float[] ref, UnitImages.Geometry g, float threshold) {
        float[] expected = new float[g.th() * g.tw()];
        for (int ty = 0; ty < g.th(); ty++) {
            for (int tx = 0; tx < g.tw(); tx++) {
                int on = 0;
                int n = 0;
                for (int y = g.y0()[ty]; y < g.y1()[ty]; y++) {
                    for (int x = g.x0()[tx]; x < g.x1()[tx]; x++) {
                        on += ref[y * g.width() + x] > threshold ? 1 : 0;
                        n++;
                    }
                }
                expected[ty * g.tw() + tx] = on / (float) n;
            }
        }
        return expected;
    }

    private static int argb(int rgba) {
        return (rgba << 24) | (rgba >>> 8);
    }
}
