package org.jdissect.world;

/**
 * A region of the unit square (coordinates are fractions of the image size), the shapes painters fill. Fractions, not
 * pixels, so that a scene's layout is the same at every image size.
 */
sealed interface Region {
    boolean contains(float x, float y);

    /** Bounding box x0, y0, x1, y1 as fractions. */
    float[] bounds();

    static Poly tri(float x0, float y0, float x1, float y1, float x2, float y2) {
        return new Poly(new float[] {x0, x1, x2}, new float[] {y0, y1, y2});
    }

    record Rect(float x0, float y0, float x1, float y1) implements Region {
        public boolean contains(float x, float y) {
            return x >= x0 && x < x1 && y >= y0 && y < y1;
        }

        public float[] bounds() {
            return new float[] {x0, y0, x1, y1};
        }
    }

    record Ellipse(float cx, float cy, float rx, float ry) implements Region {
        public boolean contains(float x, float y) {
            float dx = (x - cx) / rx;
            float dy = (y - cy) / ry;
            return dx * dx + dy * dy <= 1;
        }

        public float[] bounds() {
            return new float[] {cx - rx, cy - ry, cx + rx, cy + ry};
        }
    }

    /** A polygon, even-odd rule. */
    record Poly(float[] xs, float[] ys) implements Region {
        public boolean contains(float x, float y) {
            boolean in = false;
            for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
                if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                    in = !in;
                }
            }
            return in;
        }

        public float[] bounds() {
            float[] b = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
            for (int i = 0; i < xs.length; i++) {
                b[0] = Math.min(b[0], xs[i]);
                b[1] = Math.min(b[1], ys[i]);
                b[2] = Math.max(b[2], xs[i]);
                b[3] = Math.max(b[3], ys[i]);
            }
            return b;
        }
    }

    /** The part of {@code a} inside {@code b}: a mountain's snow cap is the mountain above a line. */
    record Both(Region a, Region b) implements Region {
        public boolean contains(float x, float y) {
            return a.contains(x, y) && b.contains(x, y);
        }

        public float[] bounds() {
            float[] p = a.bounds();
            float[] q = b.bounds();
            return new float[] {Math.max(p[0], q[0]), Math.max(p[1], q[1]), Math.min(p[2], q[2]), Math.min(p[3], q[3])};
        }
    }
}
