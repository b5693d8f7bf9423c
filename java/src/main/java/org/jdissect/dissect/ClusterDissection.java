package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.ServiceLoader;

import org.jdissect.JdissectException;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;

/**
 * A dissection run as a job on a cluster (jdissect's {@code spark/} module), found on the class path with
 * {@link ServiceLoader}: the library and its CLI do not depend on Spark, and without the module {@code --spark} says
 * how to get it in one line.
 */
public interface ClusterDissection {
    /** How a user gets the module onto the class path, for the one-line error. */
    String HOW = "--spark needs jdissect's Spark module on the class path: build it with 'mvn -B -DskipTests package' "
            + "(spark/target) and run ./jdissect, which adds it when --spark is given, or use spark-submit --class "
            + "org.jdissect.spark.SparkDissect spark/target/jdissect-spark-0.1.0-SNAPSHOT-submit.jar (README, "
            + "Dissection on Spark)";

    /**
     * Dissects {@code probe} with the passes run as a job of the cluster {@code master} (a Spark master URL, e.g.
     * {@code local[*]} or {@code spark://host:7077}), writing the files a single-machine run writes under {@code out}.
     *
     * @param dataUri where the dataset is when it is given as a URI (hdfs://, s3a://, file://: read where the tasks
     *                run, through the cluster's file systems), the probe's data folder then being unused; null when
     *                the probe's folder is the dataset
     */
    DissectionResult run(String master, Probe probe, String dataUri, Path out, DissectionOptions options,
                         OnnxModel.Inference inference, ProgressListener progress, Invocation invocation);

    /**
     * A campaign: every probe (one per model, the same layers and data) dissected as {@link #run} does, in one
     * context, into {@code out/<name>/<layer>/}, with a summary of them all in {@code out} (campaign.csv and
     * a report, report/index.html); returns the results in the probes' order.
     */
    java.util.List<DissectionResult> campaign(String master, java.util.List<Probe> probes,
                                              java.util.List<String> names, String dataUri, Path out,
                                              DissectionOptions options, OnnxModel.Inference inference,
                                              ProgressListener progress, Invocation invocation);

    /** The implementation on the class path, or a one-line error saying how to get it. */
    static ClusterDissection find() {
        return ServiceLoader.load(ClusterDissection.class).findFirst()
                .orElseThrow(() -> new JdissectException(HOW));
    }
}
