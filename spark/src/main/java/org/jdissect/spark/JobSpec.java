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
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.Precision;

/**
 * What a task needs to open the probe where it runs, as plain serialisable values (a {@link Path} is not
 * serialisable, and an executor resolves paths on its own file system). Equal specs share their executor's opened
 * sessions ({@link Sessions}).
 *
 * @param threads threads of one task: its decoding, its inference and its statistics (a task holds one core of its
 *                executor, spark.task.cpus)
 */
record JobSpec(String model, List<String> layers, String data, List<String> categories, String preprocessing,
               double quantile, double iouThreshold, int topk, int batch, boolean skipBad, int threads,
               String inference, Map<String, String> hadoop) implements Serializable {

    /**
     * @param dataUri the dataset's URI, read through Hadoop's file systems; null: the probe's folder
     * @param hadoop  the Hadoop settings tasks read it with (the job's spark.hadoop.* settings)
     */
    static JobSpec of(Probe.Broden probe, String dataUri, DissectionOptions o, OnnxModel.Inference inference,
                      int threads, Map<String, String> hadoop) {
        try {
            return new JobSpec(probe.model().toString(), List.copyOf(probe.layers()),
                    dataUri != null ? dataUri : probe.data().toString(), List.copyOf(probe.categories()),
                    new ObjectMapper().writeValueAsString(probe.preprocessing().describe()), o.quantile(),
                    o.iouThreshold(), o.topk(), o.batch(), o.skipBad(), threads, inference.name(),
                    new java.util.TreeMap<>(hadoop));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Probe.Broden probe() {
        try {
            Map<String, Object> d = new ObjectMapper().readValue(preprocessing, Map.class);
            return new Probe.Broden(Path.of(model), layers, Preprocessing.fromDescription(d), localData(),
                    categories);
        } catch (JsonProcessingException e) {
            throw new JdissectException("a job's preprocessing cannot be read: " + e.getMessage(), e);
        }
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
                Precision.FP16);
    }

    OnnxModel.Inference inferenceMode() {
        return OnnxModel.Inference.valueOf(inference);
    }
}
