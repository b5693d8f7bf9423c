package org.jdissect.world;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

import org.jdissect.world.SceneWorld.Concept;
import org.jdissect.world.SceneWorld.Scene;

/**
 * Broden's label maps from a painted canvas: half the image size, object, part, material and texture sampled at the
 * centre of each 2x2 block, and the colour label naming the block's mean colour, so that every pixel has a colour.
 */
final class LabelMaps {
    private LabelMaps() {
    }

    /** The finished image of {@code canvas} and its label maps, half its size ({@code sh = sw = s / 2}). */
    static Scene of(Canvas canvas, Concept scene) {
        int s = canvas.s;
        int[] rgb = canvas.rgb;
        int[] obj = canvas.obj;
        int[] behind = canvas.behind;
        int[] part = canvas.part;
        int[] mat = canvas.mat;
        int[] tex = canvas.tex;
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(rgb, 0, ((DataBufferInt) img.getRaster().getDataBuffer()).getData(), 0, rgb.length);
        int h = s / 2;
        int[] color = new int[h * h];
        int[] o = new int[h * h];
        int[] ob = new int[h * h];
        int[] pa = new int[h * h];
        int[] ma = new int[h * h];
        int[] te = new int[h * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < h; x++) {
                int j = y * h + x;
                int i = (2 * y + 1) * s + 2 * x + 1;
                o[j] = obj[i];
                ob[j] = behind[i];
                pa[j] = part[i];
                ma[j] = mat[i];
                te[j] = tex[i];
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int c = rgb[(2 * y + dy) * s + 2 * x + dx];
                        r += (c >> 16) & 255;
                        g += (c >> 8) & 255;
                        b += c & 255;
                    }
                }
                color[j] = colourName(r / 4, g / 4, b / 4).number();
            }
        }
        return new Scene(img, scene, h, color, o, ob, pa, ma, te);
    }

    /** The colour word for an sRGB value: black, white and grey by value and saturation, the rest by hue. */
    static Concept colourName(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        float v = max / 255f;
        float sat = max == 0 ? 0 : (max - min) / (float) max;
        if (v < 0.18f) {
            return Concept.BLACK;
        }
        if (sat < 0.18f) {
            return v > 0.78f ? Concept.WHITE : Concept.GREY;
        }
        float hue;
        float d = max - min;
        if (max == r) {
            hue = 60 * (((g - b) / d) % 6);
        } else if (max == g) {
            hue = 60 * ((b - r) / d + 2);
        } else {
            hue = 60 * ((r - g) / d + 4);
        }
        if (hue < 0) {
            hue += 360;
        }
        if (hue < 15 || hue >= 345) {
            return sat < 0.45f && v > 0.7f ? Concept.PINK : v < 0.55f ? Concept.BROWN : Concept.RED;
        }
        if (hue < 45) {
            return v < 0.62f ? Concept.BROWN : Concept.ORANGE;
        }
        if (hue < 70) {
            return v < 0.5f ? Concept.BROWN : Concept.YELLOW;
        }
        if (hue < 170) {
            return Concept.GREEN;
        }
        if (hue < 260) {
            return Concept.BLUE;
        }
        if (hue < 300) {
            return Concept.PURPLE;
        }
        return Concept.PINK;
    }
}
