package org.jdissect.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files one after another, for one thread: PNG and JPEG with one ImageIO reader per format kept for
 * the decoder's life, into the previous image's pixels when the next image has the same size and layout (as the
 * images of a dataset mostly do); other formats with a reader made for them. The pixels are what
 * {@code ImageIO.read} gives. An image returned is valid until the next call.
 *
 * <p>Hostile files are refused before they cost anything: the size in the file's header is checked against the
 * caller's limit before a pixel is decoded (a 1 MB PNG can declare 20,000 x 20,000 pixels whose rows compress to
 * nothing: decoding it would need 1.6 GB), and a decoder warning (a JPEG that ends early, which ImageIO decodes
 * silently with the rest grey, where PIL refuses it) is an error, as it is for PIL.
 *
 * <p>Why: {@code ImageIO.read} makes a reader and a fresh image every time, and fresh pixel memory costs a page fault
 * per page on its first touch. Measured on the 2-core VM, 636 JPEGs of 128 x 128 in a fresh JVM: 196 ms this way
 * against 340 to 460 ms with {@code ImageIO.read}.
 *
 * <p>JPEGs go to jdissect's native decoder first ({@link NativeJpeg}: the same libjpeg as ImageIO's, called
 * directly, 0.54 against 0.87 to 1.0 ms per 224 x 224 image in a fresh JVM), which gives the same image type and
 * the same pixels and leaves the files it does not take (CMYK, ICC profiles, 12-bit, no JFIF marker) to ImageIO.
 */
public final class ImageDecoder {
    /** The largest image decoded at all: 64 megapixels (256 MB of pixels as 32-bit RGB). */
    public static final long MAX_PIXELS = 64L << 20;

    private NativeJpeg.Calls nativeJpeg;
    private ImageReader jpeg;
    private ImageReader png;
    private BufferedImage last;
    private ImageTypeSpecifier lastType;

    /**
     * A model input's layout for {@link #decodePlanes}: {@code width x height} pixels, three float planes, each 8-bit
     * colour value {@code x} written as {@code tables[256 k + x]} into plane {@code planes[k]}, for red ({@code k} =
     * 0), green (1) and blue (2).
     */
    public record Planes(int width, int height, float[] tables, int[] planes) {
        public Planes {
            if (width <= 0 || height <= 0 || tables.length != 768 || planes.length != 3) {
                throw new IllegalArgumentException("planes: a positive size, 768 table values and 3 plane indexes");
            }
            tables = tables.clone();
            planes = planes.clone();
        }
    }

    /**
     * Decodes a colour JPEG of exactly {@code planes}' size straight into {@code dst[offset ..]} as {@code planes}
     * lays it out, through the native decoder: the values are those of the tables applied to the pixels
     * {@link #decode} gives, without the image. A Java pass over the image's bytes took 0.19 ms (one JVM) to 0.33 ms
     * (in a run, JFR) per 224 x 224 image under C1; the decoder writing the planes itself adds 0.18 to 0.25 ms to its
     * 0.37 to 0.48 ms, most of it the 600 KB of floats (C, 1,000 SceneWorld images; 2-core VM, 2026-11-28).
     *
     * @return false where this does not apply (no native decoder, not a JPEG, another size or layout): the caller
     *         decodes the image with {@link #decode} and converts it itself
     * @throws IOException as {@link #decode}
     */
    public boolean decodePlanes(byte[] bytes, long maxPixels, Planes planes, float[] dst, int offset)
            throws IOException {
        NativeJpeg.Calls calls = isJpeg(bytes) ? nativeJpeg() : null;
        if (calls == null) {
            return false;
        }
        if (offset < 0 || (long) offset + 3L * planes.width() * planes.height() > dst.length) {
            throw new IllegalArgumentException("destination too small: " + dst.length + " floats from offset " + offset
                    + ", need 3 x " + planes.width() + " x " + planes.height());
        }
        return calls.decodePlanes(bytes, Math.min(maxPixels, MAX_PIXELS), planes, dst, offset);
    }

