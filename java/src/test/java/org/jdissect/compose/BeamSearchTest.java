package org.jdissect.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.roaringbitmap.RoaringBitmap;

import org.jdissect.data.ImageLabels;
import org.jdissect.io.Progress;
import org.jdissect.stats.LabelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The search against dense masks and the obvious loops, written from the definitions. */
class BeamSearchTest {
    static final int IMAGES = 12;
    static final int SIDE = 9;
    static final int LABELS = 8; // 0 is "no label"

    /** Random images: two label layers of blobs and noise, and now and then an image-level label. */
    static List<ImageLabels> world(long seed) {
        Random rnd = new Random(seed);
        List<ImageLabels> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            int[][] layers = new int[2][SIDE * SIDE];
            for (int[] layer : layers) {
                int blob = 1 + rnd.nextInt(LABELS - 2);
                for (int p = 0; p < layer.length; p++) {
                    int r = rnd.nextInt(10);
                    layer[p] = r < 4 ? blob : r < 6 ? 1 + rnd.nextInt(LABELS - 2) : 0;
                }
            }
            int[] imageLevel = rnd.nextInt(3) == 0 ? new int[] {LABELS - 1} : new int[0];
            images.add(new ImageLabels(SIDE, SIDE, layers, imageLevel));
        }
        return images;
    }

    static LabelSource source(List<ImageLabels> images) {
        return new LabelSource() {
            public int numLabels() {
                return LABELS;
            }

            public int numCategories() {
                return 1;
            }

            public int[] primaryCategory() {
                return new int[LABELS];
            }

            public ImageLabels labels(int image) {
                return images.get(image);
            }
        };
    }

    /** Dense concept masks over the images laid end to end, from the definition. */
    static boolean[][] dense(List<ImageLabels> images) {
        boolean[][] m = new boolean[LABELS][IMAGES * SIDE * SIDE];
        for (int i = 0; i < IMAGES; i++) {
            ImageLabels il = images.get(i);
            for (int p = 0; p < SIDE * SIDE; p++) {
                for (int[] layer : il.layers()) {
                    m[layer[p]][i * SIDE * SIDE + p] = true;
                }
                for (int l : il.imageLevel()) {
                    m[l][i * SIDE * SIDE + p] = true;
                }
            }
        }
        return m;
    }

    static boolean[] evaluate(Formula f, boolean[][] concepts) {
        boolean[] v = concepts[f.first()].clone();
        for (Formula.Term t : f.terms()) {
            boolean[] c = concepts[t.label()];
            for (int p = 0; p < v.length; p++) {
                v[p] = switch (t.op()) {
                    case AND -> v[p] && c[p];
                    case OR -> v[p] || c[p];
                    case AND_NOT -> v[p] && !c[p];
                };
            }
        }
        return v;
    }

    static double iou(boolean[] a, boolean[] b) {
        long inter = 0;
        long union = 0;
        for (int p = 0; p < a.length; p++) {
            inter += a[p] && b[p] ? 1 : 0;
            union += a[p] || b[p] ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }

    static RoaringBitmap bitmap(boolean[] v) {
        RoaringBitmap b = new RoaringBitmap();
        for (int p = 0; p < v.length; p++) {
            if (v[p]) {
                b.add(p);
            }
        }
        return b;
    }

    static int[] candidates() {
        int[] c = new int[LABELS - 1];
        for (int l = 1; l < LABELS; l++) {
            c[l - 1] = l;
        }
        return c;
    }

    @Test
    void conceptMasksAreTheLabelsPixelsInAnyLayerOrTheWholeImage() {
        List<ImageLabels> images = world(3);
        PixelMasks masks = PixelMasks.read(source(images), IMAGES, l -> true, Progress.NONE);
        boolean[][] want = dense(images);
        for (int l = 1; l < LABELS; l++) {
            assertThat(masks.label(l)).as("label %d", l).isEqualTo(bitmap(want[l]));
        }
        assertThat(masks.pixels()).isEqualTo((long) IMAGES * SIDE * SIDE);
        assertThat(masks.offset(5)).isEqualTo(5 * SIDE * SIDE);
        assertThat(PixelMasks.read(source(images), IMAGES, l -> l == 2, Progress.NONE).label(3).isEmpty()).isTrue();
    }

    /** With a beam as wide as the concepts, step 2 sees every formula of length 2: the beam's answer is the optimum. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aFullBeamFindsTheBestFormulaOfLengthTwoAsBruteForceDoes(long seed) {
        List<ImageLabels> images = world(seed);
        boolean[][] concepts = dense(images);
        PixelMasks masks = PixelMasks.read(source(images), IMAGES, l -> true, Progress.NONE);
        BeamSearch search = new BeamSearch(masks, candidates());
        Random rnd = new Random(seed * 7);
        for (int trial = 0; trial < 6; trial++) {
            boolean[] unit = new boolean[IMAGES * SIDE * SIDE];
            // a unit that half follows a concept, with noise: formulas beat single concepts now and then
            int a = 1 + rnd.nextInt(LABELS - 1);
            for (int p = 0; p < unit.length; p++) {
                unit[p] = concepts[a][p] ? rnd.nextInt(4) > 0 : rnd.nextInt(9) == 0;
            }
            // brute force: every concept, then every concept op concept, ordered as the search orders ties
            List<BeamSearch.Scored> all = new ArrayList<>();
            for (int x = 1; x < LABELS; x++) {
                all.add(scored(Formula.of(x), unit, concepts));
                for (int y = 1; y < LABELS; y++) {
                    if (y != x) {
                        for (Formula.Op op : Formula.Op.values()) {
                            all.add(scored(Formula.of(x).then(op, y), unit, concepts));
                        }
                    }
                }
            }
            all.sort(BeamSearch.ORDER);
            BeamSearch.Result r = search.search(bitmap(unit), 2, LABELS);
            assertThat(r.best().formula()).as("seed %d trial %d", seed, trial).isEqualTo(all.get(0).formula());
            assertThat(r.best().iou()).isEqualTo(all.get(0).iou());
            assertThat(r.best().intersection()).isEqualTo(all.get(0).intersection());
            assertThat(r.best().formulaPixels()).isEqualTo(all.get(0).formulaPixels());
            // and the counts of a length-3 search's answer are those of its formula, evaluated densely
            BeamSearch.Result r3 = search.search(bitmap(unit), 3, 3);
            assertThat(r3.best().iou()).isEqualTo(iou(unit, evaluate(r3.best().formula(), concepts)))
                    .isGreaterThanOrEqualTo(r3.single().iou());
            assertThat(search.build(r3.best().formula())).isEqualTo(bitmap(evaluate(r3.best().formula(), concepts)));
        }
    }

    private static BeamSearch.Scored scored(Formula f, boolean[] unit, boolean[][] concepts) {
        boolean[] v = evaluate(f, concepts);
        long inter = 0;
        long size = 0;
        for (int p = 0; p < v.length; p++) {
            inter += v[p] && unit[p] ? 1 : 0;
            size += v[p] ? 1 : 0;
        }
        return new BeamSearch.Scored(f, size, inter, iou(unit, v));
    }

    @Test
    void aUnitPlantedAsAFormulaIsRecoveredExactly() {
        List<ImageLabels> images = world(11);
        boolean[][] concepts = dense(images);
        PixelMasks masks = PixelMasks.read(source(images), IMAGES, l -> true, Progress.NONE);
        BeamSearch search = new BeamSearch(masks, candidates());
        for (Formula planted : List.of(Formula.of(2).then(Formula.Op.OR, 3).then(Formula.Op.AND_NOT, 4),
                Formula.of(1).then(Formula.Op.AND, 5), Formula.of(6).then(Formula.Op.AND_NOT, 2))) {
            boolean[] unit = evaluate(planted, concepts);
            BeamSearch.Result r = search.search(bitmap(unit), 3, 5);
            assertThat(r.best().iou()).as(planted.text(Integer::toString)).isEqualTo(1.0);
            // the formula found is the planted one, or one with the same mask
            assertThat(evaluate(r.best().formula(), concepts)).isEqualTo(unit);
        }
    }

    @Test
    void formulasReadLeftToRightAndSymmetricPairsAreOneCandidate() {
        Formula f = Formula.of(7).then(Formula.Op.OR, 3).then(Formula.Op.AND_NOT, 5);
        assertThat(f.text(l -> "c" + l)).isEqualTo("((c3 OR c7) AND NOT c5)");
        assertThat(Formula.of(7).then(Formula.Op.AND_NOT, 3).text(l -> "c" + l)).isEqualTo("(c7 AND NOT c3)");
        assertThat(Formula.of(3).then(Formula.Op.OR, 7)).isEqualTo(Formula.of(7).then(Formula.Op.OR, 3));
        assertThat(Formula.of(2).compareTo(Formula.of(1).then(Formula.Op.AND, 2))).isNegative();
    }

    @Test
    void anEmptyUnitScoresZeroAndKeepsTheFirstConcept() {
        List<ImageLabels> images = world(5);
        PixelMasks masks = PixelMasks.read(source(images), IMAGES, l -> true, Progress.NONE);
        BeamSearch.Result r = new BeamSearch(masks, candidates()).search(new RoaringBitmap(), 3, 5);
        assertThat(r.best().iou()).isZero();
        assertThat(r.best().formula()).isEqualTo(Formula.of(1));
        assertThat(r.unitPixels()).isZero();
    }
}
