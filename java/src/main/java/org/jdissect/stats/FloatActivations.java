package org.jdissect.stats;

/** Activations held in one array in memory, {@code [image][unit][y][x]} single-precision floats. */
public record FloatActivations(float[] values, int images, int units, int height, int width)
        implements ActivationSource {
    public FloatActivations {
        if ((long) images * units * height * width != values.length) {
            throw new IllegalArgumentException("expected " + ((long) images * units * height * width)
                    + " values, got " + values.length);
        }
    }

    @Override
    public Precision precision() {
        return Precision.FP32;
    }

    @Override
    public void read(int first, int count, short[] dst) {
        throw new UnsupportedOperationException("single-precision activations are read with readFloats");
    }

    @Override
    public void readFloats(int first, int count, float[] dst) {
        int per = valuesPerImage();
        System.arraycopy(values, first * per, dst, 0, count * per);
    }
}
