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
            short[] map = new short[h * w];
            float[] values = new float[h * w];
            for (int i = 0; i < map.length; i++) {
                map[i] = Fp16.fromFloat((float) rnd.nextGaussian());
                values[i] = Fp16.toFloat(map[i]);
            }
            float threshold = 0.7f;
            float[] ref = Upsampling.upsample(values, h, w, Upsampling.axis(h, height), Upsampling.axis(w, width));
            UnitImages.Geometry g = images.geometry(height, width);
            float[] cov = images.coverage(map, h, w, threshold, g, new UnitImages.Scratch());
            for (int ty = 0; ty < g.th(); ty++) {
                for (int tx = 0; tx < g.tw(); tx++) {
                    int on = 0;
                    int n = 0;
                    for (int y = g.y0()[ty]; y < g.y1()[ty]; y++) {
                        for (int x = g.x0()[tx]; x < g.x1()[tx]; x++) {
                            on += ref[y * width + x] > threshold ? 1 : 0;
                            n++;
                        }
                    }
                    assertThat(cov[ty * g.tw() + tx]).isEqualTo(on / (float) n);
                }
            }
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
                short[] map = new short[7 * 9];
                for (int i = 0; i < map.length; i++) {
                    map[i] = org.jdissect.stats.Fp16.fromFloat((float) rnd.nextGaussian());
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

    @Test
    void escapesMarkupAndQuotes() {
        assertThat(Html.esc("<script>alert('x') & \"y\"</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
        assertThat(Html.fixed(0.0396, 3)).isEqualTo("0.040");
        assertThat(Html.fixed(-1.5, 0)).isEqualTo("-2");
    }

    private static int argb(int rgba) {
        return (rgba << 24) | (rgba >>> 8);
    }
}
