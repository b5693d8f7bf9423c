package org.jdissect.dissect;

import java.util.List;

import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageLabels;
import org.jdissect.stats.LabelSource;

/**
 * The labels of the cached images in cache order: as the inference pass kept them ({@link LabelRuns}) or, for rows it
 * did not keep (a resumed run, a full budget), read from the dataset.
 */
final class DatasetLabels implements LabelSource {
    private final BrodenDataset dataset;
    private final int[] rows;
    private final LabelRuns runs;

    /** Every row read from the dataset. */
    DatasetLabels(BrodenDataset dataset, List<Integer> rows) {
        this(dataset, rows, null);
    }

    /** Rows that {@code runs} kept read from it (null: none). */
    DatasetLabels(BrodenDataset dataset, List<Integer> rows, LabelRuns runs) {
        this.dataset = dataset;
        this.rows = rows.stream().mapToInt(Integer::intValue).toArray();
        this.runs = runs;
    }

    @Override
    public int numLabels() {
        return dataset.numLabels();
    }

    @Override
    public int numCategories() {
        return dataset.categories().size();
    }

    @Override
    public int[] primaryCategory() {
        return dataset.primaryCategory();
    }

    @Override
    public ImageLabels labels(int image) {
        return labels(image, null);
    }

    /** Rows kept as runs are expanded into {@code reuse}'s maps where they have the size. */
    @Override
    public ImageLabels labels(int image, ImageLabels reuse) {
        int row = rows[image];
        if (runs != null) {
            org.jdissect.data.IndexRow r = dataset.row(row);
            ImageLabels kept = runs.get(row, r.sh(), r.sw(), dataset.imageLevel(row), reuse);
            if (kept != null) {
                return kept;
            }
        }
        return dataset.readLabels(row);
    }
}
