package org.jdissect.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.jdissect.stats.RadixSelection;
import org.jdissect.stats.TallyCounts;

/**
 * What the tasks of the job hand on: batches of activations (persisted for the passes) and the partial
 * statistics of a partition, each with the sum that merges two partitions' (used by treeReduce, so the driver
 * receives a bounded number of partials, not one per partition).
 */
final class Partials {
    private Partials() {
    }

    /**
     * One batch of candidates as the single-machine cache holds it: the source rows read, per cached layer their
     * values (in half precision, {@code halves}, or in single precision, {@code singles}; the other null) and
     * non-finite counts, the values that overflowed half precision, and why the batch's other candidates were skipped.
     */
    record Batch(int[] rows, List<short[]> halves, List<float[]> singles, List<long[]> nonFinite, long overflowed,
                 List<String> skipped) implements Serializable {
        /** The values of cached layer {@code l}: a {@code short[]} or a {@code float[]}. */
        Object values(int l) {
            return halves != null ? halves.get(l) : singles.get(l);
        }
    }

    /** What a partition read: its rows and skipped reasons, in candidate order. */
    record Meta(int[] rows, List<String> skipped) implements Serializable {
    }

    /** Pass 1's first digit of some images: per layer, the coarse counts and top images, the non-finite counts. */
    record Coarse(List<RadixSelection.Coarse> layers, List<long[]> nonFinite, long overflowed, int topk)
            implements Serializable {
        Coarse plus(Coarse other) {
            List<RadixSelection.Coarse> sum = new ArrayList<>();
            List<long[]> bad = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                sum.add(layers.get(l).plus(other.layers.get(l), topk));
                bad.add(RadixSelection.plus(nonFinite.get(l), other.nonFinite.get(l)));
            }
            return new Coarse(sum, bad, overflowed + other.overflowed, topk);
        }
    }

    /** One of pass 1's later digits of some images: per layer, the refined counts. */
    record Fine(List<long[]> layers) implements Serializable {
        Fine plus(Fine other) {
            List<long[]> sum = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                sum.add(RadixSelection.plus(layers.get(l), other.layers.get(l)));
            }
            return new Fine(sum);
        }
    }

    /** Pass 2 of some images: per layer, the tally. */
    record Tally(List<TallyCounts> layers) implements Serializable {
        Tally plus(Tally other) {
            List<TallyCounts> sum = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                sum.add(layers.get(l).plus(other.layers.get(l)));
            }
            return new Tally(sum);
        }
    }
}
