package org.jdissect.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdissect.JdissectException;

/**
 * How a token layer's tokens N x T x D lie, given by the user ({@code --tokens S:HxW}) where the graph cannot tell:
 * {@code special} leading tokens (class token, distillation token, registers) dropped, then the patch tokens in row
 * order on an {@code height x width} grid, so T = special + height * width. Without it a token layer is read on the
 * grid of the model's patch embedding (a convolution on the input whose kernel is its stride).
 */
public record TokenLayout(int special, int height, int width) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,4})\\s*:\\s*(\\d{1,4})\\s*[xX]\\s*(\\d{1,4})\\s*");

    public TokenLayout {
        if (special < 0 || height <= 0 || width <= 0) {
            throw new JdissectException("a token layout needs 0 or more special tokens and a grid of positive sides, got "
                    + special + ":" + height + "x" + width);
        }
    }

    /** Parses {@code S:HxW} ({@code 1:8x8}: one leading special token, then an 8 x 8 grid; {@code 0:4x6} none). */
    public static TokenLayout parse(String option, String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new JdissectException(option + " '" + text + "' is not valid: expected S:HxW, the number of leading "
                    + "special tokens and the patch grid, e.g. 1:14x14 (a class token, then 196 patch tokens)");
        }
        int s = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        int w = Integer.parseInt(m.group(3));
        if (h == 0 || w == 0) {
            throw new JdissectException(option + " '" + text + "' is not valid: the grid's sides must be positive");
        }
        return new TokenLayout(s, h, w);
    }

    /** The number of tokens a layer read this way holds: special + height * width. */
    public long tokens() {
        return special + (long) height * width;
    }

    /** Whether a layer of {@code tokens} tokens can be read this way. */
    public boolean fits(long tokens) {
        return tokens == tokens();
    }

    /** {@code S:HxW}, as parsed. */
    @Override
    public String toString() {
        return special + ":" + height + "x" + width;
    }

    /**
     * Layouts that would read {@code tokens} tokens, for error messages: square grids of side 2 or more after 0 to
     * {@code maxSpecial} special tokens, else the single row after none ({@code 0:1xT}).
     */
    public static List<TokenLayout> squareChoices(long tokens, int maxSpecial) {
        List<TokenLayout> out = new ArrayList<>();
        for (int s = 0; s <= maxSpecial && s < tokens; s++) {
            long side = Math.round(Math.sqrt((double) (tokens - s)));
            if (side > 1 && side * side == tokens - s && side <= Integer.MAX_VALUE) {
                out.add(new TokenLayout(s, (int) side, (int) side));
            }
        }
        if (out.isEmpty() && tokens > 0 && tokens <= Integer.MAX_VALUE) {
            out.add(new TokenLayout(0, 1, (int) tokens));
        }
        return out;
    }
}
