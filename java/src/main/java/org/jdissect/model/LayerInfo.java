package org.jdissect.model;

/**
 * A candidate layer: an intermediate float tensor that depends on the image, the op that produces it and its
 * per-image shape. A 4-D tensor N x C x H x W gives C units with H x W maps; a 2-D one N x C ({@code flat}: a fully
 * connected or pooled layer) gives C units with one value per image, read as a 1 x 1 map, so that the statistics,
 * the tally (a 1 x 1 map upsampled is the whole image at that value), ablation and the report need no other case.
 */
public record LayerInfo(String name, String op, int channels, int height, int width, boolean flat) {
    public LayerInfo {
        if (flat && (height != 1 || width != 1)) {
            throw new IllegalArgumentException("a flat layer is read as C x 1 x 1, got " + height + " x " + width);
        }
    }

    /** A 4-D layer. */
    public LayerInfo(String name, String op, int channels, int height, int width) {
        this(name, op, channels, height, width, false);
    }

    /** Floats per image: channels * height * width. */
    public int valuesPerImage() {
        return channels * height * width;
    }

    /** The tensor's shape for {@code n} images, as the model produces it: {n, C} or {n, C, H, W}. */
    public long[] shape(long n) {
        return flat ? new long[] {n, channels} : new long[] {n, channels, height, width};
    }

    /** How the layer is read, for listings: {@code 512 x 7 x 7}, or {@code 512 (N x C, read as 512 x 1 x 1)}. */
    public String describe() {
        return flat ? channels + " (N x C, read as " + channels + " x 1 x 1)" : channels + " x " + height + " x " + width;
    }
}
