package org.jdissect.stats;

import org.jdissect.data.ImageLabels;

/**
 * The CPU tally's inner parts (pass 2, see {@link CpuBackend#tally}): the interpolation grid of a map and label size,
 * an image's labels as pixel lists, and the task that counts a block of units over a chunk of images. Each unit's
 * map is upsampled (see {@link Upsampling}), thresholded and counted only where it exceeds its threshold.
 */
final class CpuTally {
    private CpuTally() {
    }

    static final class Grid {
        final Upsampling.Axis ys;
        final Upsampling.Axis xs;
        final int[] yFirst;
        final int[] yLast;
        final int[] xFirst;
        final int[] xLast;

        Grid(int h, int w, int sh, int sw) {
            ys = Upsampling.axis(h, sh);
            xs = Upsampling.axis(w, sw);
            yFirst = new int[h];
            yLast = new int[h];
            xFirst = new int[w];
            xLast = new int[w];
            readers(ys, yFirst, yLast);
            readers(xs, xFirst, xLast);
        }

        private static void readers(Upsampling.Axis axis, int[] first, int[] last) {
            java.util.Arrays.fill(first, Integer.MAX_VALUE);
            java.util.Arrays.fill(last, -1);
            for (int i = 0; i < axis.out(); i++) {
                for (int s = axis.lo(i); s <= axis.hi(i); s++) {
                    first[s] = Math.min(first[s], i);
                    last[s] = Math.max(last[s], i);
                }
            }
        }
    }

    /** One image's labels, checked to lie in 0 .. numLabels - 1 so the counting loops need no checks. */
    static final class PixelLabels {
        final int sh;
        final int sw;
        final int[][] layers;
        final int[] imageLevel;

        private PixelLabels(int sh, int sw, int[][] layers, int[] imageLevel) {
            this.sh = sh;
            this.sw = sw;
            this.layers = layers;
            this.imageLevel = imageLevel;
        }

        /**
         * The labels of {@code il}, each label's pixels added to {@code labelPixels} run by run (labels come in
         * regions; label 0, no label, is not counted): the range check rides on the same pass, one comparison per
         * run, where a separate pass over every pixel cost 0.1 ms an image (JFR, C1).
         *
         * @throws IllegalArgumentException naming a label outside {@code 0 .. numLabels - 1} (the tally then fails,
         *                                  its counts unused)
         */
        static PixelLabels of(ImageLabels il, int numLabels, long[] labelPixels) {
            int[][] layers = il.layers();
            int[] imageLevel = il.imageLevel();
            for (int[] layer : layers) {
                int current = 0;
                long run = 0;
                for (int l : layer) {
                    if (l == current) {
                        run++;
                    } else {
                        checkLabel(l, numLabels);
                        labelPixels[current] += run;
                        current = l;
                        run = 1;
                    }
                }
                labelPixels[current] += run;
            }
            labelPixels[0] = 0;
            for (int l : imageLevel) {
                checkLabel(l, numLabels);
                if (l != 0) {
                    labelPixels[l] += (long) il.sh() * il.sw();
                }
            }
            return new PixelLabels(il.sh(), il.sw(), layers, imageLevel);
        }

        private static void checkLabel(int l, int numLabels) {
            if (l < 0 || l >= numLabels) {
                throw new IllegalArgumentException("label " + l + " outside 0.." + (numLabels - 1));
            }
        }
    }

    /**
     * Counts a chunk of images for a block of units. Images are the outer loop so that one image's labels stay in
     * cache while every unit of the block is counted against them; the block owns its units' rows of the counts.
     */
    static final class TallyTask implements CpuBackend.UnitRange {
        /** The chunk's values: halves, or (single precision) floats; the other is null. */
        private final short[] buf;
        private final float[] floats;
        private final int images;
        private final int units;
        private final int h;
        private final int w;
        private final float[] thresholds;
        private final PixelLabels[] labels;
        private final Grid[] grids;
        private final int[] primary;
        private final int numLabels;
        private final int numCats;
        private final TallyCounts counts;
        private final int rowWidth;

        TallyTask(short[] buf, float[] floats, int images, int units, int h, int w, float[] thresholds, PixelLabels[] labels,
                  Grid[] grids, int[] primary, int numLabels, int numCats, TallyCounts counts) {
            this.buf = buf;
            this.floats = floats;
            this.images = images;
            this.units = units;
            this.h = h;
            this.w = w;
            this.thresholds = thresholds;
            this.labels = labels;
            this.grids = grids;
            this.primary = primary;
            this.numLabels = numLabels;
            this.numCats = numCats;
            this.counts = counts;
            int maxSw = 0;
            for (int i = 0; i < images; i++) {
                maxSw = Math.max(maxSw, labels[i].sw);
            }
            this.rowWidth = maxSw;
        }

