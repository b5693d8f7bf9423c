package org.jdissect.report;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.jdissect.model.Rasters;
import org.jdissect.stats.Upsampling;

/**
 * A unit's top images with its mask over them, drawn in two layers that the page stacks: one small JPEG per image
 * (shared by every unit that has the image among its top images), and per unit one overlay strip, a 2-bit PNG that
 * dims what lies outside the mask and outlines its edge. The unit's map is upsampled to the image's size with
 * {@link Upsampling} (the dissection's definition) and compared with the unit's threshold ({@code value > T});
 * the mask's coverage of each thumbnail pixel gives the overlay. Safe for concurrent use.
 */
public final class UnitImages {
    /** Gap between the cells of a strip, in pixels. */
    public static final int GAP = 4;
    static final byte INSIDE = 0;
    static final byte OUTSIDE = 1;
    static final byte EDGE = 2;
    static final byte PARTLY = 3;
    /** Overlay colours (0xRRGGBBAA) by the indexes above: clear, dark veil, amber outline, lighter veil. */
    static final int[] PALETTE = {0x00000000, 0x0b1220b8, 0xffc400ff, 0x0b12205c};
    private static final int LETTERBOX = 0xeceff3;

    private final int size;
    private final float quality;
    private final Map<Long, Upsampling.Axis> axes = new ConcurrentHashMap<>();
    private final Map<Long, Geometry> geometries = new ConcurrentHashMap<>();
    private final ThreadLocal<ImageWriter> jpeg = new ThreadLocal<>();

    /** @param size a thumbnail's side in pixels: images are shrunk or enlarged to fit a square of it */
    public UnitImages(int size, float quality) {
        this.size = size;
        this.quality = quality;
    }

    public int size() {
        return size;
    }

    /**
     * Where an image of {@code height x width} lies in its square thumbnail: at {@code (ox, oy)}, {@code tw x th},
     * thumbnail pixel {@code (tx, ty)} showing image pixels {@code [x0[tx], x1[tx]) x [y0[ty], y1[ty])}.
     */
    public record Geometry(int height, int width, int th, int tw, int ox, int oy, int[] x0, int[] x1, int[] y0, int[] y1) {
    }

    public Geometry geometry(int height, int width) {
        return geometries.computeIfAbsent(((long) height << 32) | width, k -> {
            double s = (double) size / Math.max(width, height);
            int tw = Math.max(1, Math.min(size, (int) Math.round(width * s)));
            int th = Math.max(1, Math.min(size, (int) Math.round(height * s)));
            int[] x0 = new int[tw];
            int[] x1 = new int[tw];
            int[] y0 = new int[th];
            int[] y1 = new int[th];
            boxes(width, tw, x0, x1);
            boxes(height, th, y0, y1);
            return new Geometry(height, width, th, tw, (size - tw) / 2, (size - th) / 2, x0, x1, y0, y1);
        });
    }

    /** Thumbnail pixel t shows image pixels [lo[t], hi[t]): a box when shrinking, one pixel when enlarging. */
    private static void boxes(int in, int out, int[] lo, int[] hi) {
        for (int t = 0; t < out; t++) {
            lo[t] = (int) ((long) t * in / out);
            hi[t] = Math.max(lo[t] + 1, (int) ((long) (t + 1) * in / out));
        }
    }

    /**
     * Whether the thumbnail of an image of this size is written as PNG: an enlarged image is blocks of flat colour,
     * which PNG keeps sharp and small; a shrunk one is a photograph, which JPEG keeps small.
     */
    public boolean png(int height, int width) {
        return Math.max(height, width) < size;
    }

    /**
     * Writes the square thumbnail of {@code image}, PNG or JPEG as {@link #png} says, and returns its geometry: each
     * thumbnail pixel is the mean of the image pixels it shows, rounded half up. The work arrays are {@code s}'s.
     */
    public Geometry writeThumbnail(BufferedImage image, OutputStream out, Scratch s) throws IOException {
        Geometry g = geometry(image.getHeight(), image.getWidth());
        int[] px = thumbnail(image, g, s);
        if (png(g.height(), g.width())) {
            IndexedPng.writeRgb(out, size, size, px);
        } else {
            // JPEG from 3-byte BGR: the encoder takes it without a colour conversion per pixel (about 3x faster)
            if (s.bgr == null || s.bgr.getWidth() != size) {
                s.bgr = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
            }
            byte[] d = ((DataBufferByte) s.bgr.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < px.length; i++) {
                d[3 * i] = (byte) px[i];
                d[3 * i + 1] = (byte) (px[i] >>> 8);
                d[3 * i + 2] = (byte) (px[i] >>> 16);
            }
            writeJpeg(s.bgr, out);
        }
        return g;
    }

