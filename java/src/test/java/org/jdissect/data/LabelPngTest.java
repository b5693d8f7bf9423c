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

    /** Labels with smooth regions, labels above 255 and noise. */
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
    void decodesRgbAndRgbaWrittenByImageIo() throws IOException {
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

    /**
     * ImageIO's writer only uses filter 0, but PIL (which made the real Broden maps) filters adaptively, so this
     * builds PNGs whose rows use Sub, Up, Average and Paeth, filtering forward as the PNG specification defines.
     */
    @Test
    void decodesEveryRowFilterType() throws IOException {
        int w = 64;
        int h = 60;
        Random random = new Random(3);
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.length; i++) {
            // uniform bytes, so that Paeth's ties (pa == pb, pb == pc) occur many times
            labels[i] = random.nextInt(1 << 16);
        }
        for (int bpp : new int[]{3, 4}) {
            byte[][] rows = new byte[h][w * bpp];
            for (int i = 0; i < labels.length; i++) {
                int p = (i % w) * bpp;
                rows[i / w][p] = (byte) labels[i];
                rows[i / w][p + 1] = (byte) (labels[i] >> 8);
                rows[i / w][p + 2] = (byte) random.nextInt(256);
                if (bpp == 4) {
                    rows[i / w][p + 3] = (byte) random.nextInt(256);
                }
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            for (int y = 0; y < h; y++) {
                int filter = y % 5;
                raw.write(filter);
                byte[] prev = y > 0 ? rows[y - 1] : new byte[w * bpp];
                for (int i = 0; i < w * bpp; i++) {
                    int x = rows[y][i] & 0xff;
                    int a = i >= bpp ? rows[y][i - bpp] & 0xff : 0;
                    int b = prev[i] & 0xff;
                    int c = i >= bpp ? prev[i - bpp] & 0xff : 0;
                    int predictor = switch (filter) {
                        case 0 -> 0;
                        case 1 -> a;
                        case 2 -> b;
                        case 3 -> (a + b) / 2;
                        default -> {
                            int pp = a + b - c;
                            int pa = Math.abs(pp - a);
                            int pb = Math.abs(pp - b);
                            int pc = Math.abs(pp - c);
                            yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                        }
                    };
                    raw.write((x - predictor) & 0xff);
                }
            }
            byte[] png = png(w, h, bpp == 4 ? 6 : 2, raw.toByteArray());
            assertThat(LabelPng.decode(png).labels()).as("bpp %d", bpp).isEqualTo(labels);
            // and ImageIO agrees that this is the image we meant
            BufferedImage viaImageIo = ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertThat(viaImageIo.getRGB(4, 9) & 0xffff00).isEqualTo(((labels[9 * w + 4] & 0xff) << 16) | (labels[9 * w + 4] & 0xff00));
        }
    }

    /** A PNG from already-filtered scanlines, split over two IDAT chunks. */
    private static byte[] png(int w, int h, int colorType, byte[] filtered) throws IOException {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(filtered);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        byte[] zlib = z.toByteArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.io.ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        java.io.DataOutputStream ih = new java.io.DataOutputStream(ihdr);
        ih.writeInt(w);
        ih.writeInt(h);
        ih.write(new byte[]{8, (byte) colorType, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        int half = zlib.length / 2;
        chunk(out, "tEXt", "Comment\0ignored".getBytes());
        chunk(out, "IDAT", Arrays.copyOfRange(zlib, 0, half));
        chunk(out, "IDAT", Arrays.copyOfRange(zlib, half, zlib.length));
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(java.io.DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes();
        out.write(t);
        out.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
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
