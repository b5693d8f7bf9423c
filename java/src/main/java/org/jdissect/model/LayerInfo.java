package org.jdissect.model;

/** A candidate layer: a 4-D intermediate tensor N x C x H x W, the op that produces it and its per-image shape. */
public record LayerInfo(String name, String op, int channels, int height, int width) {

    /** Floats per image: channels * height * width. */
    public int valuesPerImage() {
        return channels * height * width;
    }
}
