package org.jdissect.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.RoaringBitmapWriter;

import org.jdissect.data.ImageLabels;
import org.jdissect.io.Progress;
import org.jdissect.stats.LabelSource;

/**
 * The concepts' masks over every label pixel of the probe: the images' label maps laid end to end (image 0's
 * {@code sh x sw} pixels in row order, then image 1's, ...), one compressed bitmap per label holding the pixels that
 * carry it in any of the image's label layers, or the whole image for an image-level label (as the tally counts it).
 *
 * <p>Roaring bitmaps (RoaringBitmap, a well-kept library) rather than dense bit sets: a Broden-sized probe has about
 * 63,000 images of 112 x 112 pixels, 790 million pixels, so a dense mask is 99 MB and 1,200 of them would not fit;
 * most concepts cover a small share of the pixels, which Roaring's array and run containers hold in a few bytes per
 * pixel or per run.
 */
public final class PixelMasks {
    private final int[] offset;
    private final int[] height;
    private final int[] width;
    private final RoaringBitmap[] labels;
    private final long pixels;

    private PixelMasks(int[] offset, int[] height, int[] width, RoaringBitmap[] labels, long pixels) {
        this.offset = offset;
        this.height = height;
        this.width = width;
        this.labels = labels;
        this.pixels = pixels;
    }

    /**
     * Reads every image's labels once and builds the masks of the labels {@code wanted} accepts; the others stay
     * empty.
     */
    public static PixelMasks read(LabelSource source, int images, IntPredicate wanted, Progress progress) {
        int numLabels = source.numLabels();
        List<RoaringBitmapWriter<RoaringBitmap>> writers = new ArrayList<>(numLabels);
        for (int l = 0; l < numLabels; l++) {
            writers.add(wanted.test(l) && l != 0 ? RoaringBitmapWriter.writer().get() : null);
        }
        int[] offset = new int[images];
        int[] height = new int[images];
        int[] width = new int[images];
        long next = 0;
        int[] seenAt = new int[numLabels]; // the pixel (+1) a label was last written at: one entry however many layers
        boolean[] whole = new boolean[numLabels];
        for (int i = 0; i < images; i++) {
            ImageLabels il = source.labels(i);
            int n = il.sh() * il.sw();
            if (next + n > 0xffffffffL) {
                throw new org.jdissect.JdissectException("compose: the probe's label maps hold more than 2^32 pixels "
                        + "(at image " + i + "); pick fewer images");
            }
            offset[i] = (int) next;
            height[i] = il.sh();
            width[i] = il.sw();
            for (int l : il.imageLevel()) {
                if (writers.get(l) != null && !whole[l]) {
                    writers.get(l).add(next, next + n);
                    whole[l] = true;
                }
            }
            for (int p = 0; p < n; p++) {
                int at = (int) (next + p);
                for (int[] layer : il.layers()) {
                    int l = layer[p];
                    if (l != 0 && writers.get(l) != null && !whole[l] && seenAt[l] != at + 1) {
                        writers.get(l).add(at);
                        seenAt[l] = at + 1;
                    }
                }
            }
            for (int l : il.imageLevel()) {
                whole[l] = false;
            }
            next += n;
            progress.advance(1);
        }
        RoaringBitmap[] masks = new RoaringBitmap[numLabels];
        for (int l = 0; l < numLabels; l++) {
            masks[l] = writers.get(l) == null ? new RoaringBitmap() : writers.get(l).get();
            masks[l].runOptimize();
        }
        return new PixelMasks(offset, height, width, masks, next);
    }

    /** The first pixel of image {@code i}. */
    public int offset(int i) {
        return offset[i];
    }

    public int height(int i) {
        return height[i];
    }

    public int width(int i) {
        return width[i];
    }

    public int images() {
        return offset.length;
    }

    /** All label pixels of the probe. */
    public long pixels() {
        return pixels;
    }

    public int numLabels() {
        return labels.length;
    }

    /** The bytes the masks take (RoaringBitmap's own count, run-optimised). */
    public long bytes() {
        long b = 0;
        for (RoaringBitmap m : labels) {
            b += m.getLongSizeInBytes();
        }
        return b;
    }

    /** The pixels that carry {@code label}; empty for a label not built. */
    public RoaringBitmap label(int label) {
        return labels[label];
    }
}
