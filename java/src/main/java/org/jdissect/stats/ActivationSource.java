package org.jdissect.stats;

/**
 * One layer's activations over the dataset in {@code [image][unit][y][x]} order, as IEEE half-precision values
 * ({@link Precision#FP16}: read with {@link #read}) or single-precision ones ({@link Precision#FP32}: read with
 * {@link #readFloats}). Implementations must be safe for concurrent reads of disjoint or overlapping ranges.
 */
public interface ActivationSource {
    int images();

    int units();

    int height();

    int width();

    /** How the values are held; {@link #read} serves {@link Precision#FP16}, {@link #readFloats} both. */
    default Precision precision() {
        return Precision.FP16;
    }

    /** Copies images {@code first .. first + count - 1} into {@code dst}, starting at index 0 (half precision). */
    void read(int first, int count, short[] dst);

    /**
     * Copies images {@code first .. first + count - 1} into {@code dst} as floats: a half-precision source's values
     * widened (exactly), a single-precision source's as they are.
     */
    default void readFloats(int first, int count, float[] dst) {
        short[] halves = new short[count * valuesPerImage()];
        read(first, count, halves);
        for (int i = 0; i < halves.length; i++) {
            dst[i] = Fp16.toFloat(halves[i]);
        }
    }

    default int valuesPerImage() {
        return units() * height() * width();
    }

    /**
     * Per unit, how many of its values are non-finite (NaN or infinite in the model's output), stored as the lowest
     * value (half: -65504; single: -3.4e38, {@code -Float.MAX_VALUE}), so that they sort below every other value and no map pixel that interpolates one (with a
     * weight above zero) exceeds a threshold; pass 1 leaves them out of the quantile (ranks are counted from above
     * them). Null: none.
     */
    default long[] nonFinite() {
        return null;
    }

    /** How many images (at least 1, at most all) fit in a chunk of {@code maxValues} values. */
    default int imagesPerChunk(int maxValues) {
        return Math.max(1, Math.min(images(), maxValues / Math.max(1, valuesPerImage())));
    }
}