    /** The thumbnail's {@code size x size} pixels, 0xRRGGBB, letterboxed: in {@code s.px}. */
    int[] thumbnail(BufferedImage image, Geometry g, Scratch s) {
        int w = image.getWidth();
        int[] src = s.rgb = Rasters.readPackedRgb(image, s.rgb); // a bulk raster read, not getRGB per pixel
        if (s.px.length != size * size) {
            s.px = new int[size * size];
        }
        int[] px = s.px;
        java.util.Arrays.fill(px, LETTERBOX);
        int[] x0 = g.x0();
        int[] x1 = g.x1();
        for (int ty = 0; ty < g.th(); ty++) {
            int ya = g.y0()[ty];
            int yb = g.y1()[ty];
            int row = (g.oy() + ty) * size + g.ox();
            for (int tx = 0; tx < g.tw(); tx++) {
                int r = 0;
                int gr = 0;
                int bl = 0;
                for (int y = ya; y < yb; y++) {
                    for (int p = y * w + x0[tx], end = y * w + x1[tx]; p < end; p++) {
                        int v = src[p];
                        r += v >>> 16;
                        gr += (v >>> 8) & 0xff;
                        bl += v & 0xff;
                    }
                }
                int n = (yb - ya) * (x1[tx] - x0[tx]);
                px[row + tx] = mean(r, n) << 16 | mean(gr, n) << 8 | mean(bl, n);
            }
        }
        return px;
    }

    /** The mean of n values summing to {@code sum}, rounded half up: floor(sum / n + 1/2) in integers. */
    private static int mean(int sum, int n) {
        return (2 * sum + n) / (2 * n);
    }

    /** Per-thread work arrays, grown on demand. */
    public static final class Scratch {
        float[] map = new float[0];
        double[] rows = new double[0];
        double[] source = new double[0];
        int[] hits = new int[0];
        byte[] mask = new byte[0];
        float[] coverage = new float[0];
        boolean[] hot = new boolean[0];
        boolean[] need = new boolean[0];
        boolean[] rowOn = new boolean[0];
        int[] counts = new int[0];
        boolean finite;
        /** The image columns {@code resizeHotRows} resized: every mask pixel lies in {@code [colLo, colHi]}. */
        int colLo;
        int colHi;
        /**
         * The thumbnail pixels {@code coverage} may have left above 0: rows {@code [covTop, covBottom]}, columns
         * {@code [covLeft, covRight]} (no rows when {@code covTop > covBottom}); every other one is 0.
         */
        int covTop;
        int covBottom;
        int covLeft;
        int covRight;
        private final org.jdissect.data.ImageDecoder decoder = new org.jdissect.data.ImageDecoder();
        int[] rgb;
        int[] px = new int[0];
        BufferedImage bgr;

        byte[] sprite = new byte[0];

        /** This thread's image decoder, which decodes into the previous image's pixels where it can. */
        public org.jdissect.data.ImageDecoder decoder() {
            return decoder;
        }

        /** A clear sprite of n pixels: reused, since a fresh one costs page faults that clearing does not. */
        public byte[] sprite(int n) {
            if (sprite.length < n) {
                sprite = new byte[n];
            } else {
                java.util.Arrays.fill(sprite, 0, n, (byte) 0);
            }
            return sprite;
        }

        public float[] map(int n) {
            if (map.length < n) {
                map = new float[n];
            }
            return map;
        }
    }

