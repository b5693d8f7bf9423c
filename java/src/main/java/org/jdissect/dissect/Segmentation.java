package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.function.Function;

import org.jdissect.model.Preprocessing;

/**
 * A segmentation model that labels images pixel by pixel: its ONNX file, its classes ({@code name[,category]} per
 * output channel, see {@link org.jdissect.model.SegmenterLabels}), and how an image of a given height and width is
 * prepared for it.
 */
public record Segmentation(Path model, Path labels, Function<int[], Preprocessing> preprocessing) {
    public Segmentation {
        if (model == null || labels == null) {
            throw new IllegalArgumentException("a segmentation needs a model and its labels file");
        }
        if (preprocessing == null) {
            preprocessing = Segmentation::plain;
        }
    }

    /** The same preprocessing for every image. */
    public static Segmentation of(Path model, Path labels, Preprocessing preprocessing) {
        return new Segmentation(model, labels, size -> preprocessing);
    }

    /** The image's own size, values divided by 255, no mean or deviation: the default. */
    public static Preprocessing plain(int[] heightWidth) {
        return new Preprocessing(heightWidth[0], heightWidth[1], Preprocessing.ChannelOrder.RGB, 255f,
                new float[] {0, 0, 0}, new float[] {1, 1, 1});
    }
}
