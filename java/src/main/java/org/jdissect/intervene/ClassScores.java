package org.jdissect.intervene;

import java.util.ArrayList;
import java.util.List;

/**
 * What a set of predictions scores against the true classes: overall accuracy (top-1 over all images), and per
 * class its accuracy (recall: the share of the class's images predicted as the class) and its balanced accuracy
 * {@code (recall + TNR) / 2}, the class seen as a yes/no decision (TNR: the share of other images not predicted as
 * the class; chance is 0.5 whatever the class sizes). The overall balanced accuracy is the mean of the classes'.
 * Every figure carries its {@link Rate} interval.
 */
public record ClassScores(Rate accuracy, Rate balancedAccuracy, List<PerClass> classes) {

    public record PerClass(int images, Rate accuracy, Rate balancedAccuracy) {
    }

    /**
     * @param truth      per image, its class (index into the class list)
     * @param predicted  per image, the predicted class, or -1 for an output no class maps to
     * @param classCount number of classes
     */
    public static ClassScores of(int[] truth, int[] predicted, int classCount, double confidence) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels for " + predicted.length + " predictions");
        }
        long[] tp = new long[classCount];
        long[] positives = new long[classCount];
        long[] predictedAs = new long[classCount];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            positives[truth[i]]++;
            if (predicted[i] >= 0) {
                predictedAs[predicted[i]]++;
            }
            if (predicted[i] == truth[i]) {
                tp[truth[i]]++;
                correct++;
            }
        }
        long n = truth.length;
        List<PerClass> per = new ArrayList<>(classCount);
        double sum = 0;
        double lo = 0;
        double hi = 0;
        int counted = 0;
        for (int c = 0; c < classCount; c++) {
            long negatives = n - positives[c];
            long tn = negatives - (predictedAs[c] - tp[c]);
            Rate ba = Rate.balanced(tp[c], positives[c], tn, negatives, confidence);
            per.add(new PerClass((int) positives[c], Rate.wilson(tp[c], positives[c], confidence), ba));
            if (positives[c] > 0) {
                sum += ba.value();
                lo += ba.lo();
                hi += ba.hi();
                counted++;
            }
        }
        Rate meanBa = counted == 0 ? new Rate(Double.NaN, 0, 1, -1, n)
                : new Rate(sum / counted, lo / counted, hi / counted, -1, n);
        return new ClassScores(Rate.wilson(correct, n, confidence), meanBa, List.copyOf(per));
    }
}
