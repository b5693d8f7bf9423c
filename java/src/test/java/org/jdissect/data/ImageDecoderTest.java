package org.jdissect.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** One decoder through a run of files of every kind gives what ImageIO.read gives, reusing pixels where it may. */
class ImageDecoderTest {
    private final Random rnd = new Random(5);

    @Test
    void decodesWhatImageIoReadDecodesThroughChangesOfFormatSizeAndLayout() throws IOException {
        byte[][] files = {
            encode(image(BufferedImage.TYPE_3BYTE_BGR, 20, 12), "jpeg"),
            encode(image(BufferedImage.TYPE_3BYTE_BGR, 20, 12), "jpeg"), // same size and layout: reused
            encode(image(BufferedImage.TYPE_BYTE_GRAY, 20, 12), "jpeg"), // same size, grey: not reused
            encode(image(BufferedImage.TYPE_3BYTE_BGR, 20, 12), "jpeg"),
            encode(image(BufferedImage.TYPE_3BYTE_BGR, 9, 30), "jpeg"), // another size
            encode(image(BufferedImage.TYPE_INT_RGB, 20, 12), "png"),
            encode(image(BufferedImage.TYPE_INT_ARGB, 20, 12), "png"), // alpha at the same size
            encode(image(BufferedImage.TYPE_INT_ARGB, 20, 12), "png"),
            encode(image(BufferedImage.TYPE_BYTE_INDEXED, 20, 12), "png"), // a palette
            encode(image(BufferedImage.TYPE_USHORT_GRAY, 20, 12), "png"), // 16-bit grey
            encode(image(BufferedImage.TYPE_USHORT_GRAY, 20, 12), "png"),
            encode(image(BufferedImage.TYPE_INT_RGB, 20, 12), "bmp"), // any other format: ImageIO's choice
            encode(image(BufferedImage.TYPE_INT_RGB, 20, 12), "png"),
        };
        ImageDecoder decoder = new ImageDecoder();
        BufferedImage previous = null;
        for (int i = 0; i < files.length; i++) {
            BufferedImage expected = ImageIO.read(new ByteArrayInputStream(files[i]));
            BufferedImage got = decoder.decode(files[i]);
            assertThat(got.getType()).as("file " + i + ": type").isEqualTo(expected.getType());
            assertThat(got.getColorModel()).as("file " + i + ": colour model").isEqualTo(expected.getColorModel());
            assertThat(pixels(got)).as("file " + i + ": pixels").isEqualTo(pixels(expected));
            assertThat(got.getRaster().getDataBuffer().getDataType())
                    .isEqualTo(expected.getRaster().getDataBuffer().getDataType());
            if (i == 1) {
                assertThat(got).as("the same size and layout decode into the same image").isSameAs(previous);
            }
            if (i == 2 || i == 3) {
                assertThat(got).as("file " + i + ": another layout gets its own image").isNotSameAs(previous);
            }
            previous = got;
        }
    }

    @Test
    void aCorruptFileFailsAndTheNextOneDecodes() throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        byte[] good = encode(image(BufferedImage.TYPE_3BYTE_BGR, 16, 16), "jpeg");
        decoder.decode(good);
        byte[] cut = Arrays.copyOf(good, 40); // a JPEG header and no image
        assertThatThrownBy(() -> decoder.decode(cut)).isInstanceOf(IOException.class);
        byte[] png = encode(image(BufferedImage.TYPE_INT_RGB, 16, 16), "png");
        byte[] badPng = Arrays.copyOf(png, png.length - 30);
        assertThatThrownBy(() -> decoder.decode(badPng)).isInstanceOf(IOException.class);
        assertThat(pixels(decoder.decode(good))).isEqualTo(pixels(ImageIO.read(new ByteArrayInputStream(good))));
        assertThat(pixels(decoder.decode(png))).isEqualTo(pixels(ImageIO.read(new ByteArrayInputStream(png))));
        assertThat(decoder.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})).as("no reader takes it").isNull();
    }

    private BufferedImage image(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (rnd.nextInt(256) << 24) | rnd.nextInt(1 << 24));
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).as("a " + format + " writer").isTrue();
        return out.toByteArray();
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
    }

    /**
     * A PNG whose header declares 12,000 x 12,000 pixels (a decompression bomb: its rows would compress to nearly
     * nothing) is refused from its header, before a pixel is allocated; so is anything over the caller's limit.
     */
    @Test
    void aBombIsRefusedFromItsHeader() throws IOException {
        byte[] bomb = pngHeaderOnly(12000, 12000);
        assertThatThrownBy(() -> new ImageDecoder().decode(bomb)).isInstanceOf(IOException.class)
                .hasMessageContaining("declares 12000 x 12000 pixels").hasMessageContaining("refused before decoding");
        byte[] ok = encode(image(BufferedImage.TYPE_INT_RGB, 40, 30), "png");
        assertThat(new ImageDecoder().decode(ok, 1200).getWidth()).isEqualTo(40);
        assertThatThrownBy(() -> new ImageDecoder().decode(ok, 1199)).isInstanceOf(IOException.class)
                .hasMessageContaining("40 x 30");
    }

    /** A JPEG that ends early decodes in ImageIO with the rest grey and a warning; PIL refuses it, and so does this. */
    @Test
    void aTruncatedJpegIsAnError() throws IOException {
        byte[] full = encode(image(BufferedImage.TYPE_3BYTE_BGR, 64, 64), "jpeg");
        byte[] truncated = Arrays.copyOf(full, full.length * 2 / 3);
        assertThat(ImageIO.read(new ByteArrayInputStream(truncated))).as("ImageIO alone accepts it").isNotNull();
        ImageDecoder decoder = new ImageDecoder();
        assertThatThrownBy(() -> decoder.decode(truncated)).isInstanceOf(IOException.class)
                .hasMessageContaining("premature end of data segment");
        assertThat(decoder.decode(full).getWidth()).as("the next file decodes").isEqualTo(64);
    }

    /** The signature, an IHDR chunk declaring the size, and nothing else. */
    static byte[] pngHeaderOnly(int width, int height) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 12, 17);
        b.putInt((int) crc.getValue());
        return b.array();
    }
}
