package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageLabels;
import org.jdissect.demo.ColourWorld;
import org.jdissect.io.Progress;
import org.jdissect.world.SceneWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The label runs the inference pass keeps give the tally what reading the dataset again gives: the same layers in
 * the same order, bit for bit, whatever the label numbers (varints of one to five bytes) and the maps' shapes; a full
 * budget keeps the first rows only, and the others are read from the dataset.
 */
class LabelRunsTest {
    @TempDir
    Path tmp;

    @Test
    void runsGiveBackEveryMapExactly() {
        Random rnd = new Random(3);
        int rows = 40;
        LabelRuns runs = new LabelRuns(rows, Long.MAX_VALUE);
        int[][][] maps = new int[rows][][];
        for (int row = 0; row < rows; row++) {
            int sh = 1 + rnd.nextInt(9);
            int sw = 1 + rnd.nextInt(9);
            maps[row] = new int[rnd.nextInt(4)][];
            LabelRuns.Recorder r = runs.start(row);
            for (int l = 0; l < maps[row].length; l++) {
                int[] map = new int[sh * sw];
                int label = 0;
                for (int p = 0; p < map.length; p++) {
                    if (rnd.nextInt(4) == 0) { // regions: runs of a few pixels
                        int[] sizes = {1 << 7, 1 << 14, 1 << 21, 1 << 28, Integer.MAX_VALUE};
                        label = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(sizes[rnd.nextInt(sizes.length)]);
                    }
                    map[p] = label;
                }
                // the recorder is shown the map's runs, some of them cut in two (runs need not be the longest)
                show(r, map, rnd);
                maps[row][l] = map;
            }
            r.keep();
            int[] imageLevel = {row, 7};
            ImageLabels back = runs.get(row, sh, sw, imageLevel, null);
            assertThat(back.sh()).isEqualTo(sh);
            assertThat(back.sw()).isEqualTo(sw);
            assertThat(back.layers()).as("row %d", row).isDeepEqualTo(maps[row]);
            assertThat(back.imageLevel()).containsExactly(row, 7);
        }
        assertThat(runs.bytes()).isPositive();
    }

    /**
     * Read into the arrays of labels read before (the tally's slots), a row is its own maps: each map goes into the
     * next earlier array of its size, whatever the number of maps, into a new array where none is left, and nothing
     * of the earlier row remains.
     */
    @Test
    void aRowReadIntoAnEarlierRowsArraysIsItsOwnMaps() {
        int[][][] maps = {
            {{1, 1, 2, 2}, {0, 0, 0, 3}},
            {{4, 4, 4, 4}, {5, 0, 5, 0}},
            {{8, 9, 8, 9}},
            {{6, 6, 6, 6, 6, 6}, {7, 7, 7, 7, 7, 7}},
            {{2, 2, 2, 2}, {3, 3, 3, 3}, {4, 4, 4, 4}},
        };
        int[][] shapes = {{2, 2}, {2, 2}, {2, 2}, {2, 3}, {2, 2}};
        LabelRuns runs = new LabelRuns(maps.length, Long.MAX_VALUE);
        for (int row = 0; row < maps.length; row++) {
            LabelRuns.Recorder r = runs.start(row);
            for (int[] map : maps[row]) {
                show(r, map, null);
            }
            r.keep();
        }
        // which earlier array each map goes into (-1: a new one)
        int[][] into = {null, {0, 1}, {0}, {-1, -1}, {-1, -1, -1}};
        ImageLabels slot = runs.get(0, 2, 2, new int[0], null);
        for (int row = 1; row < maps.length; row++) {
            int[][] arrays = slot.layers().clone();
            slot = runs.get(row, shapes[row][0], shapes[row][1], new int[] {row}, slot);
            assertThat(slot.layers()).as("row %d", row).isDeepEqualTo(maps[row]);
            assertThat(slot.imageLevel()).containsExactly(row);
            for (int l = 0; l < slot.layers().length; l++) {
                for (int k = 0; k < arrays.length; k++) {
                    assertThat(slot.layers()[l] == arrays[k]).as("row %d map %d in earlier array %d", row, l, k)
                            .isEqualTo(into[row][l] == k);
                }
            }
        }
    }

