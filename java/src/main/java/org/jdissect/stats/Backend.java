package org.jdissect.stats;

import org.jdissect.io.Progress;

/**
 * The seam between orchestration and computation: every heavy statistic of a dissection goes through here.
 * {@link CpuBackend} is the specification; other backends must produce identical results.
 */
public interface Backend extends AutoCloseable {
    /** A short name for logs and reports, e.g. "cpu (2 threads)". */
    String name();

    /**
     * Pass 1: per unit, the exact top-{@code quantile} threshold over every spatial value of every image, and the
     * {@code topk} images with the largest per-image maximum. Reports progress once per image and pass over the
     * activations ({@link #passes} of them).
     */
    UnitStats unitStats(ActivationSource activations, double quantile, int topk, Progress progress);

    /** How many passes {@link #unitStats} makes over these activations (its progress counts images per pass). */
    default int passes(ActivationSource activations) {
        return 2;
    }

    /**
     * Pass 2: each unit's map upsampled bilinearly (see {@link Upsampling}) to each image's label size,
     * thresholded ({@code value > threshold}), and counted against the labels.
     */
    TallyCounts tally(ActivationSource activations, float[] thresholds, LabelSource labels, Progress progress);

    /**
     * Masked ablation or insertion, in place, on a batch of activations {@code [image][unit][y][x]}:
     * {@code x = x * (1 - a) + r * a}, computed as {@code fma(a, r - x, x)} in fp32. {@code alpha} holds one value
     * per unit ({@code units} values) or one per unit and location ({@code units * hw} values, shared by every
     * image); {@code replacement} one value per unit. Zero replacement with alpha 1 ablates; a high quantile
     * inserts.
     */
    void ablate(float[] activations, int images, int units, int hw, float[] alpha, float[] replacement);

    /** The CUDA runtime and device the statistics run on, for the provenance of outputs; null on the CPU. */
    default String cuda() {
        return null;
    }

    @Override
    default void close() {
    }
}
