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

    /** How many images (at least 1, at most all) fit in a chunk of {@code maxValues} values. */
    default int imagesPerChunk(int maxValues) {
        return Math.max(1, Math.min(images(), maxValues / Math.max(1, valuesPerImage())));
    }
}
