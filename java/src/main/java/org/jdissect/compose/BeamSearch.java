package org.jdissect.compose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.roaringbitmap.RoaringBitmap;

/**
 * The beam search of compositional explanations for one unit, exact: every candidate's IoU comes from cardinalities,
 * computed without building its mask, and only the beam's formulas are built.
 *
 * <p>With M the unit's mask, F a formula of the beam and C a concept, and |X| a count of pixels, the search keeps
 * |F| and |M AND F| for every formula of the beam and counts |F AND C| and |(M AND F) AND C| for each concept; then
 * <pre>
 *   F AND C:      |F'| = |F AND C|                 |M AND F'| = |M AND F AND C|
 *   F OR C:       |F'| = |F| + |C| - |F AND C|     |M AND F'| = |M AND F| + |M AND C| - |M AND F AND C|
 *   F AND NOT C:  |F'| = |F| - |F AND C|           |M AND F'| = |M AND F| - |M AND F AND C|
 *   IoU(M, F') = |M AND F'| / (|M| + |F'| - |M AND F'|)
 * </pre>
 * Start: the {@code beam} best single concepts. Each step extends every formula of the beam by every operator and
 * every concept it does not hold yet, and keeps the {@code beam} best of the beam and the candidates, so formulas of
 * every length up to {@code length} compete. Ties of IoU go to {@link Formula#compareTo}: the shorter formula, then
 * the lower label numbers. Integers throughout: no tolerance anywhere.
 *
 * <p>|F AND C| depends on the formula, not on the unit: it is counted once per formula for every concept and kept
 * ({@link #overlaps}), so the formulas many units share (a popular concept, a common pair) cost once. |M AND F| is
 * carried from step to step as M AND F, built from the parent's (M AND (F OR C) = (M AND F) OR (M AND C), and so
 * on), small where the unit's mask is small.
 *
 * <p>A candidate is counted only when an upper bound of its IoU, from the counts already known (|M|, |M AND F|,
 * |F|, |M AND C|, |C|), reaches the beam's current cut-off; the bound is never below the IoU, so the beam is the one
 * an exhaustive step would keep.
 */
public final class BeamSearch {
    private final PixelMasks concepts;
    private final int[] candidates;
    private final long[] conceptSize;
    /** Per formula met in any unit's beam, |F AND C| for each candidate concept, in the order of the candidates. */
    private final Map<Formula, long[]> overlaps = new ConcurrentHashMap<>();

    /**
     * @param concepts   the concepts' masks
     * @param candidates the label numbers a formula may use (concepts with at least one pixel)
     */
    public BeamSearch(PixelMasks concepts, int[] candidates) {
        this.concepts = concepts;
        this.candidates = candidates.clone();
        this.conceptSize = new long[concepts.numLabels()];
        for (int c : candidates) {
            conceptSize[c] = concepts.label(c).getLongCardinality();
        }
    }

    /** A formula with the counts behind its IoU. */
    public record Scored(Formula formula, long formulaPixels, long intersection, double iou) {
    }

    /** A unit's best formula, its best single concept, and the size of its mask. */
    public record Result(Scored best, Scored single, long unitPixels) {
    }

    static final Comparator<Scored> ORDER = Comparator.comparingDouble((Scored s) -> -s.iou())
            .thenComparing(Scored::formula);

    static double iou(long intersection, long unit, long formula) {
        long union = unit + formula - intersection;
        return union == 0 ? 0.0 : (double) intersection / union;
    }

    /** A formula of the beam with the unit's mask within it (M AND F). */
    private record Member(Scored scored, RoaringBitmap withUnit) {
    }

    /** A candidate: its score, and how to build its M AND F' from its parent's if it is kept. */
    private record Candidate(Scored scored, Member parent, Formula.Op op, int concept) {
    }

