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

    /**
     * This image's labels, checked to lie in {@code 0 .. numLabels - 1} (what the tally indexes its counts with):
     * one minimum and maximum per layer, then the image-level numbers.
     *
     * @throws IllegalArgumentException naming the first label outside the range
     */
    public ImageLabels checkRange(int numLabels) {
        for (int[] layer : layers) {
            int min = 0;
            int max = 0;
            for (int l : layer) {
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
            checkLabel(min, numLabels);
            checkLabel(max, numLabels);
        }
        for (int l : imageLevel) {
            checkLabel(l, numLabels);
        }
        return this;
    }

    private static void checkLabel(int l, int numLabels) {
        if (l < 0 || l >= numLabels) {
            throw new IllegalArgumentException("label " + l + " outside 0.." + (numLabels - 1));
        }
    }
}
