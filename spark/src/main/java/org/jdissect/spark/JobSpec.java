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
               String inference) implements Serializable {

    static JobSpec of(Probe.Broden probe, DissectionOptions o, OnnxModel.Inference inference, int threads) {
        try {
            return new JobSpec(probe.model().toString(), List.copyOf(probe.layers()), probe.data().toString(),
                    List.copyOf(probe.categories()),
                    new ObjectMapper().writeValueAsString(probe.preprocessing().describe()), o.quantile(),
                    o.iouThreshold(), o.topk(), o.batch(), o.skipBad(), threads, inference.name());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Probe.Broden probe() {
        try {
            Map<String, Object> d = new ObjectMapper().readValue(preprocessing, Map.class);
            return new Probe.Broden(Path.of(model), layers, Preprocessing.fromDescription(d), Path.of(data),
                    categories);
        } catch (JsonProcessingException e) {
            throw new JdissectException("a job's preprocessing cannot be read: " + e.getMessage(), e);
        }
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
