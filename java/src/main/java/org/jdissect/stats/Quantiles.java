package org.jdissect.stats;

/**
 * The exact top-q threshold of a unit: with the unit's n values sorted ascending v[0..n-1] and
 * h = (n - 1)(1 - q), T = v[floor(h)] + (h - floor(h)) (v[floor(h) + 1] - v[floor(h)]), numpy's default
 * (linear) percentile, computed in double and rounded once to float.
 */
public final class Quantiles {
    private Quantiles() {
    }

    /** The 0-based rank of the lower order statistic, floor((n - 1)(1 - q)). */
    public static long lowerRank(long n, double quantile) {
        return (long) Math.floor(position(n, quantile));
    }

    public static double position(long n, double quantile) {
        if (n <= 0) {
            throw new IllegalArgumentException("no values");
        }
        return (n - 1) * (1.0 - quantile);
    }

    /** Combines the order statistics at ranks floor(h) and floor(h) + 1 (the latter unused when h is whole). */
    public static float interpolate(long n, double quantile, float lower, float upper) {
        double h = position(n, quantile);
        double frac = h - Math.floor(h);
        if (frac == 0.0) {
            return lower;
        }
        return (float) (lower + frac * ((double) upper - (double) lower));
    }

    public static void checkQuantile(double quantile) {
        if (!(quantile > 0.0 && quantile < 1.0)) {
            throw new IllegalArgumentException("quantile must be in (0, 1), got " + quantile);
        }
    }
}
