package org.jdissect.stats;

/**
 * Pass-1 statistics of one layer.
 *
 * @param thresholds  per unit, the exact top-{@code quantile} activation value (see {@link Quantiles})
 * @param topImages   per unit, the indexes of the images with the largest per-image maximum, best first
 * @param topValues   per unit, those images' maxima, aligned with {@code topImages}
 */
public record UnitStats(float[] thresholds, int[][] topImages, float[][] topValues) {
}
