package org.jdissect.model;

import java.util.Arrays;

/**
 * A tensor's values on the Java side: a shape and either floats or 64-bit integers (the types that cross a graph
 * split in practice: activations, and shapes computed from them).
 */
public record TensorData(long[] shape, float[] floats, long[] longs) {
    public TensorData {
        if ((floats == null) == (longs == null)) {
            throw new IllegalArgumentException("a tensor holds floats or longs, exactly one of them");
        }
        long count = elements(shape);
        int length = floats != null ? floats.length : longs.length;
        if (count != length) {
            throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
        }
        shape = shape.clone();
    }

    public static TensorData ofFloats(float[] values, long... shape) {
        return new TensorData(shape, values, null);
    }

    public static TensorData ofLongs(long[] values, long... shape) {
        return new TensorData(shape, null, values);
    }

    public boolean isFloat() {
        return floats != null;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of values: the product of the shape (1 for a scalar). */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    /** Same shape and bit-identical values. */
    public boolean sameAs(TensorData o) {
        return Arrays.equals(shape, o.shape) && Arrays.equals(floats, o.floats) && Arrays.equals(longs, o.longs);
    }

    @Override
    public String toString() {
        return "TensorData" + Arrays.toString(shape) + (isFloat() ? " float" : " int64");
    }
}