    @Test
    void aRowNotKeptOrBeyondTheBudgetIsNull() {
        LabelRuns runs = new LabelRuns(3, 12);
        LabelRuns.Recorder r = runs.start(0);
        show(r, new int[] {5, 5, 5, 6}, null); // 1 + (1 + 2 + 2) = 6 bytes
        r.keep();
        r = runs.start(1);
        show(r, new int[] {1, 2, 3, 4}, null); // 1 + (1 + 8) = 10 bytes: beyond 12 in all
        r.keep();
        r = runs.start(2);
        show(r, new int[] {9}, null); // shown, never kept (its check failed)
        assertThat(runs.get(0, 2, 2, new int[0], null).layers()[0]).containsExactly(5, 5, 5, 6);
        assertThat(runs.get(1, 2, 2, new int[0], null)).isNull();
        assertThat(runs.get(2, 1, 1, new int[0], null)).isNull();
        assertThat(runs.bytes()).isEqualTo(6);
        assertThat(runs.rows()).isEqualTo(1);
        r = runs.start(0); // checked again (a retried task): the new runs replace the old, counted once
        show(r, new int[] {5, 5, 6, 6}, null);
        r.keep();
        assertThat(runs.get(0, 2, 2, new int[0], null).layers()[0]).containsExactly(5, 5, 6, 6);
        assertThat(runs.bytes()).isEqualTo(6);
        assertThat(runs.rows()).isEqualTo(1);
    }

    /**
     * On real datasets (SceneWorld: six categories, two object maps for some images, a scene number per image; the
     * colour world: image-level scenes), the labels a dissection's tally reads (kept during the checks of the
     * inference pass, or, past a small budget, read again) equal the dataset's own, row by row.
     */
    @Test
    void keptLabelsEqualTheDatasetsOwn() {
        Path scenes = SceneWorld.write(tmp.resolve("scenes"), 24, 64, 5, 2, false, Progress.NONE);
        Path colours = ColourWorld.writeDataset(tmp.resolve("colours"), 12, 4);
        for (Path dir : List.of(scenes, colours)) {
            long all = 0;
            for (int pass = 0; pass < 2; pass++) {
                long budget = pass == 0 ? Long.MAX_VALUE : all / 2; // every row, then about half of them
                BrodenDataset ds = BrodenDataset.open(dir, List.of(), false);
                LabelRuns runs = new LabelRuns(ds.size(), budget);
                for (int row = ds.size() - 1; row >= 0; row--) { // any order: rows are recorded by several threads
                    LabelRuns.Recorder r = runs.start(row);
                    ds.checkLabels(row, r);
                    r.keep();
                }
                List<Integer> rows = java.util.stream.IntStream.range(0, ds.size()).boxed().toList();
                DatasetLabels kept = new DatasetLabels(ds, rows, runs);
                int fromRuns = 0;
                for (int i = 0; i < ds.size(); i++) {
                    ImageLabels expected = ds.readLabels(i);
                    ImageLabels got = kept.labels(i);
                    assertThat(got.sh()).isEqualTo(expected.sh());
                    assertThat(got.sw()).isEqualTo(expected.sw());
                    assertThat(got.layers()).as("%s row %d", dir, i).isDeepEqualTo(expected.layers());
                    assertThat(got.imageLevel()).containsExactly(expected.imageLevel());
                    fromRuns += runs.get(i, expected.sh(), expected.sw(), new int[0], null) != null ? 1 : 0;
                }
                if (pass == 0) {
                    assertThat(fromRuns).isEqualTo(ds.size());
                    all = runs.bytes();
                } else {
                    assertThat(fromRuns).as("a budget of %d bytes keeps some rows, not all", budget)
                            .isPositive().isLessThan(ds.size());
                }
            }
        }
    }

    /** Shows {@code map} to {@code r} as runs of equal labels, with {@code rnd} some of them cut in two. */
    static void show(LabelRuns.Recorder r, int[] map, Random rnd) {
        r.map(map.length);
        for (int p = 0; p < map.length; ) {
            int start = p;
            do {
                p++;
            } while (p < map.length && map[p] == map[start]);
            if (rnd != null && p - start > 1 && rnd.nextBoolean()) {
                int cut = start + 1 + rnd.nextInt(p - start - 1);
                r.run(map[start], cut - start);
                r.run(map[start], p - cut);
            } else {
                r.run(map[start], p - start);
            }
        }
    }
}
