package org.jdissect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.model.Preprocessing.ChannelOrder;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};

    /** Gray image (R = G = B) with the given 0..255 values, row-major. */
    private static BufferedImage gray(int width, int height, int... values) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = values[y * width + x];
                img.setRGB(x, y, new Color(v, v, v).getRGB());
            }
        }
        return img;
    }

    private static float[] apply(Preprocessing pre, BufferedImage img) {
        float[] out = new float[pre.valuesPerImage()];
        pre.apply(img, out, 0);
        return out;
    }

    @Test
    void enlargingIsBilinearWithHalfPixelCentres() {
        Preprocessing pre = new Preprocessing(4, 4, ChannelOrder.RGB, 1f, ZERO, ONE);
        float[] out = apply(pre, gray(2, 2, 0, 40, 80, 120));
        float[] expected = {
            0, 10, 30, 40,
            20, 30, 50, 60,
            60, 70, 90, 100,
            80, 90, 110, 120};
        for (int c = 0; c < 3; c++) {
            assertThat(Arrays.copyOfRange(out, c * 16, (c + 1) * 16)).containsExactly(expected, within(1e-4f));
        }
    }

    @Test
    void shrinkingAveragesTheSourceAreaWithPilsTriangleWeights() {
        // PIL's bilinear filter shrinking 4 -> 2: support 2 around centres 1.0 and 3.0 gives source weights
        // (3, 3, 1, 0) / 7 and (0, 1, 3, 3) / 7 along each axis
        double[][] w = {{3 / 7.0, 3 / 7.0, 1 / 7.0, 0}, {0, 1 / 7.0, 3 / 7.0, 3 / 7.0}};
        int[] v = {
            0, 10, 20, 30,
            40, 50, 60, 70,
            80, 90, 100, 110,
            200, 210, 220, 250};
        Preprocessing pre = new Preprocessing(2, 2, ChannelOrder.RGB, 1f, ZERO, ONE);
        float[] out = apply(pre, gray(4, 4, v));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double e = 0;
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        e += w[i][y] * w[j][x] * v[y * 4 + x];
                    }
                }
                assertThat(out[i * 2 + j]).as("pixel %d,%d", i, j).isCloseTo((float) e, within(1e-3f));
            }
        }
    }

    @Test
    void constantImageStaysConstantAtAnySize() {
        int[] v = new int[5 * 7];
        Arrays.fill(v, 77);
        for (int[] size : new int[][] {{3, 2}, {5, 7}, {11, 13}, {1, 1}}) {
            Preprocessing pre = new Preprocessing(size[0], size[1], ChannelOrder.RGB, 1f, ZERO, ONE);
            float[] out = apply(pre, gray(7, 5, v));
            for (float f : out) {
                assertThat(f).isCloseTo(77f, within(1e-3f));
            }
        }
    }

    @Test
    void scaleMeanStdAndChannelOrder() {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, new Color(255, 128, 0).getRGB());
        float[] mean = {0.5f, 0.25f, 0.125f};
        float[] std = {0.5f, 0.25f, 2f};
        float[] rgb = apply(new Preprocessing(1, 1, ChannelOrder.RGB, 255f, mean, std), img);
        assertThat(rgb).containsExactly(new float[] {1f, (128 / 255f - 0.25f) / 0.25f, -0.0625f}, within(1e-5f));
        // BGR: channel 0 is blue, and mean/std are listed in that order too
        float[] bgr = apply(new Preprocessing(1, 1, ChannelOrder.BGR, 255f, mean, std), img);
        assertThat(bgr).containsExactly(new float[] {-1f, (128 / 255f - 0.25f) / 0.25f, 0.4375f}, within(1e-5f));
        // scale 1 keeps 0..255 (Caffe-style means)
        float[] raw = apply(new Preprocessing(1, 1, ChannelOrder.BGR, 1f, new float[] {10, 20, 30}, ONE), img);
        assertThat(raw).containsExactly(-10f, 108f, 225f);
    }

    @Test
    void writesAtTheOffsetOnly() {
        Preprocessing pre = new Preprocessing(2, 2, ChannelOrder.RGB, 1f, ZERO, ONE);
        float[] dst = new float[5 + 12 + 3];
        Arrays.fill(dst, -7f);
        pre.apply(gray(2, 2, 1, 2, 3, 4), dst, 5);
        assertThat(Arrays.copyOfRange(dst, 0, 5)).containsOnly(-7f);
        assertThat(Arrays.copyOfRange(dst, 17, 20)).containsOnly(-7f);
        assertThat(Arrays.copyOfRange(dst, 5, 17)).containsExactly(1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4);
        assertThatThrownBy(() -> pre.apply(gray(2, 2, 1, 2, 3, 4), dst, 9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyImageTypeGivesTheSameValues() {
        int[][] colors = {{255, 0, 0}, {0, 200, 0}, {0, 0, 100}, {12, 34, 56}};
        int[] types = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR,
            BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR};
        Preprocessing pre = new Preprocessing(2, 2, ChannelOrder.RGB, 1f, ZERO, ONE);
        float[] expected = {255, 0, 0, 12, 0, 200, 0, 34, 0, 0, 100, 56};
        for (int type : types) {
            BufferedImage img = new BufferedImage(2, 2, type);
            for (int i = 0; i < 4; i++) {
                img.setRGB(i % 2, i / 2, new Color(colors[i][0], colors[i][1], colors[i][2]).getRGB());
            }
            assertThat(apply(pre, img)).as("image type %d", type).containsExactly(expected);
        }
        byte[] r = {(byte) 255, 0, 0, 12};
        byte[] g = {0, (byte) 200, 0, 34};
        byte[] b = {0, 0, 100, 56};
        BufferedImage indexed = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 4, r, g, b));
        for (int i = 0; i < 4; i++) {
            indexed.getRaster().setSample(i % 2, i / 2, 0, i);
        }
        assertThat(apply(pre, indexed)).as("palette image").containsExactly(expected);
        BufferedImage grayImg = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        grayImg.getRaster().setPixels(0, 0, 2, 2, new int[] {0, 50, 100, 250});
        assertThat(apply(pre, grayImg)).containsExactly(0, 50, 100, 250, 0, 50, 100, 250, 0, 50, 100, 250);
        BufferedImage gray16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setPixels(0, 0, 1, 1, new int[] {65535});
        assertThat(apply(new Preprocessing(1, 1, ChannelOrder.RGB, 1f, ZERO, ONE), gray16))
                .containsExactly(new float[] {255, 255, 255}, within(1e-3f));
    }

    /**
     * An image already at the input size is normalised from its bytes through a table: bit for bit the planar path's
     * values (the same float operations on each value) and the definition's, for both 8-bit layouts the table reads
     * and one it does not, both channel orders, and a scale, means and stds whose divisions round.
     */
    @Test
    void atTheInputSizeTheTableGivesThePlanarPathsBits() {
        java.util.Random rnd = new java.util.Random(5);
        int w = 13;
        int h = 7;
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        for (ChannelOrder order : ChannelOrder.values()) {
            Preprocessing pre = new Preprocessing(h, w, order, 255f, mean, std);
            for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_INT_ARGB}) {
                BufferedImage img = new BufferedImage(w, h, type);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        img.setRGB(x, y, 0xff000000 | rnd.nextInt(1 << 24));
                    }
                }
                img.setRGB(0, 0, 0xff000000);
                img.setRGB(1, 0, 0xffffffff);
                float[] fromBytes = new float[pre.valuesPerImage() + 3];
                pre.apply(img, fromBytes, 3);
                float[] planar = new float[pre.valuesPerImage() + 3];
                pre.apply(Rasters.readRgb(img), w, h, planar, 3);
                assertThat(Arrays.copyOfRange(fromBytes, 3, fromBytes.length)).as("%s, type %d", order, type)
                        .containsExactly(Arrays.copyOfRange(planar, 3, planar.length));
                for (int c = 0; c < 3; c++) {
                    int colour = order == ChannelOrder.RGB ? c : 2 - c;
                    for (int i = 0; i < w * h; i++) {
                        int x = (img.getRGB(i % w, i / w) >>> (16 - 8 * colour)) & 0xff;
                        assertThat(fromBytes[3 + c * w * h + i]).isEqualTo(((float) x / 255f - mean[c]) / std[c]);
                    }
                }
            }
        }
    }

    @Test
    void imagenetConstants() {
        Preprocessing p = Preprocessing.IMAGENET;
        assertThat(p.height()).isEqualTo(224);
        assertThat(p.width()).isEqualTo(224);
        assertThat(p.channels()).isEqualTo(ChannelOrder.RGB);
        assertThat(p.scale()).isEqualTo(255f);
        assertThat(p.mean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(p.std()).containsExactly(0.229f, 0.224f, 0.225f);
        assertThat(p.valuesPerImage()).isEqualTo(3 * 224 * 224);
        assertThat(Preprocessing.parse("224", "rgb", 255f, "0.485,0.456,0.406", "0.229,0.224,0.225")).isEqualTo(p);
    }

    @Test
    void parsesSizesAndValues() {
        Preprocessing p = Preprocessing.parse("120,160", "BGR", 1f, "103.9, 116.8, 123.7", "1");
        assertThat(p.height()).isEqualTo(120);
        assertThat(p.width()).isEqualTo(160);
        assertThat(p.channels()).isEqualTo(ChannelOrder.BGR);
        assertThat(p.mean()).containsExactly(103.9f, 116.8f, 123.7f);
        assertThat(p.std()).containsExactly(1f, 1f, 1f);
        Map<String, Object> d = p.describe();
        assertThat(d).containsEntry("height", 120).containsEntry("width", 160).containsEntry("channels", "BGR")
                .containsEntry("scale", 1f).containsEntry("mean", List.of(103.9f, 116.8f, 123.7f))
                .containsEntry("std", List.of(1f, 1f, 1f));
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertUsage(() -> Preprocessing.parse("0", "RGB", 255f, "0,0,0", "1,1,1"), "size '0'");
        assertUsage(() -> Preprocessing.parse("a,b", "RGB", 255f, "0,0,0", "1,1,1"), "size 'a,b'");
        assertUsage(() -> Preprocessing.parse("1,2,3", "RGB", 255f, "0,0,0", "1,1,1"), "H or H,W");
        assertUsage(() -> Preprocessing.parse("224", "RGBA", 255f, "0,0,0", "1,1,1"), "valid: RGB, BGR");
        assertUsage(() -> Preprocessing.parse("224", "RGB", 0f, "0,0,0", "1,1,1"), "scale");
        assertUsage(() -> Preprocessing.parse("224", "RGB", 255f, "0,0", "1,1,1"), "mean '0,0'");
        assertUsage(() -> Preprocessing.parse("224", "RGB", 255f, "0,x,0", "1,1,1"), "'x' is not a number");
        assertUsage(() -> Preprocessing.parse("224", "RGB", 255f, "0,0,0", "1,0,1"), "std '1,0,1'");
    }

    private static void assertUsage(Runnable r, String fragment) {
        assertThatThrownBy(r::run).isInstanceOf(JdissectException.class).hasMessageContaining(fragment)
                .satisfies(e -> assertThat(((JdissectException) e).exitCode()).isEqualTo(2));
    }

    /** The direct reads of 3-byte BGR and int RGB images give what the colour model says, pixel for pixel. */
    @Test
    void readRgbOfPackedLayoutsMatchesTheColourModel() {
        java.util.Random rnd = new java.util.Random(3);
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage img = new BufferedImage(13, 7, type);
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 13; x++) {
                    img.setRGB(x, y, 0xff000000 | rnd.nextInt(1 << 24));
                }
            }
            float[] rgb = Rasters.readRgb(img);
            int[] reuse = new int[200];
            int[] packed = Rasters.readPackedRgb(img, reuse);
            assertThat(packed).as("a large enough array is reused").isSameAs(reuse);
            int n = 13 * 7;
            for (int i = 0; i < n; i++) {
                int p = img.getRGB(i % 13, i / 13);
                assertThat(new float[] {rgb[i], rgb[n + i], rgb[2 * n + i]}).as("type " + type + " pixel " + i)
                        .containsExactly((p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff);
                assertThat(packed[i]).as("packed, type " + type + " pixel " + i).isEqualTo(p & 0xffffff);
            }
            assertThat(Rasters.readPackedRgb(img, new int[n - 1])).as("a short array is not").hasSize(n);
            // a sub-image (translated raster) takes the general path and still reads its own pixels
            BufferedImage sub = img.getSubimage(2, 1, 5, 4);
            float[] s = Rasters.readRgb(sub);
            int p = img.getRGB(2, 1);
            assertThat(new float[] {s[0], s[20], s[40]}).as("sub-image of type " + type)
                    .containsExactly((p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff);
            int[] subPacked = Rasters.readPackedRgb(sub, null);
            for (int i = 0; i < 20; i++) {
                assertThat(subPacked[i]).as("packed sub-image of type " + type + " pixel " + i)
                        .isEqualTo(img.getRGB(2 + i % 5, 1 + i / 5) & 0xffffff);
            }
        }
    }

    /** A deeper image reaches the packed read through the general path, rounded to 8 bits. */
    @Test
    void readPackedRgbRoundsSixteenBitGrey() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 65535);
        img.getRaster().setSample(1, 0, 0, 32768); // 127.5019 of 255
        img.getRaster().setSample(2, 0, 0, 128); // 0.498 of 255
        assertThat(Rasters.readPackedRgb(img, null)).containsExactly(0xffffff, 0x808080, 0x000000);
    }

    /**
     * A colour JPEG of the input's size decoded straight into the model's planes equals the image ImageDecoder gives,
     * through apply, bit for bit, in both channel orders, at an offset; a JPEG of another size, a grey JPEG and a PNG
     * are left to the caller (false, the destination untouched). Where the native decoder is not in the build, every
     * file is left to the caller.
     */
    @Test
    void jpegsDecodedIntoPlanesAreTheImagesThroughApply() throws Exception {
        java.util.Random rnd = new java.util.Random(3);
        BufferedImage colour = new BufferedImage(24, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                colour.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        byte[] jpeg = encode(colour, "jpeg");
        org.jdissect.data.ImageDecoder decoder = new org.jdissect.data.ImageDecoder();
        boolean native_ = false;
        for (ChannelOrder order : ChannelOrder.values()) {
            Preprocessing pre = new Preprocessing(16, 24, order, 255f, new float[] {0.4f, 0.5f, 0.6f},
                    new float[] {0.2f, 0.3f, 0.25f});
            float[] expected = apply(pre, decoder.decode(jpeg));
            float[] got = new float[7 + pre.valuesPerImage()];
            Arrays.fill(got, -9f);
            boolean direct = decoder.decodePlanes(jpeg, 1 << 20, pre.jpegPlanes(), got, 7);
            native_ |= direct;
            if (direct) {
                assertThat(Arrays.copyOfRange(got, 7, got.length)).as(order.toString()).isEqualTo(expected);
                assertThat(Arrays.copyOf(got, 7)).containsOnly(-9f);
            }
        }
        Preprocessing other = new Preprocessing(16, 20, ChannelOrder.RGB, 255f, ZERO, ONE);
        Preprocessing same = new Preprocessing(16, 24, ChannelOrder.RGB, 255f, ZERO, ONE);
        float[] untouched = new float[same.valuesPerImage()];
        assertThat(decoder.decodePlanes(jpeg, 1 << 20, other.jpegPlanes(), untouched, 0)).as("another size").isFalse();
        BufferedImage grey = new BufferedImage(24, 16, BufferedImage.TYPE_BYTE_GRAY);
        assertThat(decoder.decodePlanes(encode(grey, "jpeg"), 1 << 20, same.jpegPlanes(), untouched, 0)).as("grey")
                .isFalse();
        assertThat(decoder.decodePlanes(encode(colour, "png"), 1 << 20, same.jpegPlanes(), untouched, 0)).as("PNG")
                .isFalse();
        assertThat(untouched).containsOnly(0f);
        boolean couldBuild = "Linux".equals(System.getProperty("os.name"))
                && "amd64".equals(System.getProperty("os.arch"))
                && java.nio.file.Files.exists(java.nio.file.Path.of("/usr/include/jpeglib.h"))
                && System.getProperty("jdissect.jpeg") == null;
        assertThat(native_).as("decoded natively where the build has the decoder").isEqualTo(couldBuild);
    }

    private static byte[] encode(BufferedImage img, String format) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(javax.imageio.ImageIO.write(img, format, out)).isTrue();
        return out.toByteArray();
    }
}
