package org.jdissect.dissect;

import java.util.List;

import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageLabels;
import org.jdissect.stats.LabelSource;

/** The labels of the cached images, read from the dataset in cache order. */
final class DatasetLabels implements LabelSource {
    private final BrodenDataset dataset;
    private final int[] rows;

    DatasetLabels(BrodenDataset dataset, List<Integer> rows) {
        this.dataset = dataset;
        this.rows = rows.stream().mapToInt(Integer::intValue).toArray();
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
        return dataset.readLabels(rows[image]);
    }
}
