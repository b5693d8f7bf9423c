package org.jdissect.paint;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jdissect.JdissectException;

/**
 * Brush strokes on the image, and the mask they paint at the layer's resolution: a stroke is a polyline of points in
 * image pixels drawn with a round brush of {@code radius} pixels (an eraser stroke clears instead); a feature location
 * is in the mask when any painted pixel falls in the image cell it covers, as {@code gan-edit --region} chooses
 * locations.
 */
public final class Strokes {
    /** The most strokes of one edit, and points of one stroke: a request's size is bounded before it is read. */
    public static final int MAX_STROKES = 256;
    public static final int MAX_POINTS = 4096;
    /** The largest brush radius in pixels. */
    public static final double MAX_RADIUS = 512;

    private Strokes() {
    }

    /**
     * One stroke.
     *
     * @param points {@code [x, y]} pairs in image pixels (0 .. width, 0 .. height)
     * @param radius the brush's radius in pixels
     * @param erase  whether it clears what earlier strokes of the same edit painted
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record Stroke(List<double[]> points, double radius, boolean erase) {
    }

    /** Refuses strokes outside the image, too many, too long, or with a brush out of range, naming what is wrong. */
    static void check(List<Stroke> strokes, int width, int height) {
        if (strokes == null || strokes.isEmpty()) {
            throw new JdissectException("an edit needs at least one stroke");
        }
        if (strokes.size() > MAX_STROKES) {
            throw new JdissectException("an edit has " + strokes.size() + " strokes; at most " + MAX_STROKES);
        }
        for (int s = 0; s < strokes.size(); s++) {
            Stroke k = strokes.get(s);
            if (k == null || k.points() == null || k.points().isEmpty() || k.points().size() > MAX_POINTS) {
                throw new JdissectException("stroke " + (s + 1) + " needs 1 to " + MAX_POINTS + " points");
            }
            if (!(k.radius() > 0 && k.radius() <= MAX_RADIUS)) {
                throw new JdissectException("stroke " + (s + 1) + ": radius " + k.radius() + " is outside (0, "
                        + (int) MAX_RADIUS + "]");
            }
            for (double[] p : k.points()) {
                if (p == null || p.length != 2 || !(p[0] >= 0 && p[0] <= width) || !(p[1] >= 0 && p[1] <= height)) {
                    throw new JdissectException("stroke " + (s + 1) + ": a point is outside the " + width + " x "
                            + height + " image (points are [x, y] pixels, 0.." + width + ", 0.." + height + ")");
                }
            }
        }
    }

    /** The painted pixels of the strokes in order ({@code height x width}, row by row). */
    static boolean[] paint(List<Stroke> strokes, int width, int height) {
        boolean[] painted = new boolean[width * height];
        for (Stroke k : strokes) {
            List<double[]> pts = k.points();
            for (int i = 0; i < pts.size(); i++) {
                double[] a = pts.get(i);
                double[] b = i + 1 < pts.size() ? pts.get(i + 1) : a;
                segment(painted, width, height, a, b, k.radius(), !k.erase());
            }
        }
        return painted;
    }

    /** Every pixel whose centre lies within {@code r} of the segment a..b. */
    private static void segment(boolean[] painted, int width, int height, double[] a, double[] b, double r,
                                boolean value) {
        int x0 = Math.max(0, (int) Math.floor(Math.min(a[0], b[0]) - r));
        int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(a[0], b[0]) + r));
        int y0 = Math.max(0, (int) Math.floor(Math.min(a[1], b[1]) - r));
        int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(a[1], b[1]) + r));
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double len2 = dx * dx + dy * dy;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5;
                double py = y + 0.5;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len2));
                double ex = a[0] + t * dx - px;
                double ey = a[1] + t * dy - py;
                if (ex * ex + ey * ey <= r * r) {
                    painted[y * width + x] = value;
                }
            }
        }
    }

    /**
     * The mask at the layer's resolution ({@code layerH x layerW}): a location is in it when a painted pixel falls in
     * its cell, pixels {@code x * W / w .. (x + 1) * W / w} across (as {@code gan-edit --region}).
     */
    static boolean[] mask(boolean[] painted, int width, int height, int layerH, int layerW) {
        boolean[] mask = new boolean[layerH * layerW];
        for (int y = 0; y < layerH; y++) {
            for (int x = 0; x < layerW; x++) {
                int px0 = x * width / layerW;
                int px1 = (x + 1) * width / layerW;
                int py0 = y * height / layerH;
                int py1 = (y + 1) * height / layerH;
                boolean any = false;
                for (int py = py0; py < Math.max(py1, py0 + 1) && !any; py++) {
                    for (int px = px0; px < Math.max(px1, px0 + 1) && !any; px++) {
                        any = painted[Math.min(py, height - 1) * width + Math.min(px, width - 1)];
                    }
                }
                mask[y * layerW + x] = any;
            }
        }
        return mask;
    }
}
