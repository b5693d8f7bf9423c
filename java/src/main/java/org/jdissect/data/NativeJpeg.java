package org.jdissect.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;

import org.bytedeco.javacpp.Loader;
import org.jdissect.io.CStrings;

/**
 * jdissect's native JPEG decoder (native/jdissect_jpeg.h) for the files whose pixels ImageIO would decode the same:
 * 8-bit JFIF colour and grey JPEGs, into the image types ImageIO gives them ({@code TYPE_3BYTE_BGR},
 * {@code TYPE_BYTE_GRAY}). It is loaded once per JVM; where it is not in the build (no libjpeg headers where it
 * was built, another platform, or no libjpeg.so.62 here), {@link ImageDecoder} uses ImageIO and {@code -v} says
 * why. {@code -Djdissect.jpeg=imageio} makes every JPEG go through ImageIO (to compare the two).
 */
final class NativeJpeg {
    private static final System.Logger LOG = System.getLogger(NativeJpeg.class.getName());
    /** The C API this code calls (kApiVersion in jdissect_jpeg.cpp). */
    static final int API_VERSION = 2;

    private NativeJpeg() {
    }

    /** Null when the decoder is loaded, else why it is not used. */
    static String loadProblem() {
        return Holder.PROBLEM;
    }

    private static final class Holder {
        static final String PROBLEM = load();
    }

    private static String load() {
        String problem;
        if ("imageio".equals(System.getProperty("jdissect.jpeg"))) {
            problem = "-Djdissect.jpeg=imageio";
        } else {
            try {
                Loader.load(JpegLib.class);
                int[] api = new int[1];
                int[] libjpeg = new int[1];
                JpegLib.jd_jpeg_version(api, libjpeg, null, 0);
                problem = api[0] == API_VERSION ? null : "the JPEG library in this build speaks C API version "
                        + api[0] + ", this jar needs version " + API_VERSION + ": rebuild both (mvn package)";
                if (problem == null) {
                    LOG.log(System.Logger.Level.DEBUG, "JPEG files decoded by jdissect's decoder over libjpeg "
                            + libjpeg[0] + " (ImageIO for the other image files)");
                }
            } catch (LinkageError | RuntimeException e) {
                // whatever keeps the library from loading (not built, another platform, no libjpeg.so.62, a cache
                // folder JavaCPP cannot write): ImageIO decodes the JPEGs instead
                String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                int nl = detail.indexOf('\n');
                problem = "jdissect's JPEG decoder is not in this build or cannot load (it is built for linux-x86_64 "
                        + "where libjpeg's headers are installed, and needs libjpeg.so.62): "
                        + (nl < 0 ? detail : detail.substring(0, nl));
            }
        }
        if (problem != null) {
            LOG.log(System.Logger.Level.DEBUG, "JPEG files decoded by ImageIO: " + problem);
        }
        return problem;
    }

    /** One thread's buffers for the calls. */
    static final class Calls {
        private final int[] shape = new int[3];
        private final byte[] err = new byte[512];
        private BufferedImage last;

        /**
         * Decodes a JPEG into the previous image of this thread when it has the same size and layout, else into a
         * new one.
         *
         * @return the image, or null for a file left to ImageIO (another colour layout)
         * @throws IOException a corrupt or truncated file (libjpeg's message), or one over {@code maxPixels}
         */
        BufferedImage decode(byte[] file, long maxPixels) throws IOException {
            BufferedImage image = last;
            for (int attempt = 0; attempt < 2; attempt++) {
                byte[] out = image == null ? new byte[0] : ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
                shape[0] = image == null ? 0 : image.getWidth();
                shape[1] = image == null ? 0 : image.getHeight();
                shape[2] = image == null ? 0 : image.getType() == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
                int status = JpegLib.jd_jpeg_decode(file, file.length, maxPixels, out, out.length, shape, err,
                        err.length);
                switch (status) {
                    case JpegLib.JD_JPEG_OK:
                        last = image;
                        return image;
                    case JpegLib.JD_JPEG_NEEDS_BUFFER:
                        // the header was read and checked against maxPixels: an image of the file's own size
                        image = new BufferedImage(shape[0], shape[1],
                                shape[2] == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
                        continue;
                    case JpegLib.JD_JPEG_OTHER_LAYOUT:
                        return null;
                    default:
                        throw failure("jd_jpeg_decode", status);
                }
            }
            throw new IllegalStateException("jd_jpeg_decode: the image made for the file's own shape "
                    + shape[0] + " x " + shape[1] + " x " + shape[2] + " was refused");
        }

        /**
         * Decodes a colour JPEG of exactly {@code planes}' size straight into normalised float planes (see
         * {@link ImageDecoder.Planes}).
         *
         * @return false for a file of another size or layout (grey included), which the caller decodes as an image
         * @throws IOException a corrupt or truncated file (libjpeg's message), or one over {@code maxPixels}
         */
        boolean decodePlanes(byte[] file, long maxPixels, ImageDecoder.Planes planes, float[] dst, int offset)
                throws IOException {
            shape[0] = planes.width();
            shape[1] = planes.height();
            shape[2] = 3;
            int status = JpegLib.jd_jpeg_decode_planes(file, file.length, maxPixels, planes.tables(), planes.planes(),
                    dst, offset, dst.length, shape, err, err.length);
            switch (status) {
                case JpegLib.JD_JPEG_OK:
                    return true;
                case JpegLib.JD_JPEG_NEEDS_BUFFER:
                case JpegLib.JD_JPEG_OTHER_LAYOUT:
                    return false;
                default:
                    throw failure("jd_jpeg_decode_planes", status);
            }
        }

        /**
         * The exception of a failed call: the file's fault (corrupt, too large) as an IOException with libjpeg's
         * message, anything else (a bad argument, an internal error) as a bug.
         */
        private IOException failure(String call, int status) {
            if (status == JpegLib.JD_JPEG_CORRUPT || status == JpegLib.JD_JPEG_TOO_LARGE) {
                return new IOException(message());
            }
            throw new IllegalStateException(call + ": status " + status + ": " + message());
        }

        private String message() {
            return CStrings.read(err);
        }
    }
}