    /** The JPEG signature: a start-of-image marker. */
    private static boolean isJpeg(byte[] bytes) {
        return bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
    }

    /** This decoder's calls into the native JPEG decoder, or null where it is not loaded. */
    private NativeJpeg.Calls nativeJpeg() {
        if (nativeJpeg == null && NativeJpeg.loadProblem() == null) {
            nativeJpeg = new NativeJpeg.Calls();
        }
        return nativeJpeg;
    }

    /** Decodes {@code bytes} on its own, with no reuse; null where no reader takes them. */
    public static BufferedImage decodeOnce(byte[] bytes) throws IOException {
        return new ImageDecoder().decode(bytes, MAX_PIXELS);
    }

    /** As {@link #decode(byte[], long)} with the absolute limit, {@link #MAX_PIXELS}. */
    public BufferedImage decode(byte[] bytes) throws IOException {
        return decode(bytes, MAX_PIXELS);
    }

    /**
     * @param maxPixels the most pixels the header may declare (and at most {@link #MAX_PIXELS})
     * @return the image, or null where no reader takes the bytes (as {@code ImageIO.read})
     * @throws IOException a corrupt or truncated file, or one larger than allowed (ImageIO's unchecked exceptions
     *                     included)
     */
    public BufferedImage decode(byte[] bytes, long maxPixels) throws IOException {
        boolean isPng = bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N'
                && bytes[3] == 'G';
        boolean isJpeg = isJpeg(bytes);
        NativeJpeg.Calls calls = isJpeg ? nativeJpeg() : null;
        if (calls != null) {
            BufferedImage image = calls.decode(bytes, Math.min(maxPixels, MAX_PIXELS));
            if (image != null) {
                return image;
            }
        }
        ImageReader reader = isPng ? png : isJpeg ? jpeg : null;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            if (reader == null) {
                Iterator<ImageReader> readers = isPng || isJpeg
                        ? ImageIO.getImageReadersByFormatName(isPng ? "png" : "jpeg") : ImageIO.getImageReaders(in);
                if (!readers.hasNext()) {
                    if (isPng || isJpeg) {
                        throw new IOException("this Java has no " + (isPng ? "PNG" : "JPEG") + " decoder");
                    }
                    return null;
                }
                reader = readers.next();
            }
            List<String> warnings = new ArrayList<>();
            IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
            reader.addIIOReadWarningListener(listener);
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > Math.min(maxPixels, MAX_PIXELS)) {
                    throw new IOException("its header declares " + reader.getWidth(0) + " x " + reader.getHeight(0)
                            + " pixels, more than the " + Math.min(maxPixels, MAX_PIXELS) + " allowed (refused "
                            + "before decoding)");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                ImageTypeSpecifier type = types.hasNext() ? types.next() : null; // what ImageIO.read decodes into
                boolean reusable = isPng || isJpeg;
                if (reusable && last != null && type != null && type.equals(lastType)
                        && last.getWidth() == reader.getWidth(0) && last.getHeight() == reader.getHeight(0)) {
                    param.setDestination(last);
                }
                BufferedImage image = reader.read(0, param);
                if (!warnings.isEmpty()) {
                    throw new IOException(String.join("; ", warnings));
                }
                last = reusable ? image : null;
                lastType = reusable ? type : null;
                if (isPng) {
                    png = reader;
                } else if (isJpeg) {
                    jpeg = reader;
                } else {
                    reader.dispose();
                }
                return image;
            } finally {
                reader.removeIIOReadWarningListener(listener);
                if (reader == png || reader == jpeg) {
                    reader.setInput(null);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a reader that failed may keep a broken state, and the image it wrote into is half new: start afresh
            if (reader != null) {
                reader.dispose();
            }
            if (reader == png) {
                png = null;
            }
            if (reader == jpeg) {
                jpeg = null;
            }
            last = null;
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.toString(), e);
        }
    }
}
