package org.jdissect.stats;

/** Activations held in one array in memory, {@code [image][unit][y][x]} half floats. */
public record ArrayActivations(short[] values, int images, int units, int height, int width)
        implements ActivationSource {
    public ArrayActivations {
        if ((long) images * units * height * width != values.length) {
            throw new IllegalArgumentException("expected " + ((long) images * units * height * width)
                    + " values, got " + values.length);
        }
    }

    /** Rounds float activations to half precision, as the cache stores them. */
    public static ArrayActivations ofFloats(float[] values, int images, int units, int height, int width) {
        short[] half = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            half[i] = Fp16.fromFloat(values[i]);
        }
        return new ArrayActivations(half, images, units, height, width);
    }

    @Override
    public void read(int first, int count, short[] dst) {
        int per = valuesPerImage();
        System.arraycopy(values, first * per, dst, 0, count * per);
    }
}
