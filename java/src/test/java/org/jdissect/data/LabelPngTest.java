package org.jdissect.data;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelPngTest {

    private static byte[] imageIoPng(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", out)).isTrue();
        return out.toByteArray();
    }

    /** Labels with smooth regions and noise, so ImageIO's adaptive filtering uses every PNG filter type. */
    private static int[] labels(int w, int h, long seed) {
        Random random = new Random(seed);
        int[] labels = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = (x / 5) * 37 + (y / 3) * 300;
                if ((x + y) % 7 == 0) {
                    v = random.nextInt(1 << 16);
                }
                labels[y * w + x] = v & 0xffff;
            }
        }
        return labels;
    }

    @Test
    void ownEncoderRoundTripsLabelsAbove255AtOddSizes() throws IOException {
        for (int[] size : new int[][]{{1, 1}, {3, 5}, {113, 57}}) {
            int w = size[0];
            int h = size[1];
            int[] labels = labels(w, h, w * 31L + h);
            LabelPng.Decoded d = LabelPng.decode(LabelPng.encode(labels, w, h));
            assertThat(d.width()).isEqualTo(w);
            assertThat(d.height()).isEqualTo(h);
            assertThat(d.labels()).isEqualTo(labels);
        }
    }

    @Test
    void ownEncoderIsReadableByImageIoAsRPlus256G() throws IOException {
        int[] labels = {0, 1, 255, 256, 257, 1197, 65535, 300};
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(LabelPng.encode(labels, 4, 2)));
        for (int i = 0; i < labels.length; i++) {
            int rgb = image.getRGB(i % 4, i / 4);
            assertThat(((rgb >> 16) & 0xff) + 256 * ((rgb >> 8) & 0xff)).isEqualTo(labels[i]);
            assertThat(rgb & 0xff).isZero();
        }
    }

    @Test
    void decodesRgbAndRgbaWrittenByImageIoWithEveryFilter() throws IOException {
        int w = 97;
        int h = 41;
        int[] labels = labels(w, h, 7);
        for (int type : new int[]{BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
                BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage image = new BufferedImage(w, h, type);
            for (int i = 0; i < labels.length; i++) {
                int alpha = (i % 3) * 100; // alpha must not leak into labels
                int blue = i % 251;        // nor blue
                image.setRGB(i % w, i / w, (alpha << 24) | ((labels[i] & 0xff) << 16) | (labels[i] & 0xff00) | blue);
            }
            LabelPng.Decoded d = LabelPng.decode(imageIoPng(image));
            assertThat(d.labels()).as("image type %d", type).isEqualTo(labels);
        }
    }

    @Test
    void decodesPaletteAnd16BitThroughImageIo() throws IOException {
        byte[] r = {0, 10, (byte) 200};
        byte[] g = {0, 1, 3};
        byte[] b = {0, 0, 9};
        BufferedImage palette = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b));
        int[] idx = {0, 1, 2, 2, 1, 0};
        palette.getRaster().setPixels(0, 0, 3, 2, idx);
        LabelPng.Decoded d = LabelPng.decode(imageIoPng(palette));
        assertThat(d.labels()).containsExactly(0, 10 + 256, 200 + 3 * 256, 200 + 3 * 256, 10 + 256, 0);

        BufferedImage deep = new BufferedImage(new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_USHORT),
                java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_USHORT, 2, 1, 3, null),
                false, null);
        deep.getRaster().setPixels(0, 0, 2, 1, new int[]{5 << 8, 2 << 8, 0, 255 << 8, 1 << 8, 0});
        assertThat(LabelPng.decode(imageIoPng(deep)).labels()).containsExactly(5 + 2 * 256, 255 + 256);
    }

    @Test
    void greyLabelMapsAreRejected() throws IOException {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        assertThatThrownBy(() -> LabelPng.decode(imageIoPng(grey))).isInstanceOf(IOException.class)
                .hasMessageContaining("grey");
    }

    @Test
    void corruptBytesAreIoExceptions() {
        byte[] good = LabelPng.encode(labels(20, 20, 1), 20, 20);
        assertThatThrownBy(() -> LabelPng.decode("hello, not a png at all, really not".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("signature");
        assertThatThrownBy(() -> LabelPng.decode(Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(IOException.class).hasMessageContaining("corrupt");
        byte[] garbled = good.clone();
        for (int i = 45; i < garbled.length - 20; i++) {
            garbled[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> LabelPng.decode(garbled)).isInstanceOf(IOException.class);
    }
}
