package org.jdissect.spark;

import java.nio.file.Path;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.jdissect.dissect.ClusterDissection;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;

/**
 * {@code jdissect dissect --spark MASTER}: found by the CLI through {@link java.util.ServiceLoader}. Starts a Spark
 * context on {@code MASTER} ({@code local[*]}: in this process; under spark-submit, the master submitted to) for the
 * job, and stops it at the end.
 */
public final class SparkClusterDissection implements ClusterDissection {
    @Override
    public DissectionResult run(String master, Probe probe, String dataUri, Path out, DissectionOptions options,
                                OnnxModel.Inference inference, ProgressListener progress, Invocation invocation) {
        // spark-submit's settings come in as system properties, which SparkConf reads; its master is MASTER here too
        SparkConf conf = new SparkConf().setMaster(master).setIfMissing("spark.app.name", "jdissect dissect")
                // the web UI's port is not worth a clash with another job's on a shared machine; spark-submit's
                // --conf spark.ui.enabled=true brings it back
                .setIfMissing("spark.ui.enabled", "false");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            return new SparkDissection(sc).run(probe, dataUri, out, options, inference, progress, invocation);
        } finally {
            sc.stop();
        }
    }
}
