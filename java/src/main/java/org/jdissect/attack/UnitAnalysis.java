package org.jdissect.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

import org.jdissect.attack.AttackRecord.Groups;
import org.jdissect.attack.AttackRecord.Test;
import org.jdissect.attack.AttackRecord.UnitChange;

/**
 * What the successful attacks did to the layer's units: per unit, the change of its map's mean and maximum,
 * adversarial minus clean; and the paired comparison of the source class's top units, the reached class's top units
 * and all the others.
 *
 * <p>Changes are in the units' own activation values, not normalised: a layer's units share a scale after their
 * normalisation and non-linearity, and a normalisation by a unit's spread over 50 images of one class would be
 * dominated by units that barely vary on that class.
 */
final class UnitAnalysis {
    private UnitAnalysis() {
    }

    /** A unit's concept from a dissection. */
    record Concept(String label, String category, double iou) {
    }

    /**
     * @param clean     per attack (successful or not) and unit, the mean of the unit's map on the clean image
     * @param adv       the same on the adversarial image
     * @param cleanMax  per attack and unit, the map's maximum on the clean image
     * @param advMax    the same on the adversarial image
     * @param succeeded which attacks count
     * @param reached   per attack, the class the adversarial image is classified as (-1 when no class)
     * @param source    the source class
     * @param top       a class's top units, best first (0-based), or null when it has no ranking
     * @param concepts  per unit, its concept, or null without a dissection
     */
    record Input(double[][] clean, double[][] adv, double[][] cleanMax, double[][] advMax, boolean[] succeeded,
                 int[] reached, int source, IntFunction<int[]> top, List<Concept> concepts) {
    }

    /** Per unit, its change, largest fall first (then largest rise last), ties by unit. */
    static List<UnitChange> units(Input in, int[] targetTop) {
        int units = in.clean()[0].length;
        int[] sourceTop = in.top().apply(in.source());
        List<UnitChange> out = new ArrayList<>();
        int n = count(in.succeeded());
        for (int u = 0; u < units; u++) {
            double c = 0;
            double a = 0;
            double m = 0;
            int rose = 0;
            int fell = 0;
            for (int i = 0; i < in.succeeded().length; i++) {
                if (!in.succeeded()[i]) {
                    continue;
                }
                c += in.clean()[i][u];
                a += in.adv()[i][u];
                m += in.advMax()[i][u] - in.cleanMax()[i][u];
                double d = in.adv()[i][u] - in.clean()[i][u];
                rose += d > 0 ? 1 : 0;
                fell += d < 0 ? 1 : 0;
            }
            double div = Math.max(1, n);
            Concept k = in.concepts() == null ? null : in.concepts().get(u);
            out.add(new UnitChange(u + 1, k == null ? null : k.label(), k == null ? null : k.category(),
                    k == null ? null : k.iou(), n == 0 ? Double.NaN : c / div, n == 0 ? Double.NaN : a / div,
                    n == 0 ? Double.NaN : (a - c) / div, n == 0 ? Double.NaN : m / div, rose, fell,
                    rank(sourceTop, u), rank(targetTop, u)));
        }
        out.sort(Comparator.comparingDouble((UnitChange x) -> Double.isNaN(x.change()) ? 0 : x.change())
                .thenComparingInt(UnitChange::unit));
        return out;
    }

    private static Integer rank(int[] order, int u) {
        if (order == null) {
            return null;
        }
        for (int k = 0; k < order.length; k++) {
            if (order[k] == u) {
                return k + 1;
            }
        }
        return null;
    }

    /**
     * Per successful attack: the mean change over the source's top {@code n} units, over the top {@code n} units of
     * the class it reached, and over every unit in neither; then the paired tests of source against rest and target
     * against rest.
     */
    static Groups groups(Input in, int n) {
        int units = in.clean()[0].length;
        int[] sourceTop = head(in.top().apply(in.source()), n);
        List<double[]> rows = new ArrayList<>(); // source, target, rest per attack
        List<Integer> commonTarget = null;
        boolean sameTarget = true;
        for (int i = 0; i < in.succeeded().length; i++) {
            if (!in.succeeded()[i] || in.reached()[i] < 0) {
                continue;
            }
            int[] targetTop = head(in.top().apply(in.reached()[i]), n);
            if (targetTop == null) {
                continue;
            }
            List<Integer> t = Arrays.stream(targetTop).map(u -> u + 1).boxed().toList();
            if (commonTarget == null) {
                commonTarget = t;
            } else if (!commonTarget.equals(t)) {
                sameTarget = false;
            }
            boolean[] inGroup = new boolean[units];
            double s = 0;
            double g = 0;
            for (int u : sourceTop) {
                s += in.adv()[i][u] - in.clean()[i][u];
                inGroup[u] = true;
            }
            for (int u : targetTop) {
                g += in.adv()[i][u] - in.clean()[i][u];
                inGroup[u] = true;
            }
            double r = 0;
            int rest = 0;
            for (int u = 0; u < units; u++) {
                if (!inGroup[u]) {
                    r += in.adv()[i][u] - in.clean()[i][u];
                    rest++;
                }
            }
            rows.add(new double[] {s / sourceTop.length, g / targetTop.length, rest == 0 ? Double.NaN : r / rest});
        }
        double[] s = column(rows, 0);
        double[] t = column(rows, 1);
        double[] r = column(rows, 2);
        return new Groups(rows.size(), Arrays.stream(sourceTop).map(u -> u + 1).boxed().toList(),
                sameTarget ? commonTarget : null, mean(s), mean(t), mean(r), test(s, r), test(t, r));
    }

    private static int[] head(int[] order, int n) {
        return order == null ? null : Arrays.copyOf(order, Math.min(n, order.length));
    }

    private static double[] column(List<double[]> rows, int k) {
        return rows.stream().mapToDouble(row -> row[k]).toArray();
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The paired tests of {@code a} against {@code b}, two-sided. */
    static Test test(double[] a, double[] b) {
        double[] d = IntStream.range(0, a.length).mapToDouble(i -> a[i] - b[i]).toArray();
        if (d.length < 2 || Arrays.stream(d).anyMatch(Double::isNaN)) {
            return new Test(mean(d), Double.NaN, Double.NaN, Double.NaN);
        }
        boolean constant = Arrays.stream(d).allMatch(x -> x == d[0]);
        double t = constant ? Double.NaN : new TTest().pairedT(a, b);
        double pt = constant ? Double.NaN : new TTest().pairedTTest(a, b);
        boolean allZero = Arrays.stream(d).allMatch(x -> x == 0);
        // Commons Math computes the exact distribution up to 30 pairs, the normal approximation beyond
        double pw = allZero ? 1.0 : new WilcoxonSignedRankTest().wilcoxonSignedRankTest(a, b, d.length <= 30);
        return new Test(mean(d), t, pt, pw);
    }

    static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
