package org.jdissect.model;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;

/**
 * Pixels read out of a {@code BufferedImage} as the model's preprocessing and the report's thumbnails need them:
 * planar floats or packed 8-bit RGB, straight from the data buffer for the layouts decoders give (3 bytes B, G, R;
 * one int 0xRRGGBB), through the raster for any other. Split from {@link Preprocessing}, which normalises what this
 * reads.
 */
public final class Rasters {
    private Rasters() {
    }

    /**
     * Planar R, G, B values in 0..255 (R plane, then G, then B; grey repeated) read straight from the raster, one
     * bulk read rather than a colour conversion per pixel; also the report's thumbnails read images this way.
     */
    public static float[] readRgb(BufferedImage img) {
        return readRgb(img, null);
    }

    /** {@link #readRgb(BufferedImage)} into {@code reuse} when it holds 3 x width x height values (it may be larger). */
    static float[] readRgb(BufferedImage img, float[] reuse) {
        float[] packed = packedPlanes(img, reuse);
        if (packed != null) {
            return packed;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        ColorModel cm = img.getColorModel();
        boolean direct = (cm instanceof ComponentColorModel || cm instanceof DirectColorModel)
                && (cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3
                    || cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1);
        BufferedImage source = img;
        if (!direct) {
            // palette, CMYK and other colour spaces: one conversion to sRGB, then the fast path
            source = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = source.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
            cm = source.getColorModel();
        }
        Raster raster = source.getRaster();
        int bands = raster.getNumBands();
        int colors = cm.getNumColorComponents();
        float[] out = atLeast(reuse, 3 * n);
        float[] factor = new float[colors];
        for (int c = 0; c < colors; c++) {
            int bits = cm.getComponentSize(c);
            factor[c] = bits == 8 ? 1f : (float) (255.0 / ((1L << bits) - 1));
        }
        int rowsPerChunk = Math.max(1, (1 << 20) / Math.max(1, w * bands));
        int[] pixels = null;
        for (int y0 = 0; y0 < h; y0 += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, h - y0);
            pixels = raster.getPixels(raster.getMinX(), raster.getMinY() + y0, w, rows, pixels);
            int base = y0 * w;
            int count = rows * w;
            if (colors == 3) {
                for (int i = 0; i < count; i++) {
                    int p = i * bands;
                    out[base + i] = pixels[p] * factor[0];
                    out[n + base + i] = pixels[p + 1] * factor[1];
                    out[2 * n + base + i] = pixels[p + 2] * factor[2];
                }
            } else {
                for (int i = 0; i < count; i++) {
                    float v = pixels[i * bands] * factor[0];
                    out[base + i] = v;
                    out[n + base + i] = v;
                    out[2 * n + base + i] = v;
                }
            }
        }
        return out;
    }

    /**
     * The two layouts decoders give for 8-bit colour (JPEG and RGB PNG: 3 bytes B, G, R; drawn images: one int
     * 0xRRGGBB), read straight from the data buffer; null for anything else (the general path then reads it).
     */
    private static float[] packedPlanes(BufferedImage img, float[] reuse) {
        int n = img.getWidth() * img.getHeight();
        DataBufferByte bgr = bgrBytes(img);
        if (bgr != null) {
            byte[] d = bgr.getData();
            int o = bgr.getOffset();
            float[] out = atLeast(reuse, 3 * n);
            for (int i = 0; i < n; i++) {
                int p = o + 3 * i;
                out[i] = d[p + 2] & 0xff;
                out[n + i] = d[p + 1] & 0xff;
                out[2 * n + i] = d[p] & 0xff;
            }
            return out;
        }
        DataBufferInt rgb = rgbInts(img);
        if (rgb != null) {
            int[] d = rgb.getData();
            int o = rgb.getOffset();
            float[] out = atLeast(reuse, 3 * n);
            for (int i = 0; i < n; i++) {
                int v = d[o + i];
                out[i] = (v >>> 16) & 0xff;
                out[n + i] = (v >>> 8) & 0xff;
                out[2 * n + i] = v & 0xff;
            }
            return out;
        }
        return null;
    }

    /**
     * The image as one 0xRRGGBB int per pixel, row-major, in {@code reuse} when it is large enough (the report's
     * thumbnails, which need 8 bits a channel and no planar floats). The two packed layouts are read straight from
     * the data buffer; anything else through {@link #readRgb} (a deeper image rounded to 8 bits).
     */
    public static int[] readPackedRgb(BufferedImage img, int[] reuse) {
        int n = img.getWidth() * img.getHeight();
        int[] out = reuse != null && reuse.length >= n ? reuse : new int[n];
        DataBufferByte bgr = bgrBytes(img);
        DataBufferInt rgb = bgr == null ? rgbInts(img) : null;
        if (bgr != null) {
            byte[] d = bgr.getData();
            int o = bgr.getOffset();
            for (int i = 0; i < n; i++) {
                int p = o + 3 * i;
                out[i] = (d[p + 2] & 0xff) << 16 | (d[p + 1] & 0xff) << 8 | (d[p] & 0xff);
            }
        } else if (rgb != null) {
            int[] d = rgb.getData();
            int o = rgb.getOffset();
            for (int i = 0; i < n; i++) {
                out[i] = d[o + i] & 0xffffff;
            }
        } else {
            float[] planes = readRgb(img);
            for (int i = 0; i < n; i++) {
                out[i] = byteOf(planes[i]) << 16 | byteOf(planes[n + i]) << 8 | byteOf(planes[2 * n + i]);
            }
        }
        return out;
    }

    private static int byteOf(float v) {
        return Math.min(255, Math.max(0, Math.round(v)));
    }

    /** The buffer of an image laid out as 3 bytes B, G, R per pixel, rows back to back; null for any other layout. */
    static DataBufferByte bgrBytes(BufferedImage img) {
        Raster raster = img.getRaster();
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && unshifted(raster)
                && raster.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel sm && sm.getPixelStride() == 3
                && sm.getScanlineStride() == 3 * img.getWidth()
                && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
            return db;
        }
        return null;
    }

    /** The buffer of an image laid out as one int 0xRRGGBB per pixel, rows back to back; null for any other layout. */
    static DataBufferInt rgbInts(BufferedImage img) {
        Raster raster = img.getRaster();
        if (img.getType() == BufferedImage.TYPE_INT_RGB && unshifted(raster)
                && raster.getDataBuffer() instanceof DataBufferInt db && db.getNumBanks() == 1
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == img.getWidth()) {
            return db;
        }
        return null;
    }

    /** False for a sub-image, whose offsets the general path handles. */
    private static boolean unshifted(Raster raster) {
        return raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
    }

    private static float[] atLeast(float[] a, int n) {
        return a != null && a.length >= n ? a : new float[n];
    }
}
