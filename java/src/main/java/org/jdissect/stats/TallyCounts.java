package org.jdissect.stats;

/**
 * Pass-2 counts of one layer, exactly as BRODEN.md defines them.
 *
 * @param units          U
 * @param numLabels      number of label numbers (row length of {@code intersection})
 * @param numCategories  C
 * @param images         number of images counted
 * @param intersection   I[u * numLabels + l]: pixels of unit u's mask carrying label l (per layer); an image-level
 *                       label adds |mask|
 * @param activation     A[u * numCategories + c]: |mask| summed over images where the mask touches a label whose
 *                       primary category is c (or the image carries an image-level label of primary category c)
 * @param labelPixels    L[l]: pixels carrying l over all layers; an image-level label adds sh * sw
 * @param maskPixels     per unit, |mask| summed over all images
 */
public record TallyCounts(int units, int numLabels, int numCategories, long images,
                          long[] intersection, long[] activation, long[] labelPixels, long[] maskPixels)
        implements java.io.Serializable {

    public static TallyCounts zero(int units, int numLabels, int numCategories) {
        return new TallyCounts(units, numLabels, numCategories, 0,
                new long[units * numLabels], new long[units * numCategories], new long[numLabels], new long[units]);
    }

    /**
     * The counts of two disjoint sets of images together: every count is a sum over images, so the tally of a
     * dataset split in parts is the sum of the parts' tallies, exactly.
     */
    public TallyCounts plus(TallyCounts other) {
        if (other.units != units || other.numLabels != numLabels || other.numCategories != numCategories) {
            throw new IllegalArgumentException("tallies of different shapes: " + units + "x" + numLabels + "x"
                    + numCategories + " and " + other.units + "x" + other.numLabels + "x" + other.numCategories);
        }
        return new TallyCounts(units, numLabels, numCategories, images + other.images,
                RadixSelection.plus(intersection, other.intersection),
                RadixSelection.plus(activation, other.activation),
                RadixSelection.plus(labelPixels, other.labelPixels),
                RadixSelection.plus(maskPixels, other.maskPixels));
    }

    public long intersection(int unit, int label) {
        return intersection[unit * numLabels + label];
    }

    public long activation(int unit, int category) {
        return activation[unit * numCategories + category];
    }
}
