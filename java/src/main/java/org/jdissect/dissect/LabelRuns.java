package org.jdissect.dissect;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageLabels;

/**
 * The label maps of a Broden dataset's images as the inference pass checked them, kept run-length encoded, so that the
 * tally reads them back instead of decoding each image's PNGs again, once per layer: decoding and checking a 224 x 224
 * SceneWorld image's six 112 x 112 maps costs about 0.77 ms (inflating 0.45 ms; JFR, 2-core VM, C1), reading its runs
 * back a few hundredths of that. Label maps are regions, so their runs are few: a SceneWorld image's six maps take a
 * few tens of kilobytes (see {@link #bytes}).
 *
 * <p>Bounded: runs are kept while they fit {@code budget} bytes, in the order images are checked; the tally decodes
 * the PNGs of the others as before, so a dataset of any size gives the same labels, only the first images faster.
 * Rows are recorded by the decoding threads (each its own {@link Recorder}) and read by the tally's threads after the
 * inference pass.
 */
final class LabelRuns {
    private final AtomicReferenceArray<byte[]> byRow;
    private final long budget;
    private final AtomicLong used = new AtomicLong();
    private final AtomicInteger rows = new AtomicInteger();
    private final ThreadLocal<Recorder> recorders = ThreadLocal.withInitial(Recorder::new);

    LabelRuns(int rows, long budget) {
        this.byRow = new AtomicReferenceArray<>(rows);
        this.budget = budget;
    }

    /** This thread's recorder, cleared, for row {@code row}: show it the row's maps, then {@link Recorder#keep}. */
    Recorder start(int row) {
        Recorder r = recorders.get();
        r.row = row;
        r.len = 0;
        r.layers = 0;
        return r;
    }

    /** Bytes kept. */
    long bytes() {
        return used.get();
    }

    /** Rows kept. */
    int rows() {
        return rows.get();
    }

    /**
     * Row {@code row}'s labels as {@link BrodenDataset#readLabels} gives them (its {@code sh x sw} layers in the same
     * order, the image-level numbers given), or null when the row's runs were not kept. The maps are written into
     * {@code reuse}'s arrays of their size, each used once (null: new arrays): fresh maps were 263 MB of the
     * 1,000-image run's allocations, and with a chunk of them alive during its tally the young collections copied
     * them (JFR, 2-core VM, 2026-11-28).
     */
    ImageLabels get(int row, int sh, int sw, int[] imageLevel, ImageLabels reuse) {
        byte[] enc = byRow.get(row);
        if (enc == null) {
            return null;
        }
        int[] pos = {0};
        int layers = readVarint(enc, pos);
        int[][] old = reuse != null ? reuse.layers() : new int[0][];
        int next = 0; // the next of reuse's maps to consider: images differ in their number of maps, not their size
        int[][] out = new int[layers][];
        for (int l = 0; l < layers; l++) {
            int pixels = readVarint(enc, pos);
            if (pixels != sh * sw) {
                throw new IllegalStateException("row " + row + ": a kept map of " + pixels + " pixels, not " + sh
                        + " x " + sw);
            }
            while (next < old.length && old[next].length != pixels) {
                next++;
            }
            int[] map = next < old.length ? old[next++] : new int[pixels];
            for (int p = 0; p < pixels; ) {
                int label = readVarint(enc, pos);
                int run = readVarint(enc, pos);
                Arrays.fill(map, p, p + run, label);
                p += run;
            }
            out[l] = map;
        }
        return new ImageLabels(sh, sw, out, imageLevel);
    }

    /** One thread's encoder of one row's maps at a time; its buffer is reused from row to row. */
    final class Recorder implements BrodenDataset.MapVisitor {
        private byte[] buf = new byte[1 << 12];
        private int len;
        private int layers;
        private int row;

        @Override
        public void map(int pixels) {
            layers++;
            writeVarint(pixels);
        }

        @Override
        public void run(int label, int length) {
            writeVarint(label);
            writeVarint(length);
        }

        /** Keeps the row's runs if they fit the budget (call once every map was shown and checked). */
        void keep() {
            byte[] enc = new byte[varintSize(layers) + len];
            int at = putVarint(enc, 0, layers);
            System.arraycopy(buf, 0, enc, at, len);
            if (used.addAndGet(enc.length) > budget) {
                used.addAndGet(-enc.length);
                return;
            }
            byte[] before = byRow.getAndSet(row, enc);
            if (before == null) {
                rows.incrementAndGet();
            } else {
                used.addAndGet(-before.length); // a row checked again (a retried task on Spark): the last one counts
            }
        }

        private void writeVarint(int v) {
            if (buf.length - len < 5) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            len = putVarint(buf, len, v);
        }
    }

    /** Writes non-negative {@code v} at {@code at}, 7 bits a byte, low first; returns the position after it. */
    static int putVarint(byte[] b, int at, int v) {
        while ((v & ~0x7f) != 0) {
            b[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int readVarint(byte[] b, int[] pos) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }
}
