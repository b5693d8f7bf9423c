package org.jdissect.dissect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jdissect.stats.TallyCounts;

/**
 * IoU scores from tally counts, as NetDissect-Lite computes them: IoU[u][l] = I / (A[u][cat(l)] + L - I) with
 * cat(l) the label's primary category; per unit and category the label of highest IoU (ties to the smaller label
 * number, as argmax does, and label 0 when every IoU is 0); the unit's label is its best category's (ties to the later category, as NetDissect-Lite's
 * reversed argsort does).
 */
public final class Scoring {
    private Scoring() {
    }

    /** One category's best label for a unit, with the counts behind its IoU. */
    public record CategoryScore(int label, long truth, long activation, long intersect, double iou) {
    }

    /**
     * A unit's result.
     *
     * @param unit       0-based unit index (tally.csv prints it 1-based)
     * @param category   index of the best category
     * @param perCategory per category, the best label and its counts
     */
    public record UnitScore(int unit, int category, List<CategoryScore> perCategory) {
        public CategoryScore best() {
            return perCategory.get(category);
        }

        public double iou() {
            return best().iou();
        }

        public int label() {
            return best().label();
        }
    }

    /**
     * NetDissect-Lite adds 1e-10 to the denominator; so does jdissect, so that scores agree to the last digit
     * (and an empty union scores 0).
     */
    public static double iou(long intersect, long activation, long truth) {
        return intersect / ((double) activation + truth - intersect + 1e-10);
    }

    public static List<UnitScore> score(TallyCounts counts, int[] primaryCategory) {
        int nc = counts.numCategories();
        int nl = counts.numLabels();
        List<UnitScore> out = new ArrayList<>(counts.units());
        for (int u = 0; u < counts.units(); u++) {
            int[] bestLabel = new int[nc];
            double[] bestIou = new double[nc];
            java.util.Arrays.fill(bestLabel, -1);
            for (int l = 1; l < nl; l++) {
                int c = primaryCategory[l];
                if (c < 0) {
                    continue;
                }
                double iou = iou(counts.intersection(u, l), counts.activation(u, c), counts.labelPixels()[l]);
                if (bestLabel[c] < 0 || iou > bestIou[c]) {
                    bestLabel[c] = l;
                    bestIou[c] = iou;
                }
            }
            List<CategoryScore> per = new ArrayList<>(nc);
            int bestCat = 0;
            for (int c = 0; c < nc; c++) {
                int l = bestLabel[c];
                if (l < 0 || bestIou[c] == 0.0) {
                    // NetDissect-Lite's argmax over all zeros gives label 0, "-", whose primary category is the
                    // last one (no coverage anywhere, ties to the later category): its activation is reported
                    per.add(new CategoryScore(0, 0, counts.activation(u, nc - 1), 0, 0.0));
                } else {
                    per.add(new CategoryScore(l, counts.labelPixels()[l], counts.activation(u, c),
                            counts.intersection(u, l), bestIou[c]));
                }
                if (per.get(c).iou() >= per.get(bestCat).iou()) {
                    bestCat = c;
                }
            }
            out.add(new UnitScore(u, bestCat, List.copyOf(per)));
        }
        return out;
    }

    /** tally.csv's row order: score descending; equal scores with the larger unit first, as NetDissect-Lite's. */
    public static List<UnitScore> ranked(List<UnitScore> scores) {
        List<UnitScore> sorted = new ArrayList<>(scores);
        sorted.sort(Comparator.comparingDouble(UnitScore::iou).thenComparingInt(UnitScore::unit).reversed());
        return sorted;
    }
}