    /**
     * The share of each thumbnail pixel that the unit's mask covers: the {@code h x w} map (the cache's values as floats) is
     * upsampled to the image's size exactly as the dissection does, and a pixel is in the mask when its value is
     * {@code > threshold}.
     */
    float[] coverage(float[] map, int h, int w, float threshold, Geometry b, Scratch s) {
        int height = b.height();
        int width = b.width();
        int tw = b.tw();
        int th = b.th();
        if (s.coverage.length < tw * th) {
            s.coverage = new float[tw * th];
        }
        float[] cov = s.coverage;
        s.covTop = 0;
        s.covBottom = th - 1;
        s.covLeft = 0;
        s.covRight = tw - 1;
        if (width <= tw && height <= th) { // enlarging: each thumbnail pixel shows one image pixel
            byte[] mask = imageMask(map, h, w, threshold, b, s);
            boolean[] rowOn = s.rowOn;
            for (int ty = 0; ty < th; ty++) {
                int y = b.y0()[ty];
                int o = y * width;
                for (int tx = 0; tx < tw; tx++) {
                    cov[ty * tw + tx] = rowOn[y] ? mask[o + b.x0()[tx]] : 0f;
                }
            }
            return cov;
        }
        java.util.Arrays.fill(cov, 0, tw * th, 0f);
        s.covTop = th;
        s.covBottom = -1;
        if (!resizeHotRows(map, h, w, threshold, b, s)) {
            s.covLeft = 0;
            s.covRight = -1;
            return cov;
        }
        // only the thumbnail columns showing an image column that was resized can be covered, and the rows and
        // columns of the overlay beyond them are filled: masks, resizing and drawing took 0.62 of the CPU time on
        // 5,120 masks of one or two blobs (2-core VM, 2026-11-28); the masks of a 512-unit layer's top images, wider,
        // still leave a sixth of the columns out
        int left = 0;
        while (left < tw && b.x1()[left] <= s.colLo) {
            left++;
        }
        int right = tw - 1;
        while (right >= 0 && b.x0()[right] > s.colHi) {
            right--;
        }
        s.covLeft = left;
        s.covRight = right;
        // Each band of image rows a thumbnail row shows is counted per image column (the hits of each row's
        // comparison), then each thumbnail pixel sums its columns' counts, clearing them for the next band: every
        // hit lies in [colLo, colHi], inside the columns of [left, right]. Against a byte mask summed box by box:
        // CPU ratio 0.74 (median of 8 alternated runs of 6 x 5,120 synthetic blob masks under C1, 2-core VM,
        // 2026-11-28)
        if (s.counts.length < width) {
            s.counts = new int[width];
        }
        int[] counts = s.counts;
        int[] hits = s.hits;
        Upsampling.Axis ys = axis(h, height);
        for (int ty = 0; ty < th; ty++) {
            boolean any = false;
            for (int y = b.y0()[ty]; y < b.y1()[ty]; y++) {
                if (!readsHot(ys, y, s.hot)) {
                    continue;
                }
                int n = ys.above(s.rows, width, y, s.colLo, s.colHi, threshold, s.finite, hits);
                for (int k = 0; k < n; k++) {
                    counts[hits[k]]++;
                }
                any |= n > 0;
            }
            if (!any) { // no mask pixel in these image rows: most rows of most masks
                continue;
            }
            s.covTop = Math.min(s.covTop, ty);
            s.covBottom = ty;
            int rows = b.y1()[ty] - b.y0()[ty];
            for (int tx = left; tx <= right; tx++) {
                int on = 0;
                for (int x = b.x0()[tx]; x < b.x1()[tx]; x++) {
                    on += counts[x];
                    counts[x] = 0;
                }
                cov[ty * tw + tx] = on / (float) (rows * (b.x1()[tx] - b.x0()[tx]));
            }
        }
        return cov;
    }

    /**
     * Draws the unit's mask over the image of geometry {@code g} into cell {@code cell} of the strip at row
     * {@code top} of a sprite {@code stride} wide: the same as {@code drawMask(coverage(...))}, but an enlarged
     * image (whose coverage is 0 or 1) is drawn straight from its mask, and rows without mask pixels are filled.
     */
    public void drawUnitMask(byte[] overlay, int stride, int top, int cell, float[] map, int h, int w, float threshold,
                      Geometry g, Scratch s) {
        int width = g.width();
        int tw = g.tw();
        int th = g.th();
        if (width > tw || g.height() > th) {
            float[] cov = coverage(map, h, w, threshold, g, s);
            drawMask(overlay, stride, top, cell, g, cov, s.covTop, s.covBottom, s.covLeft, s.covRight);
            return;
        }
        byte[] mask = imageMask(map, h, w, threshold, g, s);
        boolean[] on = s.rowOn;
        int[] x0 = g.x0();
        int[] y0 = g.y0();
        int ox = cell * (size + GAP) + g.ox();
        for (int ty = 0; ty < th; ty++) {
            int row = (top + g.oy() + ty) * stride + ox;
            int y = y0[ty];
            if (!on[y]) {
                java.util.Arrays.fill(overlay, row, row + tw, OUTSIDE);
                continue;
            }
            int m = y * width;
            // a neighbouring row that is off counts as outside (its bytes are stale: imageMask)
            int up = ty > 0 && on[y0[ty - 1]] ? y0[ty - 1] * width : -1;
            int down = ty < th - 1 && on[y0[ty + 1]] ? y0[ty + 1] * width : -1;
            for (int tx = 0; tx < tw; tx++) {
                int x = x0[tx];
                byte v;
                if (mask[m + x] != 0) {
                    boolean edge = (tx > 0 && mask[m + x0[tx - 1]] == 0) || (tx < tw - 1 && mask[m + x0[tx + 1]] == 0)
                            || (ty > 0 && (up < 0 || mask[up + x] == 0))
                            || (ty < th - 1 && (down < 0 || mask[down + x] == 0));
                    v = edge ? EDGE : INSIDE;
                } else {
                    v = OUTSIDE;
                }
                overlay[row + tx] = v;
            }
        }
    }

