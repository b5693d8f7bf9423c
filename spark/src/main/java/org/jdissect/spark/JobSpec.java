package org.jdissect.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdissect.JdissectException;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.Probe;
import org.jdissect.dissect.ProbeSession;
import org.jdissect.dissect.Segmentation;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.Precision;

/**
 * What a task needs to open the probe where it runs, as plain serialisable values (a {@link Path} is not
 * serialisable, and an executor resolves paths on its own file system). Equal specs share their executor's opened
 * sessions ({@link Sessions}).
 *
 * @param data             a Broden dataset (a path or a URI), or with a segmenter the folder of images
 * @param segmenter        the segmentation model that labels the images of the folder {@code data}; null: a Broden
 *                         dataset
 * @param segPreprocessing how the segmenter's images are prepared, at the model's input size (the size the
 *                         single-machine run prepares them at)
 * @param threads          threads of one task: its decoding, its inference and its statistics (a task holds one core
 *                         of its executor, spark.task.cpus)
 */
record JobSpec(String model, List<String> layers, String data, List<String> categories, String preprocessing,
               String segmenter, String segLabels, String segPreprocessing, double quantile, double iouThreshold,
               int topk, int batch, boolean skipBad, String precision, int threads, String inference,
               Map<String, String> hadoop) implements Serializable {

    /**
     * @param dataUri the dataset's URI, read through Hadoop's file systems; null: the probe's folder
     * @param hadoop  the Hadoop settings tasks read it with (the job's spark.hadoop.* settings)
     */
    static JobSpec of(Probe probe, String dataUri, DissectionOptions o, OnnxModel.Inference inference,
                      int threads, Map<String, String> hadoop) {
        ProbeSession.requireDistributable(probe);
        String model;
        String data;
        Preprocessing pre;
        List<String> categories = List.of();
        String segmenter = null;
        String segLabels = null;
        String segPre = null;
        if (probe instanceof Probe.Broden b) {
            model = b.model().toString();
            data = dataUri != null ? dataUri : b.data().toString();
            pre = b.preprocessing();
            categories = b.categories();
        } else {
            Probe.SegmentedImages s = (Probe.SegmentedImages) probe;
            model = s.model().toString();
            data = s.images().toString();
            pre = s.preprocessing();
            segmenter = s.segmentation().model().toString();
            segLabels = s.segmentation().labels().toString();
            segPre = json(s.segmentation().preprocessing().apply(new int[] {pre.height(), pre.width()}));
        }
        return new JobSpec(model, List.copyOf(probe.layers()), data, List.copyOf(categories), json(pre), segmenter,
                segLabels, segPre, o.quantile(), o.iouThreshold(), o.topk(), o.batch(), o.skipBad(),
                o.precision().label(), threads, inference.name(), new java.util.TreeMap<>(hadoop));
    }

    private static String json(Preprocessing p) {
        try {
            return new ObjectMapper().writeValueAsString(p.describe());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Preprocessing preprocessing(String json) {
        try {
            return Preprocessing.fromDescription(new ObjectMapper().readValue(json, Map.class));
        } catch (JsonProcessingException e) {
            throw new JdissectException("a job's preprocessing cannot be read: " + e.getMessage(), e);
        }
    }

    /** The probe as it is opened here (a URI's dataset: this JVM's copy of its CSV files). */
    Probe probe() {
        if (segmenter == null) {
            return new Probe.Broden(Path.of(model), layers, preprocessing(preprocessing), localData(), categories);
        }
        return new Probe.SegmentedImages(Path.of(model), layers, preprocessing(preprocessing), Path.of(data),
                Segmentation.of(Path.of(segmenter), Path.of(segLabels), preprocessing(segPreprocessing)));
    }

    /** Whether the dataset is read through Hadoop's file systems. */
    boolean hadoopData() {
        return HadoopData.isUri(data);
    }

    /** This JVM's copy of the dataset read through Hadoop's file systems. */
    HadoopData hadoopCopy() {
        return HadoopData.of(data, hadoop);
    }

    /** The folder the dataset is read from here: the path, or this JVM's copy of the URI's CSV files. */
    Path localData() {
        return hadoopData() ? hadoopCopy().local() : Path.of(data);
    }

    /** A message about the local copy, naming the URI instead. */
    String unlocal(String message) {
        return hadoopData() ? hadoopCopy().unlocal(message) : message;
    }

    /** The options of a task: the run's, with the task's threads; the memory budget is unused (nothing is cached). */
    DissectionOptions options() {
        return new DissectionOptions(quantile, iouThreshold, topk, batch, 1L << 30, threads, false, skipBad,
                cachePrecision());
    }

    Precision cachePrecision() {
        return Precision.parse("--precision", precision);
    }

    OnnxModel.Inference inferenceMode() {
        return OnnxModel.Inference.valueOf(inference);
    }
}
