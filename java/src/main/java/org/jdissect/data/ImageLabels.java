package org.jdissect.data;

/**
 * The labels of one image over the chosen categories, as the tally consumes them.
 *
 * @param sh          label-map height
 * @param sw          label-map width
 * @param layers      pixel label layers, each {@code sh * sw} label numbers in row-major order (0 = unlabelled);
 *                    every layer of every pixel category of the image, in index.csv order
 * @param imageLevel  image-level label numbers (a category cell holding numbers: the whole image carries them)
 */
public record ImageLabels(int sh, int sw, int[][] layers, int[] imageLevel) {
    public ImageLabels {
        for (int[] layer : layers) {
            if (layer.length != sh * sw) {
                throw new IllegalArgumentException("label layer of " + layer.length + " pixels, expected " + sh + "x" + sw);
            }
        }
    }
}
