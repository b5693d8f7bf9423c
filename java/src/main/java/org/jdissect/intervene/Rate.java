package org.jdissect.intervene;

import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.apache.commons.math3.stat.interval.WilsonScoreInterval;

/**
 * A proportion with its confidence interval. {@link #wilson} is the Wilson score interval of {@code k / n};
 * {@link #balanced} is a balanced accuracy, the mean of two proportions, whose interval is the mean of their
 * Wilson intervals each taken at level {@code 1 - (1 - confidence) / 2}: when both cover their proportions (at
 * least {@code confidence} of the time, by Bonferroni) the mean interval covers the mean.
 *
 * @param value the estimate
 * @param lo    lower bound
 * @param hi    upper bound
 * @param k     successes ({@code -1} for a balanced accuracy, which is no single count)
 * @param n     trials (for a balanced accuracy, all images)
 */
public record Rate(double value, double lo, double hi, long k, long n) {

    public static Rate wilson(long k, long n, double confidence) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException(k + " successes in " + n + " trials");
        }
        if (n == 0) {
            return new Rate(Double.NaN, 0, 1, 0, 0);
        }
        ConfidenceInterval ci = new WilsonScoreInterval().createInterval((int) n, (int) k, confidence);
        // at k = 0 (k = n) the bound is exactly 0 (1); Commons Math's arithmetic leaves a rounding residue
        double lo = k == 0 ? 0 : Math.max(0, ci.getLowerBound());
        double hi = k == n ? 1 : Math.min(1, ci.getUpperBound());
        return new Rate((double) k / n, lo, hi, k, n);
    }

    /** Balanced accuracy {@code (recall + TNR) / 2} of a binary decision. */
    public static Rate balanced(long tp, long positives, long tn, long negatives, double confidence) {
        double each = 1 - (1 - confidence) / 2;
        Rate recall = wilson(tp, positives, each);
        Rate tnr = wilson(tn, negatives, each);
        if (positives == 0 || negatives == 0) {
            Rate only = positives == 0 ? tnr : recall;
            return new Rate(only.value, only.lo, only.hi, -1, positives + negatives);
        }
        return new Rate((recall.value + tnr.value) / 2, (recall.lo + tnr.lo) / 2, (recall.hi + tnr.hi) / 2, -1,
                positives + negatives);
    }

    /** Whether the two intervals are disjoint: only then is a difference called significant. */
    public boolean differsFrom(Rate other) {
        return hi < other.lo || other.hi < lo;
    }
}