    /**
     * The unit's thresholded map at the image's size, {@code height x width}; {@code s.rowOn} says which rows have
     * pixels in it. Rows that are off are not written (their bytes are stale): readers check {@code s.rowOn} first.
     */
    private byte[] imageMask(float[] map, int h, int w, float threshold, Geometry b, Scratch s) {
        int height = b.height();
        int width = b.width();
        if (s.mask.length < height * width) {
            s.mask = new byte[height * width];
        }
        byte[] mask = s.mask;
        if (s.rowOn.length < height) {
            s.rowOn = new boolean[height];
        }
        boolean[] rowOn = s.rowOn;
        java.util.Arrays.fill(rowOn, 0, height, false);
        if (!resizeHotRows(map, h, w, threshold, b, s)) {
            return mask;
        }
        Upsampling.Axis ys = axis(h, height);
        int[] hits = s.hits;
        for (int y = 0; y < height; y++) {
            if (!readsHot(ys, y, s.hot)) {
                continue;
            }
            int o = y * width;
            int n = ys.above(s.rows, width, y, s.colLo, s.colHi, threshold, s.finite, hits);
            java.util.Arrays.fill(mask, o, o + width, (byte) 0);
            for (int k = 0; k < n; k++) {
                mask[o + hits[k]] = 1;
            }
            rowOn[y] = n > 0;
        }
        return mask;
    }

    /**
     * PIL's horizontal pass of the map rows that image rows near a hot map row read, for the image columns near a
     * hot map column, into {@code s.rows} (stride: the image's width), with {@code s.hot} (the map rows holding a
     * value over the threshold), {@code s.colLo .. s.colHi} (the columns resized: every mask pixel lies there) and
     * {@code s.finite}; {@code s.hits} is at least the image's width. False when no map value is over the threshold
     * (an empty mask).
     */
    private boolean resizeHotRows(float[] map, int h, int w, float threshold, Geometry b, Scratch s) {
        int height = b.height();
        int width = b.width();
        Upsampling.Axis ys = axis(h, height);
        Upsampling.Axis xs = axis(w, width);
        if (s.rows.length < h * width) {
            s.rows = new double[h * width];
        }
        double[] rows = s.rows;
        // A resized value is a convex combination of the map values it reads, so an image row reading only map rows
        // that never exceed the threshold is outside the mask: only rows near a hot map row are resized.
        if (s.hot.length < h) {
            s.hot = new boolean[h];
            s.need = new boolean[h];
        }
        boolean[] hot = s.hot;
        boolean[] need = s.need;
        boolean any = false;
        boolean finite = true;
        int hotLeft = w;
        int hotRight = -1;
        for (int r = 0; r < h; r++) {
            boolean over = false;
            for (int c = 0, x = r * w; c < w; c++, x++) {
                if (map[x] > threshold) {
                    over = true;
                    hotLeft = Math.min(hotLeft, c);
                    hotRight = Math.max(hotRight, c);
                }
                finite &= Float.isFinite(map[x]);
            }
            hot[r] = over;
            need[r] = false;
            any |= over;
        }
        s.colLo = 0;
        s.colHi = -1;
        s.finite = finite;
        if (!any) {
            return false;
        }
        // The same holds for columns: only image columns reading a map column with a hot value are resized (the
        // taps' ranges grow with the target, so those columns are one run)
        int colLo = 0;
        while (xs.hi(colLo) < hotLeft) {
            colLo++;
        }
        int colHi = width - 1;
        while (xs.lo(colHi) > hotRight) {
            colHi--;
        }
        s.colLo = colLo;
        s.colHi = colHi;
        for (int y = 0; y < height; y++) {
            if (readsHot(ys, y, hot)) {
                for (int r = ys.lo(y); r <= ys.hi(y); r++) {
                    need[r] = true;
                }
            }
        }
        // PIL's passes as the tally computes them (Upsampling): the horizontal pass once per needed source row, into
        // doubles holding its floats; the vertical pass's double compared with Upsampling.cut (no rounding per pixel)
        if (s.source.length < h * w) {
            s.source = new double[h * w];
        }
        double[] source = s.source;
        for (int i = 0; i < h * w; i++) {
            source[i] = map[i];
        }
        for (int r = 0; r < h; r++) {
            if (need[r]) {
                xs.pass(source, r * w, rows, r * width, colLo, colHi, finite);
            }
        }
        if (s.hits.length < width) {
            s.hits = new int[width];
        }
        return true;
    }

