package org.jdissect.data;

import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Label maps as PNG, label = R + 256 * G per pixel (alpha and blue ignored, as NetDissect-Lite reads them).
 *
 * <p>Decoding is on the hot path of a dissection (thousands of maps per second across threads), so the common
 * case, 8-bit RGB or RGBA without interlacing, is decoded here straight from the zlib stream into label numbers,
 * with no {@code BufferedImage} and no colour conversion. Anything else (palette, 16-bit, interlaced) goes through
 * ImageIO. Every method keeps its state local, so concurrent calls are safe.
 */
final class LabelPng {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private LabelPng() {
    }

    /** A decoded label map, {@code labels} row-major. */
    record Decoded(int width, int height, int[] labels) {
    }

    /**
     * Width and height from the PNG's header, read before anything is decoded (a label map of the wrong size is refused
     * without decoding it); IOException when the bytes are not a PNG.
     */
    static int[] size(byte[] png) throws IOException {
        if (png.length < 8 + 25) {
            throw new IOException("not a PNG file (too short)");
        }
        for (int i = 0; i < 8; i++) {
            if (png[i] != SIGNATURE[i]) {
                throw new IOException("not a PNG file (bad signature)");
            }
        }
        if (readInt(png, 8) != 13 || readInt(png, 12) != chunkType("IHDR")) {
            throw new IOException("corrupt PNG: IHDR chunk missing");
        }
        return new int[] {readInt(png, 16), readInt(png, 20)};
    }

    /** Decodes a label map; IOException with a reason when the bytes are not a readable PNG. */
    static Decoded decode(byte[] png) throws IOException {
        return decode(png, null);
    }

