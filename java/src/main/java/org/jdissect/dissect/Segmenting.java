package org.jdissect.dissect;

import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.data.ImageLabels;
import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.Segmenter;
import org.jdissect.model.SegmenterLabels;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.LabelSource;

/**
 * The segmenter part of a probe whose images are labelled by a segmentation model (a folder of images, a generator's
 * samples): the model, its classes, and the segmentation of every image, cached as one more "layer" of one unit
 * whose values are label numbers (exact in half precision up to 2,048), so that a run resumes like any other.
 */
final class Segmenting implements AutoCloseable {
    static final String LAYER = "segmentation";

    private final Segmentation spec;
    private final SegmenterLabels labels;
    private final OnnxModel model;
    private final Preprocessing preprocessing;
    private final Segmenter segmenter;

    private Segmenting(Segmentation spec, SegmenterLabels labels, OnnxModel model, Preprocessing preprocessing,
                       Segmenter segmenter) {
        this.spec = spec;
        this.labels = labels;
        this.model = model;
        this.preprocessing = preprocessing;
        this.segmenter = segmenter;
    }

    /** Opens the segmenter for images of {@code height x width}. */
    static Segmenting open(Segmentation spec, int height, int width, int threads, OnnxModel.Inference inference) {
        SegmenterLabels labels = SegmenterLabels.read(spec.labels());
        if (labels.numLabels() > 2049) {
            throw new JdissectException(spec.labels() + ": at most 2,048 classes are supported, it lists "
                    + labels.classes());
        }
        Preprocessing pre = spec.preprocessing().apply(new int[] {height, width});
        OnnxModel model = OnnxModel.load(spec.model(), inference);
        try {
            return new Segmenting(spec, labels, model, pre, Segmenter.open(model, labels, pre, threads));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    SegmenterLabels labels() {
        return labels;
    }

    Segmenter segmenter() {
        return segmenter;
    }

    Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The cached segmentation: one unit of label numbers at the segmenter's output size. */
    LayerInfo layer() {
        return new LayerInfo(LAYER, "argmax", 1, segmenter.height(), segmenter.width());
    }

    /** Label numbers as the cache stores them. */
    static float[] asValues(int[] labelNumbers) {
        float[] v = new float[labelNumbers.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = labelNumbers[i];
        }
        return v;
    }

    /** What the cache key records of the segmenter. */
    void key(java.util.Map<String, Object> key) {
        key.put("segmenter", model.fingerprint());
        key.put("labels", labels.names());
        key.put("segmenter_preprocessing", preprocessing.describe());
    }

    Provenance.Model provenance() {
        return model.provenance("segmenter", preprocessing);
    }

    String labelsFile() {
        return spec.labels().toString();
    }

    /** The cached segmentations as labels: one pixel layer per image, no image-level labels. */
    LabelSource cachedLabels(ActivationSource segs) {
        int[] primary = labels.primaryCategory();
        return new LabelSource() {
            @Override
            public int numLabels() {
                return labels.numLabels();
            }

            @Override
            public int numCategories() {
                return labels.categories().size();
            }

            @Override
            public int[] primaryCategory() {
                return primary;
            }

            @Override
            public ImageLabels labels(int image) {
                int hw = segs.height() * segs.width();
                float[] buf = new float[hw];
                segs.readFloats(image, 1, buf); // label numbers: whole, exact in either precision
                int[] layer = new int[hw];
                for (int p = 0; p < hw; p++) {
                    layer[p] = (int) buf[p];
                }
                return new ImageLabels(segs.height(), segs.width(), new int[][] {layer}, new int[0]);
            }
        };
    }

    List<String> categories() {
        return labels.categories();
    }

    @Override
    public void close() {
        segmenter.close();
        model.close();
    }
}
