package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.model.Preprocessing;

/**
 * What a dissection looks at: the network, its layers, and where the images and their concept labels come from.
 * The three probes differ only there; thresholds, the tally, scoring and the files are the same pipeline for all.
 */
public sealed interface Probe permits Probe.Broden, Probe.SegmentedImages, Probe.Generated {

    /** The layers dissected, as the model names them. */
    List<String> layers();

    /**
     * A network (any ONNX model with one image input) on a Broden dataset: the concepts are the dataset's
     * annotations (NetDissect's setting).
     *
     * @param categories the categories to count, in this order; empty for all of the dataset's
     */
    record Broden(Path model, List<String> layers, Preprocessing preprocessing, Path data, List<String> categories)
            implements Probe {
        public Broden {
            layers = List.copyOf(layers);
            categories = List.copyOf(categories);
            require(model, "a model");
            require(data, "a dataset");
        }
    }

    /**
     * A network on any folder of images (searched recursively: PNG, JPEG, BMP, GIF), each labelled pixel by pixel by
     * a segmentation model (the PNAS paper's setting: no annotated dataset needed).
     */
    record SegmentedImages(Path model, List<String> layers, Preprocessing preprocessing, Path images,
                           Segmentation segmentation) implements Probe {
        public SegmentedImages {
            layers = List.copyOf(layers);
            require(model, "a model");
            require(images, "an image folder");
            require(segmentation, "a segmenter");
        }
    }

    /**
     * A generator's layer on seeded samples, each generated image labelled by a segmentation model (GAN
     * dissection).
     *
     * @param rangeLow  the generator's output value that maps to 0 (-1 for a tanh output)
     * @param rangeHigh the output value that maps to 255
     */
    record Generated(Path generator, String layer, float rangeLow, float rangeHigh, int samples, long seed,
                     Segmentation segmentation) implements Probe {
        public Generated {
            require(generator, "a generator");
            require(layer, "a layer");
            require(segmentation, "a segmenter");
            if (samples < 1) {
                throw new JdissectException("--samples must be >= 1, got " + samples);
            }
            if (!(rangeHigh > rangeLow)) {
                throw new JdissectException("the output range must have high > low, got " + rangeLow + ","
                        + rangeHigh);
            }
        }

        @Override
        public List<String> layers() {
            return List.of(layer);
        }

        /** The name of sample {@code sample} of seed {@code seed}, as report.json and topk.csv give it. */
        public static String sampleName(int sample, long seed) {
            return "sample " + sample + " of seed " + seed;
        }
    }

    private static void require(Object value, String what) {
        if (value == null) {
            throw new JdissectException("a dissection needs " + what);
        }
    }
}