    /**
     * {@link #decode(byte[])}, the labels written into {@code reuse} when it holds at least width x height values
     * (the caller then owns what it gets back only until it decodes again into the same array).
     */
    static Decoded decode(byte[] png, int[] reuse) throws IOException {
        int[] size = size(png);
        int width = size[0];
        int height = size[1];
        int bitDepth = png[24] & 0xff;
        int colorType = png[25] & 0xff;
        int interlace = png[28] & 0xff;
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE / 4) {
            throw new IOException("corrupt PNG: size " + width + "x" + height);
        }
        if (bitDepth == 8 && (colorType == 2 || colorType == 6) && interlace == 0) {
            return decodeRgb8(png, width, height, colorType == 6 ? 4 : 3, reuse);
        }
        return decodeWithImageIo(png);
    }

    /** Each thread's inflated rows, kept between maps up to 4 MB: a map's rows lived for one decode (README, Performance). */
    private static final ThreadLocal<byte[][]> RAW = ThreadLocal.withInitial(() -> new byte[1][]);
    private static final int KEEP_RAW = 4 << 20;

    private static Decoded decodeRgb8(byte[] png, int width, int height, int bpp, int[] reuse) throws IOException {
        int stride = width * bpp;
        byte[][] kept = RAW.get();
        int rawLength = (stride + 1) * height;
        byte[] raw = kept[0] != null && kept[0].length >= rawLength ? kept[0] : new byte[rawLength];
        if (raw.length <= KEEP_RAW) {
            kept[0] = raw;
        }
        Inflater inflater = new Inflater();
        try {
            int pos = 8 + 25;
            int filled = 0;
            boolean sawIdat = false;
            while (true) {
                if (pos + 8 > png.length) {
                    throw new IOException("corrupt PNG: truncated (no IEND chunk)");
                }
                int length = readInt(png, pos);
                int type = readInt(png, pos + 4);
                if (length < 0 || pos + 12L + length > png.length) {
                    throw new IOException("corrupt PNG: truncated chunk");
                }
                if (type == chunkType("IDAT")) {
                    sawIdat = true;
                    inflater.setInput(png, pos + 8, length);
                    while (!inflater.needsInput() && !inflater.finished() && filled < rawLength) {
                        int got = inflater.inflate(raw, filled, rawLength - filled);
                        filled += got;
                        if (got == 0 && inflater.needsDictionary()) {
                            throw new IOException("corrupt PNG: zlib stream needs a dictionary");
                        }
                    }
                } else if (type == chunkType("IEND")) {
                    break;
                }
                pos += 12 + length;
            }
            if (!sawIdat || filled < rawLength) {
                throw new IOException("corrupt PNG: image data ends after " + filled + " of " + rawLength + " bytes");
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt PNG: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        int[] labels = reuse != null && reuse.length >= width * height ? reuse : new int[width * height];
        byte[] prev = new byte[stride];
        byte[] cur = new byte[stride];
        for (int y = 0; y < height; y++) {
            int off = y * (stride + 1);
            int filter = raw[off] & 0xff;
            System.arraycopy(raw, off + 1, cur, 0, stride);
            unfilter(filter, cur, prev, bpp, y);
            int o = y * width;
            for (int x = 0, p = 0; x < width; x++, p += bpp) {
                labels[o + x] = (cur[p] & 0xff) | ((cur[p + 1] & 0xff) << 8);
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        return new Decoded(width, height, labels);
    }

    private static void unfilter(int filter, byte[] cur, byte[] prev, int bpp, int y) throws IOException {
        int n = cur.length;
        switch (filter) {
            case 0 -> {
            }
            case 1 -> {
                for (int i = bpp; i < n; i++) {
                    cur[i] += cur[i - bpp];
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    cur[i] += prev[i];
                }
            }
            case 3 -> {
                for (int i = 0; i < n; i++) {
                    int left = i >= bpp ? cur[i - bpp] & 0xff : 0;
                    cur[i] += (byte) ((left + (prev[i] & 0xff)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    int a = i >= bpp ? cur[i - bpp] & 0xff : 0;
                    int b = prev[i] & 0xff;
                    int c = i >= bpp ? prev[i - bpp] & 0xff : 0;
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    cur[i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
            }
            default -> throw new IOException("corrupt PNG: unknown filter type " + filter + " in row " + y);
        }
    }

    private static Decoded decodeWithImageIo(byte[] png) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(png)));
        } catch (RuntimeException e) {
            // ImageIO reports some corrupt streams with unchecked exceptions
            throw new IOException("corrupt PNG: " + e, e);
        }
        if (image == null) {
            throw new IOException("not a readable PNG file");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] labels = new int[w * h];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof IndexColorModel) {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < labels.length; i++) {
                labels[i] = ((argb[i] >> 16) & 0xff) | (argb[i] & 0xff00);
            }
        } else if (raster.getNumBands() >= 3) {
            int shift = raster.getTransferType() == DataBuffer.TYPE_USHORT ? 8 : 0;
            int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
            for (int i = 0; i < labels.length; i++) {
                labels[i] = ((r[i] >> shift) & 0xff) | (((g[i] >> shift) & 0xff) << 8);
            }
        } else {
            throw new IOException("label map must be an RGB, RGBA or palette PNG, not " + raster.getNumBands()
                    + "-channel grey");
        }
        return new Decoded(w, h, labels);
    }

    /**
     * Encodes labels (0..65535) as an 8-bit RGB PNG: R = low byte, G = high byte, B = 0. Written directly so
     * output is byte-for-byte deterministic.
     */
    static byte[] encode(int[] labels, int width, int height) {
        if (labels.length != width * height) {
            throw new IllegalArgumentException("label map of " + labels.length + " pixels, expected " + width + "x" + height);
        }
        int stride = width * 3;
        byte[] raw = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++) {
            int off = y * (stride + 1);
            raw[off] = 0;
            for (int x = 0; x < width; x++) {
                int v = labels[y * width + x];
                if (v < 0 || v > 0xffff) {
                    throw new IllegalArgumentException("label number " + v + " does not fit a PNG label map (0..65535)");
                }
                raw[off + 1 + 3 * x] = (byte) v;
                raw[off + 2 + 3 * x] = (byte) (v >> 8);
            }
        }
        Deflater deflater = new Deflater(6);
        ByteArrayOutputStream zlib = new ByteArrayOutputStream(raw.length / 8 + 64);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                zlib.write(buf, 0, n);
            }
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(zlib.size() + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        writeInt(ihdr, 0, width);
        writeInt(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        writeChunk(out, "IHDR", ihdr);
        writeChunk(out, "IDAT", zlib.toByteArray());
        writeChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] head = new byte[8];
        writeInt(head, 0, data.length);
        writeInt(head, 4, chunkType(type));
        out.writeBytes(head);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(head, 4, 4);
        crc.update(data);
        byte[] tail = new byte[4];
        writeInt(tail, 0, (int) crc.getValue());
        out.writeBytes(tail);
    }

    private static int chunkType(String type) {
        return (type.charAt(0) << 24) | (type.charAt(1) << 16) | (type.charAt(2) << 8) | type.charAt(3);
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
