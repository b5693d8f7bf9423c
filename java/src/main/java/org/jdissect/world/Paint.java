package org.jdissect.world;

import static org.jdissect.world.Rgb.add;
import static org.jdissect.world.Rgb.hash;
import static org.jdissect.world.Rgb.mix;

import org.jdissect.world.SceneWorld.Concept;

/** How a region is painted: two colours, a pattern of period {@code period} (fraction of the image). */
record Paint(int c1, int c2, Pattern pattern, float period, int noise) {
    /** Surface patterns; the first five carry a texture label. */
    enum Pattern { STRIPES_H, STRIPES_V, STRIPES_D, CHECKS, DOTS, WAVES, SPECKLE, PLAIN, GRADIENT, BRICKS, PLANKS }

    static Paint plain(int c, int noise) {
        return new Paint(c, c, Pattern.PLAIN, 1, noise);
    }

    Concept texture() {
        return switch (pattern) {
            case STRIPES_H, STRIPES_V, STRIPES_D -> Concept.STRIPED;
            case CHECKS -> Concept.CHECKERED;
            case DOTS -> Concept.DOTTED;
            case WAVES -> Concept.WAVY;
            case SPECKLE -> Concept.SPECKLED;
            default -> null;
        };
    }

    /**
     * The colour of pixel ({@code x}, {@code y}) of a {@code size} x {@code size} image, {@code v} of the way down the
     * painted region (for gradients). Patterns and noise depend on the pixel's place in the image and the image's
     * {@code salt}, not on the region, so that regions painted with one paint (a car's cabin and body) show no seam.
     */
    int colourAt(int x, int y, float v, int size, int salt) {
        float per = Math.max(2f, period * size);
        boolean second = switch (pattern) {
            case STRIPES_H -> ((int) Math.floor(y / per) & 1) == 1;
            case STRIPES_V -> ((int) Math.floor(x / per) & 1) == 1;
            case STRIPES_D -> ((int) Math.floor((x + y) / per) & 1) == 1;
            case CHECKS -> (((int) Math.floor(x / per) + (int) Math.floor(y / per)) & 1) == 1;
            case DOTS -> {
                float cx = (float) (x - (Math.floor(x / per) + 0.5) * per);
                float cy = (float) (y - (Math.floor(y / per) + 0.5) * per);
                yield cx * cx + cy * cy < per * per * 0.1f;
            }
            case WAVES -> (((int) Math.floor((y + per * 0.35 * Math.sin(x * 2.1 / per)) / per)) & 1) == 1;
            case SPECKLE -> (hash(x, y, salt ^ 0x5bd1e995) & 7) == 0;
            case BRICKS -> {
                int row = (int) Math.floor(y / per);
                float off = (row & 1) * per;
                yield y - row * per < 1 || ((x + off) % (2 * per)) < 1;
            }
            case PLANKS -> (y % Math.max(3, (int) per)) == 0;
            default -> false;
        };
        int c = pattern == Pattern.GRADIENT ? mix(c1, c2, v) : second ? c2 : c1;
        if (noise > 0) {
            int n = ((hash(x, y, salt) & 255) - 128) * noise / 128;
            c = add(c, n);
        }
        return c;
    }
}
