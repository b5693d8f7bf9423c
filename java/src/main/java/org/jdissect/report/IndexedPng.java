package org.jdissect.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.jdissect.JdissectException;

/**
 * A small PNG writer: 2-bit palettes (up to 4 colours with alpha) for the report's mask overlays, which are almost
 * uniform and compress to a few hundred bytes, and 8-bit RGB for enlarged thumbnails (flat blocks of colour that
 * JPEG would smear). It costs a fraction of what a general encoder does, with nothing to initialise.
 */
public final class IndexedPng {
    private IndexedPng() {
    }

    /** Width and height of a PNG file, from its header. */
    public static int[] size(Path png) throws IOException {
        byte[] head = new byte[24];
        try (InputStream in = Files.newInputStream(png)) {
            if (in.readNBytes(head, 0, 24) < 24 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') {
                throw new JdissectException(png + " is not a PNG");
            }
        }
        ByteBuffer bb = ByteBuffer.wrap(head);
        return new int[] {bb.getInt(16), bb.getInt(20)};
    }

    /** 8-bit RGB, each row filtered with Sub (the difference from the pixel to its left). */
    public static void writeRgb(OutputStream out, int width, int height, int[] rgb) throws IOException {
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream(13);
        int32(ihdr, width);
        int32(ihdr, height);
        ihdr.write(8);
        ihdr.write(2); // colour type: RGB
        ihdr.write(0);
        ihdr.write(0);
        ihdr.write(0);
        chunk(out, "IHDR", ihdr.toByteArray());
        int stride = width * 3 + 1;
        byte[] raw = new byte[height * stride];
        for (int y = 0; y < height; y++) {
            int o = y * stride;
            raw[o] = 1; // Sub
            int prev = 0;
            for (int x = 0; x < width; x++) {
                int p = rgb[y * width + x];
                raw[o + 1 + 3 * x] = (byte) ((p >>> 16) - (prev >>> 16));
                raw[o + 2 + 3 * x] = (byte) ((p >>> 8) - (prev >>> 8));
                raw[o + 3 + 3 * x] = (byte) (p - prev);
                prev = p;
            }
        }
        chunk(out, "IDAT", deflate(raw, Deflater.BEST_SPEED));
        chunk(out, "IEND", new byte[0]);
    }

    /**
     * @param index  {@code width x height} palette indexes 0..3, row-major
     * @param rgba   palette entries as 0xRRGGBBAA
     */
    public static void write(OutputStream out, int width, int height, byte[] index, int[] rgba) throws IOException {
        if (rgba.length < 1 || rgba.length > 4) {
            throw new IllegalArgumentException("2-bit palette of 1 to 4 colours, got " + rgba.length);
        }
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream(13);
        int32(ihdr, width);
        int32(ihdr, height);
        ihdr.write(2); // bit depth
        ihdr.write(3); // colour type: palette
        ihdr.write(0);
        ihdr.write(0);
        ihdr.write(0);
        chunk(out, "IHDR", ihdr.toByteArray());
        byte[] plte = new byte[rgba.length * 3];
        byte[] trns = new byte[rgba.length];
        for (int i = 0; i < rgba.length; i++) {
            plte[3 * i] = (byte) (rgba[i] >>> 24);
            plte[3 * i + 1] = (byte) (rgba[i] >>> 16);
            plte[3 * i + 2] = (byte) (rgba[i] >>> 8);
            trns[i] = (byte) rgba[i];
        }
        chunk(out, "PLTE", plte);
        chunk(out, "tRNS", trns);
        int stride = (width + 3) / 4;
        byte[] raw = new byte[height * (stride + 1)];
        int full = width >> 2;
        for (int y = 0; y < height; y++) {
            int o = y * (stride + 1) + 1; // raw[o - 1] = 0: no filter
            int i = y * width;
            for (int k = 0; k < full; k++, i += 4) {
                raw[o + k] = (byte) ((index[i] & 3) << 6 | (index[i + 1] & 3) << 4 | (index[i + 2] & 3) << 2
                        | (index[i + 3] & 3));
            }
            for (int x = full << 2; x < width; x++) {
                raw[o + (x >> 2)] |= (byte) ((index[y * width + x] & 3) << (6 - 2 * (x & 3)));
            }
        }
        chunk(out, "IDAT", deflate(raw, Deflater.BEST_SPEED));
        chunk(out, "IEND", new byte[0]);
    }

    private static byte[] deflate(byte[] raw, int level) {
        Deflater deflater = new Deflater(level);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream(Math.max(64, raw.length / 16));
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                z.write(buf, 0, n);
            }
            return z.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream len = new ByteArrayOutputStream(4);
        int32(len, data.length);
        out.write(len.toByteArray());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        ByteArrayOutputStream c = new ByteArrayOutputStream(4);
        int32(c, (int) crc.getValue());
        out.write(c.toByteArray());
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
