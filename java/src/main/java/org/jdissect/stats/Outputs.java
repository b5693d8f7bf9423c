package org.jdissect.stats;

/**
 * A classifier's outputs (logits) read as a decision: the winning output and the softmax probabilities, for every
 * experiment that reads them (explain, attack).
 */
public final class Outputs {
    private Outputs() {
    }

    /** The index of the largest value, the first one where several are equal. */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** {@link #argmax(float[])} of doubles. */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The largest value but the one at {@code except} (negative infinity when there is no other); a NaN is passed
     * over, as {@link #argmax(float[])} passes it over.
     */
    public static double largestOther(float[] v, int except) {
        float other = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < v.length; k++) {
            if (k != except && v[k] > other) {
                other = v[k];
            }
        }
        return other;
    }

    /** {@code log(sum(exp(v)))}, computed from the largest value so that no term overflows. */
    public static double logSumExp(float[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }

    /** The softmax of the logits, in double precision: {@code exp(v - max) / sum}. */
    public static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
