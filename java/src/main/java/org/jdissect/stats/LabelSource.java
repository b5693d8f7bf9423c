package org.jdissect.stats;

import org.jdissect.data.ImageLabels;

/**
 * The labels the tally counts against, image by image, aligned with an {@link ActivationSource}:
 * image {@code i} here is image {@code i} there. Implementations must be safe to call from several threads.
 */
public interface LabelSource {
    /** Number of label numbers (the largest label number + 1; label 0 is "unlabelled" and never counted). */
    int numLabels();

    /** Number of categories. */
    int numCategories();

    /** For each label number, the index of its primary category (the category where its coverage is largest). */
    int[] primaryCategory();

    /** The labels of image {@code image} (0-based, in the activation source's order). */
    ImageLabels labels(int image);

    /**
     * The same, possibly in the arrays of {@code reuse} (labels an earlier call returned, which the caller no longer
     * reads; null for none): the tally gives each slot of its chunk the slot's previous labels, so that a run does
     * not allocate the maps of every image afresh. This default reads them afresh.
     */
    default ImageLabels labels(int image, ImageLabels reuse) {
        return labels(image);
    }
}