    public Result search(RoaringBitmap unit, int length, int beam) {
        if (length < 1 || beam < 1) {
            throw new IllegalArgumentException("length and beam must be >= 1");
        }
        long m = unit.getLongCardinality();
        long[] withConcept = new long[concepts.numLabels()];
        List<Scored> singles = new ArrayList<>(candidates.length);
        for (int c : candidates) {
            long inter = RoaringBitmap.andCardinality(unit, concepts.label(c));
            withConcept[c] = inter;
            singles.add(new Scored(Formula.of(c), conceptSize[c], inter, iou(inter, m, conceptSize[c])));
        }
        singles.sort(ORDER);
        if (singles.isEmpty()) {
            return new Result(null, null, m);
        }
        List<Member> members = new ArrayList<>();
        for (Scored s : singles.subList(0, Math.min(beam, singles.size()))) {
            members.add(new Member(s, RoaringBitmap.and(unit, concepts.label(s.formula().first()))));
        }
        for (int step = 2; step <= length; step++) {
            List<Candidate> pool = new ArrayList<>();
            Set<Formula> seen = new HashSet<>();
            Cutoff cutoff = new Cutoff(beam);
            for (Member b : members) {
                pool.add(new Candidate(b.scored(), null, null, 0));
                seen.add(b.scored().formula());
                cutoff.offer(b.scored().iou());
            }
            for (Member b : members) {
                Scored f = b.scored();
                long mf = f.intersection();
                long fOut = f.formulaPixels() - mf; // |F \ M|
                long[] fcs = null;
                for (int j = 0; j < candidates.length; j++) {
                    int c = candidates[j];
                    if (f.formula().uses(c)) {
                        continue;
                    }
                    long size = conceptSize[c];
                    long mc = withConcept[c];
                    long cOut = size - mc; // |C \ M|
                    // Upper bounds of the three candidates' IoUs from what is known without counting: I / (|M| +
                    // |F' \ M|) with I at its largest and |F' \ M| at its smallest. A candidate whose bound is below
                    // the beam's current cut-off cannot enter the beam, so skipping it changes nothing.
                    double and = bound(Math.min(mf, mc), 0, m);
                    double or = bound(Math.min(m, mf + mc), Math.max(fOut, cOut), m);
                    double andNot = bound(mf, Math.max(0, fOut - cOut), m);
                    double cut = cutoff.value();
                    if (and < cut && or < cut && andNot < cut) {
                        continue;
                    }
                    if (fcs == null) {
                        fcs = overlaps(f.formula());
                    }
                    long fc = fcs[j];
                    long mfc = RoaringBitmap.andCardinality(b.withUnit(), concepts.label(c));
                    add(pool, seen, cutoff, b, Formula.Op.AND, c, fc, mfc, m);
                    add(pool, seen, cutoff, b, Formula.Op.OR, c, f.formulaPixels() + size - fc, mf + mc - mfc, m);
                    add(pool, seen, cutoff, b, Formula.Op.AND_NOT, c, f.formulaPixels() - fc, mf - mfc, m);
                }
            }
            pool.sort(Comparator.comparing(Candidate::scored, ORDER));
            List<Member> next = new ArrayList<>();
            for (Candidate k : pool.subList(0, Math.min(beam, pool.size()))) {
                if (k.parent() == null) {
                    next.add(members.stream().filter(b -> b.scored() == k.scored()).findFirst().orElseThrow());
                    continue;
                }
                RoaringBitmap parent = k.parent().withUnit();
                RoaringBitmap c = concepts.label(k.concept());
                RoaringBitmap within = switch (k.op()) {
                    case AND -> RoaringBitmap.and(parent, c);
                    case OR -> RoaringBitmap.or(parent, RoaringBitmap.and(unit, c));
                    case AND_NOT -> RoaringBitmap.andNot(parent, c);
                };
                next.add(new Member(k.scored(), within));
            }
            members = next;
        }
        return new Result(members.get(0).scored(), singles.get(0), m);
    }

    private static void add(List<Candidate> pool, Set<Formula> seen, Cutoff cutoff, Member parent, Formula.Op op,
                            int concept, long size, long inter, long unit) {
        Formula f = parent.scored().formula().then(op, concept);
        if (seen.add(f)) {
            Scored s = new Scored(f, size, inter, iou(inter, unit, size));
            pool.add(new Candidate(s, parent, op, concept));
            cutoff.offer(s.iou());
        }
    }

    /** |F AND C| for every candidate concept C, counted once per formula and kept for every unit. */
    long[] overlaps(Formula f) {
        return overlaps.computeIfAbsent(f, key -> {
            RoaringBitmap mask = build(key);
            long[] out = new long[candidates.length];
            for (int j = 0; j < candidates.length; j++) {
                out[j] = RoaringBitmap.andCardinality(mask, concepts.label(candidates[j]));
            }
            return out;
        });
    }

    /** An IoU no candidate with at most {@code inter} shared pixels and at least {@code outside} others exceeds. */
    private static double bound(long inter, long outside, long unit) {
        long denominator = unit + outside;
        return denominator == 0 ? 0.0 : (double) inter / denominator;
    }

    /**
     * The {@code k}-th best IoU offered so far (0 until k were offered): a candidate strictly below it cannot be among
     * the k best, whatever the ties. A min-heap of the k best.
     */
    private static final class Cutoff {
        private final java.util.PriorityQueue<Double> best = new java.util.PriorityQueue<>();
        private final int k;

        Cutoff(int k) {
            this.k = k;
        }

        void offer(double iou) {
            if (best.size() < k) {
                best.add(iou);
            } else if (iou > best.peek()) {
                best.poll();
                best.add(iou);
            }
        }

        double value() {
            return best.size() < k ? 0.0 : best.peek();
        }
    }


    /** The formula's mask, built step by step. */
    public RoaringBitmap build(Formula f) {
        RoaringBitmap mask = concepts.label(f.first()).clone();
        for (Formula.Term t : f.terms()) {
            RoaringBitmap c = concepts.label(t.label());
            switch (t.op()) {
                case AND -> mask.and(c);
                case OR -> mask.or(c);
                case AND_NOT -> mask.andNot(c);
            }
        }
        return mask;
    }
}