        @Override
        public void run(int lo, int hi) {
            int hw = h * w;
            int[] keyAbove = new int[units];
            for (int u = lo; u < hi && buf != null; u++) {
                keyAbove[u] = Fp16.firstKeyAbove(thresholds[u]);
            }
            double[] map = new double[h * w]; // the map's values (halves or floats), held as doubles
            double[] rows = new double[h * rowWidth]; // the horizontal pass's floats, held as doubles
            int[] hits = new int[rowWidth];
            int[] catStamp = new int[numCats];
            int stamp = 0;
            long[] inter = counts.intersection();
            long[] act = counts.activation();
            long[] maskPixels = counts.maskPixels();
            for (int i = 0; i < images; i++) {
                Grid g = grids[i];
                PixelLabels pl = labels[i];
                int sw = pl.sw;
                int[][] layers = pl.layers;
                Upsampling.Axis ys = g.ys;
                Upsampling.Axis xs = g.xs;
                for (int u = lo; u < hi; u++) {
                    int p = (i * units + u) * hw;
                    // Find the samples above T by their order keys: integer work only, most maps have none.
                    int above = keyAbove[u];
                    int rMin = h;
                    int rMax = -1;
                    int cMin = w;
                    int cMax = -1;
                    float t = thresholds[u];
                    boolean finite = true; // an infinity or NaN takes PIL's general loop (Upsampling)
                    for (int j = 0; j < hw; j++) {
                        // one of the two tests by the buffer held (a branch the JIT hoists: the half path's tally
                        // measured 1.76 s against 1.95 s before it, medians of 3 alternated runs, 1,000 images of
                        // 512 x 7 x 7, i.e. no slower within the noise)
                        boolean over;
                        if (buf != null) {
                            int v = buf[p + j] & 0xffff;
                            finite &= (v & 0x7c00) != 0x7c00;
                            int key = v ^ (0x8000 | ((v >>> 15) * 0x7fff));
                            over = key >= above && key <= Fp16.POSITIVE_INFINITY_KEY;
                        } else {
                            over = floats[p + j] > t; // the cache holds no NaN or infinity in single precision
                        }
                        if (over) {
                            int y = j / w;
                            int x = j - y * w;
                            rMin = Math.min(rMin, y);
                            rMax = Math.max(rMax, y);
                            cMin = Math.min(cMin, x);
                            cMax = Math.max(cMax, x);
                        }
                    }
                    if (rMax < 0) {
                        continue; // the map's maximum is <= T: empty mask
                    }
                    if (floats == null) {
                        for (int j = 0; j < hw; j++) {
                            map[j] = Fp16.toFloat(buf[p + j]);
                        }
                    } else {
                        for (int j = 0; j < hw; j++) {
                            map[j] = floats[p + j];
                        }
                    }
                    // Only pixels reading a sample above T can exceed T: a resized value is a convex mix of what it reads
                    // (PIL's normalised weights may sum to 1 +- a few double ulps, far below half a float ulp, so the
                    // rounded value cannot pass T either). A sample no target reads (a shrinking axis) bounds nothing.
                    int yLo = Integer.MAX_VALUE;
                    int yHi = -1;
                    for (int r = rMin; r <= rMax; r++) {
                        yLo = Math.min(yLo, g.yFirst[r]);
                        yHi = Math.max(yHi, g.yLast[r]);
                    }
                    int xLo = Integer.MAX_VALUE;
                    int xHi = -1;
                    for (int c = cMin; c <= cMax; c++) {
                        xLo = Math.min(xLo, g.xFirst[c]);
                        xHi = Math.max(xHi, g.xLast[c]);
                    }
                    if (yLo > yHi || xLo > xHi) {
                        continue;
                    }
                    for (int r = ys.lo(yLo); r <= ys.hi(yHi); r++) {
                        xs.pass(map, r * w, rows, r * sw, xLo, xHi, finite);
                    }
                    stamp++;
                    int rowBase = u * numLabels;
                    long size = 0;
                    for (int y = yLo; y <= yHi; y++) {
                        // PIL's vertical pass, thresholded (Upsampling: double sums against the cut)
                        int n = ys.above(rows, sw, y, xLo, xHi, t, finite, hits);
                        if (n == 0) {
                            continue;
                        }
                        size += n;
                        // Labels come in regions: count runs of one label along the row, not pixel by pixel.
                        int pixRow = y * sw;
                        for (int[] layer : layers) {
                            int run = 0;
                            int current = 0;
                            for (int j = 0; j < n; j++) {
                                int l = layer[pixRow + hits[j]];
                                if (l == current) {
                                    run++;
                                } else {
                                    if (current != 0) {
                                        inter[rowBase + current] += run;
                                        int c = primary[current];
                                        if (c >= 0) {
                                            catStamp[c] = stamp;
                                        }
                                    }
                                    current = l;
                                    run = 1;
                                }
                            }
                            if (current != 0) {
                                inter[rowBase + current] += run;
                                int c = primary[current];
                                if (c >= 0) {
                                    catStamp[c] = stamp;
                                }
                            }
                        }
                    }
                    if (size == 0) {
                        continue;
                    }
                    for (int l : pl.imageLevel) {
                        if (l != 0) {
                            inter[rowBase + l] += size;
                            int c = primary[l];
                            if (c >= 0) {
                                catStamp[c] = stamp;
                            }
                        }
                    }
                    int catBase = u * numCats;
                    for (int c = 0; c < numCats; c++) {
                        if (catStamp[c] == stamp) {
                            act[catBase + c] += size;
                        }
                    }
                    maskPixels[u] += size;
                }
            }
        }
    }
}
