package org.jdissect.model;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Generator outputs (N x 3 x H x W in the range {@code lo .. hi}) as 8-bit RGB images, as they are saved. */
public final class GeneratedImages {
    private GeneratedImages() {
    }

    public static List<BufferedImage> toRgb(float[] images, int n, int h, int w, float lo, float hi) {
        List<BufferedImage> out = new ArrayList<>(n);
        int plane = h * w;
        float scale = 255f / (hi - lo);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] rgb = new int[plane];
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int r = channel(images[base + p], lo, scale);
                int g = channel(images[base + plane + p], lo, scale);
                int b = channel(images[base + 2 * plane + p], lo, scale);
                rgb[p] = (r << 16) | (g << 8) | b;
            }
            img.setRGB(0, 0, w, h, rgb, 0, w);
            out.add(img);
        }
        return out;
    }

    private static int channel(float v, float lo, float scale) {
        int c = Math.round((v - lo) * scale);
        return c < 0 ? 0 : Math.min(255, c);
    }
}
