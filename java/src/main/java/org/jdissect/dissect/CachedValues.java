package org.jdissect.dissect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

import org.jdissect.model.LayerInfo;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.Fp16;
import org.jdissect.stats.Precision;

/**
 * How {@link ActivationCache} holds values: the conversion of a batch to half precision (a power-of-two scale per unit
 * where half precision cannot hold its values, non-finite values stored lowest and counted), and the sources that
 * read them back (positional reads from a layer file; the non-finite counts attached).
 */
final class CachedValues {
    private CachedValues() {
    }

    /**
     * What a non-finite value is stored as: the lowest finite half, -65504. It sorts below the unit's values (which
     * the scale keeps near 4096 at most), and a map pixel that interpolates it with any weight is pulled far below
     * every threshold, while one that gives it no weight keeps its neighbour's exact value (-infinity would turn
     * that pixel into 0 x infinity = NaN).
     */
    static final short NON_FINITE = (short) 0xfbff;

    /** Values whose largest magnitude lies in [2^-8, 2^13] keep their scale (no change for the common layers). */
    static final int LOW = -8;
    static final int HIGH = 13;
    /** A scaled unit's largest value lands near 2^12: 16 times room above for later batches. */
    static final int TARGET = 12;

    /** Per unit, the power of two that brings its largest finite magnitude in the batch into half's range. */
    static int[] chooseExponents(float[] v, int images, LayerInfo layer) {
        int units = layer.channels();
        int hw = layer.height() * layer.width();
        int[] e = new int[units];
        for (int u = 0; u < units; u++) {
            float max = 0;
            for (int i = 0; i < images; i++) {
                int base = (i * units + u) * hw;
                for (int j = 0; j < hw; j++) {
                    float a = Math.abs(v[base + j]);
                    if (a > max && a != Float.POSITIVE_INFINITY) {
                        max = a;
                    }
                }
            }
            int exp = max == 0 ? 0 : Math.getExponent(max);
            e[u] = max == 0 || (exp >= LOW && exp <= HIGH) ? 0 : Math.max(-100, Math.min(100, TARGET - exp));
        }
        return e;
    }

    /**
     * Converts a batch to halves: scaled per unit, non-finite values to -65504 (counted per unit); returns how many
     * values overflowed half precision even so (stored as infinities).
     */
    static long toHalves(float[] v, int images, LayerInfo layer, int[] e, long[] nonFiniteCounts, short[] out) {
        long overflowed = 0;
        int units = layer.channels();
        int hw = layer.height() * layer.width();
        for (int i = 0; i < images; i++) {
            for (int u = 0; u < units; u++) {
                int base = (i * units + u) * hw;
                int eu = e[u];
                // Math.scalb(x, eu) is (float) (x * 2^eu) in double for |eu| <= 278, and the product is exact in
                // double for |eu| <= 100: the same value without the call, which C1 does not inline (0.1 s of a
                // 1,000-image run's cache thread, JFR, 2-core VM, 2026-11-28, where many units are scaled up)
                double scale = Math.scalb(1.0, eu);
                for (int j = base; j < base + hw; j++) {
                    float x = v[j];
                    short h;
                    if (Float.isFinite(x)) {
                        h = Fp16.fromFloat(eu == 0 ? x : (float) (x * scale));
                        if ((h & 0x7c00) == 0x7c00) {
                            overflowed++;
                        }
                    } else {
                        h = NON_FINITE;
                        nonFiniteCounts[u]++;
                    }
                    out[j] = h;
                }
            }
        }
        return overflowed;
    }

    /** What a non-finite value is stored as in single precision: the lowest float, for the reasons above. */
    static final float NON_FINITE_SINGLE = -Float.MAX_VALUE;

    /** Copies a batch as floats, non-finite values to {@link #NON_FINITE_SINGLE} (counted per unit). */
    static void toSingles(float[] v, int images, LayerInfo layer, long[] nonFiniteCounts, float[] out) {
        int units = layer.channels();
        int hw = layer.height() * layer.width();
        for (int i = 0; i < images; i++) {
            for (int u = 0; u < units; u++) {
                int base = (i * units + u) * hw;
                for (int j = base; j < base + hw; j++) {
                    float x = v[j];
                    if (Float.isFinite(x)) {
                        out[j] = x;
                    } else {
                        out[j] = NON_FINITE_SINGLE;
                        nonFiniteCounts[u]++;
                    }
                }
            }
        }
    }

    /** {@code source}, saying which of its values are non-finite ones (none: itself). */
    static ActivationSource withNonFinite(ActivationSource source, long[] counts) {
        if (counts == null || java.util.Arrays.stream(counts).allMatch(c -> c == 0)) {
            return source;
        }
        long[] copy = counts.clone();
        return new ActivationSource() {
            @Override
            public int images() {
                return source.images();
            }

            @Override
            public int units() {
                return source.units();
            }

            @Override
            public int height() {
                return source.height();
            }

            @Override
            public int width() {
                return source.width();
            }

            @Override
            public Precision precision() {
                return source.precision();
            }

            @Override
            public void read(int first, int count, short[] dst) {
                source.read(first, count, dst);
            }

            @Override
            public void readFloats(int first, int count, float[] dst) {
                source.readFloats(first, count, dst);
            }

            @Override
            public long[] nonFinite() {
                return copy.clone();
            }
        };
    }

    /** Positional reads from a layer file of either precision; safe for concurrent use. */
    record FileSource(FileChannel channel, int images, LayerInfo info, Precision precision)
            implements ActivationSource {
        @Override
        public int units() {
            return info.channels();
        }

        @Override
        public int height() {
            return info.height();
        }

        @Override
        public int width() {
            return info.width();
        }

        @Override
        public void read(int first, int count, short[] dst) {
            if (precision != Precision.FP16) {
                throw new UnsupportedOperationException("single-precision activations are read with readFloats");
            }
            readValues(first, count, (bb, done, k) -> bb.asShortBuffer().get(dst, done, k));
        }

        @Override
        public void readFloats(int first, int count, float[] dst) {
            if (precision == Precision.FP16) {
                ActivationSource.super.readFloats(first, count, dst);
            } else {
                readValues(first, count, (bb, done, k) -> bb.asFloatBuffer().get(dst, done, k));
            }
        }

        /** Where {@link #readValues} puts a buffer's {@code k} values, from index {@code done}. */
        private interface Sink {
            void take(ByteBuffer bb, int done, int k);
        }

        private void readValues(int first, int count, Sink sink) {
            int size = precision.bytes();
            int per = valuesPerImage();
            long pos = (long) first * per * size;
            int total = count * per;
            ByteBuffer bb = ByteBuffer.allocate(Math.min(total, 1 << 20) * size).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            try {
                while (done < total) {
                    bb.clear();
                    bb.limit(Math.min(total - done, bb.capacity() / size) * size);
                    while (bb.hasRemaining()) {
                        int r = channel.read(bb, pos + (long) done * size + bb.position());
                        if (r < 0) {
                            throw new IOException("unexpected end of the activation cache");
                        }
                    }
                    bb.flip();
                    int k = bb.remaining() / size;
                    sink.take(bb, done, k);
                    done += k;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
