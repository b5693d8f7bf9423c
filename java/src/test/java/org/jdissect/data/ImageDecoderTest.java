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
                // libjpeg's words: "Premature end of JPEG file" through the native decoder, whose source ends at the
                // file's end; "Corrupt JPEG data: premature end of data segment" through ImageIO's
                .hasMessageMatching("(?is).*premature end of (JPEG file|data segment).*");
        assertThat(decoder.decode(full).getWidth()).as("the next file decodes").isEqualTo(64);
    }

    /**
     * JPEGs of every layout the native decoder takes (4:2:0, 4:2:2, 4:4:0, 4:4:4, progressive, restart markers, odd
     * sizes, grey) and of layouts it leaves to ImageIO (no JFIF marker, an Adobe one), decoded one after another by
     * one decoder: ImageIO's image type, colour model and pixels every time.
     */
    @Test
    void everyJpegLayoutDecodesToImageIosPixels() throws IOException {
        BufferedImage colour = image(BufferedImage.TYPE_3BYTE_BGR, 53, 41);
        BufferedImage grey = image(BufferedImage.TYPE_BYTE_GRAY, 53, 41);
        byte[][] files = {
            jpeg(colour, 2, 2, false, 0, true), jpeg(colour, 2, 1, false, 0, true), jpeg(colour, 1, 2, false, 0, true),
            jpeg(colour, 1, 1, false, 0, true), jpeg(colour, 2, 2, true, 0, true), jpeg(colour, 2, 2, false, 3, true),
            jpeg(image(BufferedImage.TYPE_3BYTE_BGR, 301, 17), 2, 2, false, 0, true),
            jpeg(image(BufferedImage.TYPE_3BYTE_BGR, 1, 1), 2, 2, false, 0, true),
            jpeg(grey, 1, 1, false, 0, true), jpeg(grey, 1, 1, true, 0, true),
            jpeg(colour, 2, 2, false, 0, false), // no JFIF marker: ImageIO's
            jpeg(colour, 1, 1, false, 0, true), // after it, the native decoder again
        };
        ImageDecoder decoder = new ImageDecoder();
        for (int i = 0; i < files.length; i++) {
            BufferedImage expected = ImageIO.read(new ByteArrayInputStream(files[i]));
            BufferedImage got = decoder.decode(files[i]);
            assertThat(got.getType()).as("file " + i + ": type").isEqualTo(expected.getType());
            assertThat(got.getColorModel()).as("file " + i + ": colour model").isEqualTo(expected.getColorModel());
            assertThat(got.getSampleModel().getNumBands()).isEqualTo(expected.getSampleModel().getNumBands());
            assertThat(pixels(got)).as("file " + i + ": pixels").isEqualTo(pixels(expected));
        }
    }

    /** Where libjpeg's headers are installed on linux-x86_64, the build carries the native decoder and uses it. */
    @Test
    void theNativeDecoderIsInABuildThatCouldMakeIt() throws IOException {
        boolean couldBuild = "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"))
                && java.nio.file.Files.exists(java.nio.file.Path.of("/usr/include/jpeglib.h"))
                && System.getProperty("jdissect.jpeg") == null;
        org.junit.jupiter.api.Assumptions.assumeTrue(couldBuild, "no libjpeg headers here: ImageIO decodes JPEGs");
        assertThat(NativeJpeg.loadProblem()).isNull();
        NativeJpeg.Calls calls = new NativeJpeg.Calls();
        BufferedImage colour = image(BufferedImage.TYPE_3BYTE_BGR, 30, 20);
        BufferedImage first = calls.decode(jpeg(colour, 2, 2, false, 0, true), 1000);
        assertThat(first).as("a JFIF JPEG: native").isNotNull();
        assertThat(calls.decode(jpeg(colour, 1, 1, true, 0, true), 1000)).as("same size: the same image")
                .isSameAs(first);
        assertThat(calls.decode(jpeg(colour, 2, 2, false, 0, false), 1000)).as("no JFIF: ImageIO's").isNull();
        assertThatThrownBy(() -> calls.decode(jpeg(colour, 2, 2, false, 0, true), 599)).isInstanceOf(IOException.class)
                .hasMessageContaining("declares 30 x 20 pixels, more than the 599 allowed");
    }

    /** A JPEG whose frame header declares 60,000 x 60,000 pixels is refused from its header, natively or not. */
    @Test
    void aJpegBombIsRefusedFromItsHeader() throws IOException {
        byte[] file = jpeg(image(BufferedImage.TYPE_3BYTE_BGR, 16, 16), 2, 2, false, 0, true);
        for (int i = 0; i + 8 < file.length; i++) {
            if ((file[i] & 0xff) == 0xff && (file[i + 1] & 0xff) == 0xc0) { // SOF0: length, precision, height, width
                file[i + 5] = (byte) 0xea;
                file[i + 6] = 0x60;
                file[i + 7] = (byte) 0xea;
                file[i + 8] = 0x60;
            }
        }
        assertThatThrownBy(() -> new ImageDecoder().decode(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("declares 60000 x 60000 pixels").hasMessageContaining("refused before decoding");
    }

    /**
     * ImageIO's JPEG writer with the luma's sampling factors {@code h} x {@code v} (the chroma's 1 x 1), progressive
     * or not, a restart marker every {@code restart} MCUs (0: none), with or without its JFIF marker.
     */
    private static byte[] jpeg(BufferedImage img, int h, int v, boolean progressive, int restart, boolean jfif)
            throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            }
            javax.imageio.metadata.IIOMetadata meta = writer.getDefaultImageMetadata(
                    new javax.imageio.ImageTypeSpecifier(img), param);
            String format = "javax_imageio_jpeg_image_1.0";
            javax.imageio.metadata.IIOMetadataNode root = (javax.imageio.metadata.IIOMetadataNode) meta.getAsTree(format);
            org.w3c.dom.NodeList specs = root.getElementsByTagName("componentSpec");
            for (int c = 0; c < specs.getLength(); c++) {
                org.w3c.dom.Element spec = (org.w3c.dom.Element) specs.item(c);
                spec.setAttribute("HsamplingFactor", String.valueOf(c == 0 ? h : 1));
                spec.setAttribute("VsamplingFactor", String.valueOf(c == 0 ? v : 1));
            }
            if (restart > 0) {
                org.w3c.dom.Node sequence = root.getElementsByTagName("markerSequence").item(0);
                javax.imageio.metadata.IIOMetadataNode dri = new javax.imageio.metadata.IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restart));
                sequence.insertBefore(dri, root.getElementsByTagName("sof").item(0));
            }
            if (!jfif) {
                org.w3c.dom.Node app0 = root.getElementsByTagName("app0JFIF").item(0);
                app0.getParentNode().removeChild(app0);
            }
            meta.setFromTree(format, root);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new javax.imageio.IIOImage(img, null, meta), param);
            }
            return out.toByteArray();
        } finally {
            writer.dispose();
        }
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
