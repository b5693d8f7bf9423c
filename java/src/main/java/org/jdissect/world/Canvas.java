package org.jdissect.world;

import static org.jdissect.world.Rgb.clamp;

import java.util.List;
import java.util.Random;

import org.jdissect.world.SceneWorld.Concept;

/**
 * The image being painted, at full size: its pixels and, for every pixel, the object, the object hidden behind it,
 * the part, the material and the texture that were painted last. {@link LabelMaps} turns it into Broden's label maps.
 */
final class Canvas {
    final int s;
    final int[] rgb;
    final int[] obj;
    final int[] behind;
    final int[] part;
    final int[] mat;
    final int[] tex;
    final int salt;
    /**
     * The objects that stand in front of others: where one of them hides another, the hidden one goes to the layer
     * behind; sky, ground, water, walls and the like are what things stand on, never hidden things. An array by label
     * number because {@link #fill} looks it up for every pixel; written once here, never again.
     */
    private static final boolean[] THING = new boolean[Concept.values().length + 1];

    static {
        for (Concept k : List.of(Concept.HOUSE, Concept.TREE, Concept.CAR, Concept.BOAT, Concept.PERSON,
                Concept.FENCE, Concept.ROCK, Concept.CACTUS, Concept.BED, Concept.TABLE, Concept.CABINET,
                Concept.LAMP, Concept.UMBRELLA, Concept.MOUNTAIN)) {
            THING[k.number()] = true;
        }
    }

    Canvas(int s, int salt) {
        this.s = s;
        int n = s * s;
        rgb = new int[n];
        obj = new int[n];
        behind = new int[n];
        part = new int[n];
        mat = new int[n];
        tex = new int[n];
        this.salt = salt;
    }

    /** Paints {@code r}; a thing painted over another thing keeps the hidden one in the behind layer. */
    void fill(Region r, Paint p, Concept object, Concept partLabel, Concept material) {
        float[] b = r.bounds();
        int x0 = Math.max(0, (int) Math.floor(b[0] * s));
        int y0 = Math.max(0, (int) Math.floor(b[1] * s));
        int x1 = Math.min(s - 1, (int) Math.ceil(b[2] * s));
        int y1 = Math.min(s - 1, (int) Math.ceil(b[3] * s));
        int o = object.number();
        int pl = partLabel == null ? 0 : partLabel.number();
        int m = material == null ? 0 : material.number();
        Concept t = p.texture();
        int tl = t == null ? 0 : t.number();
        float inv = 1f / s;
        float span = Math.max(1, y1 - y0);
        for (int y = y0; y <= y1; y++) {
            float fy = (y + 0.5f) * inv;
            for (int x = x0; x <= x1; x++) {
                float fx = (x + 0.5f) * inv;
                if (!r.contains(fx, fy)) {
                    continue;
                }
                int i = y * s + x;
                int prev = obj[i];
                if (prev != o) {
                    behind[i] = THING[prev] && THING[o] ? prev : 0;
                }
                obj[i] = o;
                part[i] = pl;
                mat[i] = m;
                tex[i] = tl;
                rgb[i] = p.colourAt(x, y, (y - y0) / span, s, salt);
            }
        }
    }

    /** Global lighting: brightness and a warm or cool cast, then the colour labels from the final pixels. */
    void light(Random rnd) {
        float gain = 0.7f + 0.5f * rnd.nextFloat();
        float tr = 1 + 0.12f * (rnd.nextFloat() * 2 - 1);
        float tb = 1 + 0.12f * (rnd.nextFloat() * 2 - 1);
        for (int i = 0; i < rgb.length; i++) {
            int c = rgb[i];
            int r = clamp(Math.round(((c >> 16) & 255) * gain * tr));
            int g = clamp(Math.round(((c >> 8) & 255) * gain));
            int b = clamp(Math.round((c & 255) * gain * tb));
            rgb[i] = (r << 16) | (g << 8) | b;
        }
    }
}