    private static boolean readsHot(Upsampling.Axis ys, int y, boolean[] hot) {
        for (int r = ys.lo(y); r <= ys.hi(y); r++) {
            if (hot[r]) {
                return true;
            }
        }
        return false;
    }

    private Upsampling.Axis axis(int in, int out) {
        return axes.computeIfAbsent(((long) in << 32) | out, k -> Upsampling.axis(in, out));
    }

    /** Width of a strip of {@code cells} cells. */
    public int stripWidth(int cells) {
        return cells * size + (cells - 1) * GAP;
    }

    /** An overlay strip of {@code cells} cells, all clear. */
    byte[] overlay(int cells) {
        return new byte[stripWidth(cells) * size];
    }

    /** Draws the mask of coverage {@code cov} over the image of geometry {@code g} into cell {@code cell}. */
    void drawMask(byte[] overlay, int cells, int cell, Geometry g, float[] cov) {
        drawMask(overlay, stripWidth(cells), 0, cell, g, cov);
    }

    /**
     * Draws into a sprite of several units' strips, one below the other: {@code stride} is the sprite's width,
     * {@code top} the first row of this unit's strip.
     */
    void drawMask(byte[] overlay, int stride, int top, int cell, Geometry g, float[] cov) {
        drawMask(overlay, stride, top, cell, g, cov, 0, g.th() - 1, 0, g.tw() - 1);
    }

    /**
     * The same, where {@code cov} is 0 outside rows {@code [covTop, covBottom]} and columns
     * {@code [covLeft, covRight]}: the pixels there are outside the mask.
     */
    private void drawMask(byte[] overlay, int stride, int top, int cell, Geometry g, float[] cov, int covTop,
                          int covBottom, int covLeft, int covRight) {
        int tw = g.tw();
        int th = g.th();
        int ox = cell * (size + GAP) + g.ox();
        int left = Math.max(0, covLeft);
        int right = Math.min(tw - 1, covRight);
        for (int ty = 0; ty < th; ty++) {
            int row = (top + g.oy() + ty) * stride + ox;
            if (ty < covTop || ty > covBottom || left > right) {
                java.util.Arrays.fill(overlay, row, row + tw, OUTSIDE);
                continue;
            }
            java.util.Arrays.fill(overlay, row, row + left, OUTSIDE);
            java.util.Arrays.fill(overlay, row + right + 1, row + tw, OUTSIDE);
            for (int tx = left; tx <= right; tx++) {
                int i = ty * tw + tx;
                float a = cov[i];
                byte v;
                if (a >= 0.5f) {
                    boolean edge = (tx > 0 && cov[i - 1] < 0.5f) || (tx < tw - 1 && cov[i + 1] < 0.5f)
                            || (ty > 0 && cov[i - tw] < 0.5f) || (ty < th - 1 && cov[i + tw] < 0.5f);
                    v = edge ? EDGE : INSIDE; // the edge is drawn just inside the mask
                } else {
                    v = a > 0 ? PARTLY : OUTSIDE;
                }
                overlay[row + tx] = v;
            }
        }
    }

    void writeOverlay(byte[] overlay, int cells, OutputStream out) throws IOException {
        IndexedPng.write(out, stripWidth(cells), size, overlay, PALETTE);
    }

    public void writeOverlay(byte[] overlay, int width, int height, OutputStream out) throws IOException {
        IndexedPng.write(out, width, height, overlay, PALETTE);
    }

    /** Encodes as baseline JPEG, with one writer per thread. */
    void writeJpeg(BufferedImage img, OutputStream out) throws IOException {
        ImageWriter writer = jpeg.get();
        if (writer == null) {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            if (!writers.hasNext()) {
                throw new IOException("this Java has no JPEG encoder");
            }
            writer = writers.next();
            jpeg.set(writer);
        }
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.setOutput(null);
        }
    }
}
