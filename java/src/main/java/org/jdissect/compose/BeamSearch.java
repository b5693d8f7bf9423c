package org.jdissect.compose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 */
public final class BeamSearch {
    private final PixelMasks concepts;
    private final int[] candidates;

    /**
     * @param concepts   the concepts' masks
     * @param candidates the label numbers a formula may use (concepts with at least one pixel)
     */
    public BeamSearch(PixelMasks concepts, int[] candidates) {
        this.concepts = concepts;
        this.candidates = candidates.clone();
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

    /** A formula of the beam, with its mask and the unit's mask within it. */
    private record Member(Scored scored, RoaringBitmap mask, RoaringBitmap withUnit) {
    }

    public Result search(RoaringBitmap unit, int length, int beam) {
        if (length < 1 || beam < 1) {
            throw new IllegalArgumentException("length and beam must be >= 1");
        }
        long m = unit.getLongCardinality();
        long[] withConcept = new long[concepts.numLabels()];
        List<Scored> singles = new ArrayList<>(candidates.length);
        for (int c : candidates) {
            RoaringBitmap cm = concepts.label(c);
            long inter = RoaringBitmap.andCardinality(unit, cm);
            withConcept[c] = inter;
            long size = cm.getLongCardinality();
            singles.add(new Scored(Formula.of(c), size, inter, iou(inter, m, size)));
        }
        singles.sort(ORDER);
        if (singles.isEmpty()) {
            return new Result(null, null, m);
        }
        List<Member> members = new ArrayList<>();
        for (Scored s : singles.subList(0, Math.min(beam, singles.size()))) {
            RoaringBitmap mask = concepts.label(s.formula().first());
            members.add(new Member(s, mask, RoaringBitmap.and(unit, mask)));
        }
        for (int step = 2; step <= length; step++) {
            List<Scored> pool = new ArrayList<>();
            Set<Formula> seen = new HashSet<>();
            for (Member b : members) {
                pool.add(b.scored());
                seen.add(b.scored().formula());
            }
            for (Member b : members) {
                Scored f = b.scored();
                for (int c : candidates) {
                    if (f.formula().uses(c)) {
                        continue;
                    }
                    RoaringBitmap cm = concepts.label(c);
                    long fc = RoaringBitmap.andCardinality(b.mask(), cm);
                    long mfc = RoaringBitmap.andCardinality(b.withUnit(), cm);
                    long size = cm.getLongCardinality();
                    add(pool, seen, f.formula().then(Formula.Op.AND, c), fc, mfc, m);
                    add(pool, seen, f.formula().then(Formula.Op.OR, c), f.formulaPixels() + size - fc,
                            f.intersection() + withConcept[c] - mfc, m);
                    add(pool, seen, f.formula().then(Formula.Op.AND_NOT, c), f.formulaPixels() - fc,
                            f.intersection() - mfc, m);
                }
            }
            pool.sort(ORDER);
            List<Member> next = new ArrayList<>();
            for (Scored s : pool.subList(0, Math.min(beam, pool.size()))) {
                Member kept = members.stream().filter(b -> b.scored().formula().equals(s.formula())).findFirst()
                        .orElse(null);
                if (kept == null) {
                    RoaringBitmap mask = build(s.formula());
                    kept = new Member(s, mask, RoaringBitmap.and(unit, mask));
                }
                next.add(kept);
            }
            members = next;
        }
        return new Result(members.get(0).scored(), singles.get(0), m);
    }

    private static void add(List<Scored> pool, Set<Formula> seen, Formula f, long size, long inter, long unit) {
        if (seen.add(f)) {
            pool.add(new Scored(f, size, inter, iou(inter, unit, size)));
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
