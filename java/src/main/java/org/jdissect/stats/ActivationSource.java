package org.jdissect.stats;

/**
 * One layer's activations over the dataset, as IEEE half-precision values in
 * {@code [image][unit][y][x]} order. Implementations must be safe for concurrent reads of disjoint or
 * overlapping ranges.
 */
public interface ActivationSource {
    int images();

    int units();

    int height();

    int width();

    /** Copies images {@code first .. first + count - 1} into {@code dst}, starting at index 0. */
    void read(int first, int count, short[] dst);

    default int valuesPerImage() {
        return units() * height() * width();
    }

    /**
     * Per unit, how many of its values are non-finite (NaN or infinite in the model's output), stored as the lowest
     * half value, -65504, so that they sort below every other value and no map pixel that interpolates one (with a
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
