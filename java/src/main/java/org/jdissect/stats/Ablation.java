package org.jdissect.stats;

/** The intervention arithmetic, defined once: {@code x * (1 - a) + r * a} as {@code fma(a, r - x, x)} in fp32. */
public final class Ablation {
    private Ablation() {
    }

    public static float apply(float x, float alpha, float replacement) {
        return Math.fma(alpha, replacement - x, x);
    }

    /** Checks the shapes of an ablation call; every backend calls it first. */
    public static void check(float[] x, int images, int units, int hw, float[] alpha, float[] replacement) {
        if ((long) images * units * hw != x.length) {
            throw new IllegalArgumentException(x.length + " activations for " + images + " x " + units + " x " + hw);
        }
        if (alpha.length != units && alpha.length != units * hw) {
            throw new IllegalArgumentException("alpha needs " + units + " (per unit) or " + units * hw
                    + " (per unit and location) values, got " + alpha.length);
        }
        if (replacement.length != units) {
            throw new IllegalArgumentException("replacement needs " + units + " values, got " + replacement.length);
        }
    }
}
