package org.jdissect.model;

/**
 * A candidate layer: an intermediate float tensor that depends on the image, the op that produces it and how one
 * image's values are read as {@code channels} units with {@code height x width} maps.
 * <ul>
 *   <li>a 4-D tensor N x C x H x W: C units with H x W maps;</li>
 *   <li>a 2-D tensor N x C ({@code flat}: a fully connected or pooled layer): C units with one value per image, read
 *       as a 1 x 1 map, so that the statistics, the tally (a 1 x 1 map upsampled is the whole image at that value),
 *       ablation and the report need no other case;</li>
 *   <li>a 3-D tensor N x T x D of tokens ({@code tokens} = T > 0: a Vision Transformer's block): its D channels are
 *       the units, and its patch tokens, after {@code skip} leading special tokens (class token, registers), laid on
 *       the H x W patch grid in row order are the map. The model produces N x T x D; the runner hands on
 *       N x D x H x W.</li>
 *   <li>a 4-D tensor N x H x W x C that the graph made channels-last ({@code channelsLast}: a transpose by
 *       (0, 2, 3, 1), and what follows it position by position): read as H x W tokens of C values.</li>
 * </ul>
 */
public record LayerInfo(String name, String op, int channels, int height, int width, boolean flat, int tokens,
                        int skip, boolean channelsLast) {
    public LayerInfo {
        if (channelsLast && (flat || tokens != height * width || skip != 0)) {
            throw new IllegalArgumentException("a channels-last layer is read as its H x W tokens, got " + tokens
                    + " tokens, skip " + skip);
        }
        if (flat && (height != 1 || width != 1)) {
            throw new IllegalArgumentException("a flat layer is read as C x 1 x 1, got " + height + " x " + width);
        }
        if (tokens > 0 && (flat || skip < 0 || skip + height * width != tokens)) {
            throw new IllegalArgumentException("a token layer of " + tokens + " tokens cannot skip " + skip
                    + " and lay the rest on " + height + " x " + width);
        }
    }

    /** A 4-D layer. */
    public LayerInfo(String name, String op, int channels, int height, int width) {
        this(name, op, channels, height, width, false, 0, 0, false);
    }

    /** A 4-D layer, or (flat) a 2-D one. */
    public LayerInfo(String name, String op, int channels, int height, int width, boolean flat) {
        this(name, op, channels, height, width, flat, 0, 0, false);
    }

    /** A token layer of {@code tokens} tokens, the first {@code skip} special. */
    public LayerInfo(String name, String op, int channels, int height, int width, boolean flat, int tokens, int skip) {
        this(name, op, channels, height, width, flat, tokens, skip, false);
    }

    /**
     * A 4-D channels-last layer N x H x W x C (after a transpose to NHWC, as ConvNeXt and Swin compute): read as
     * its H x W positions in row order, each a token of C values, with none special.
     */
    public static LayerInfo channelsLast(String name, String op, int channels, int height, int width) {
        return new LayerInfo(name, op, channels, height, width, false, height * width, 0, true);
    }

    /** Floats per image as the statistics read them: channels * height * width. */
    public int valuesPerImage() {
        return channels * height * width;
    }

    /** Floats per image as the model produces them (the special tokens too, for a token layer). */
    public int producedPerImage() {
        return tokens > 0 ? tokens * channels : valuesPerImage();
    }

    /** The tensor's shape for {@code n} images, as the model produces it: {n, C}, {n, T, D} or {n, C, H, W}. */
    public long[] shape(long n) {
        return flat ? new long[] {n, channels} : channelsLast ? new long[] {n, height, width, channels}
                : tokens > 0 ? new long[] {n, tokens, channels} : new long[] {n, channels, height, width};
    }

    /**
     * One image's values as the model produced them ({@code src} from {@code from}) into map order ({@code dst} from
     * {@code to}): a token layer's patch tokens transposed to channel-major maps; any other layer copied.
     */
    public void toMaps(float[] src, int from, float[] dst, int to) {
        if (tokens == 0) {
            System.arraycopy(src, from, dst, to, valuesPerImage());
            return;
        }
        int hw = height * width;
        for (int p = 0; p < hw; p++) {
            int token = from + (skip + p) * channels;
            for (int c = 0; c < channels; c++) {
                dst[to + c * hw + p] = src[token + c];
            }
        }
    }

    /**
     * The reverse of {@link #toMaps} for a token layer's patch tokens: one image's maps ({@code maps} from
     * {@code from}) written back as tokens {@code skip .. T - 1} of {@code tokens} from {@code to}; the special tokens
     * before them are left as they are.
     */
    public void toTokens(float[] maps, int from, float[] tokens, int to) {
        if (this.tokens == 0) {
            System.arraycopy(maps, from, tokens, to, valuesPerImage());
            return;
        }
        int hw = height * width;
        for (int p = 0; p < hw; p++) {
            int token = to + (skip + p) * channels;
            for (int c = 0; c < channels; c++) {
                tokens[token + c] = maps[from + c * hw + p];
            }
        }
    }

    /** How the layer is read, for listings: {@code 512 x 7 x 7}, {@code 512 (N x C, read as 512 x 1 x 1)}, ... */
    public String describe() {
        if (flat) {
            return channels + " (N x C, read as " + channels + " x 1 x 1)";
        }
        if (channelsLast) {
            return channels + " x " + height + " x " + width + " (N x " + height + " x " + width + " x " + channels
                    + ", channels last)";
        }
        if (tokens > 0) {
            return channels + " x " + height + " x " + width + " (N x " + tokens + " tokens x " + channels + ": "
                    + (skip == 0 ? "" : skip + " leading special token" + (skip == 1 ? "" : "s") + " dropped, ")
                    + height * width + " patch tokens on the " + height + " x " + width + " grid)";
        }
        return channels + " x " + height + " x " + width;
    }
}
