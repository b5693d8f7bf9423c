package org.jdissect.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * job (for a campaign, one for all its models), and stops it at the end.
 */
public final class SparkClusterDissection implements ClusterDissection {
    @Override
    public List<DissectionResult> campaign(String master, List<Probe> probes, List<String> names, String dataUri,
                                           Path out, DissectionOptions options, OnnxModel.Inference inference,
                                           ProgressListener progress, Invocation invocation) {
        JavaSparkContext sc = context(master);
        try {
            SparkDissection job = new SparkDissection(sc);
            List<DissectionResult> results = new ArrayList<>();
            List<Campaign.Entry> entries = new ArrayList<>();
            for (int m = 0; m < probes.size(); m++) {
                // one job per model: its images decoded once for all its layers
                DissectionResult r = job.run(probes.get(m), dataUri, out.resolve(names.get(m)), options, inference,
                        progress, invocation);
                results.add(r);
                entries.add(new Campaign.Entry(names.get(m), r));
            }
            Campaign.write(out, entries);
            return results;
        } finally {
            sc.stop();
        }
    }

    private static JavaSparkContext context(String master) {
        // spark-submit's settings come in as system properties, which SparkConf reads; its master is MASTER here too
        SparkConf conf = new SparkConf().setMaster(master).setIfMissing("spark.app.name", "jdissect dissect")
                // the web UI's port is not worth a clash with another job's on a shared machine; spark-submit's
                // --conf spark.ui.enabled=true brings it back
                .setIfMissing("spark.ui.enabled", "false");
        return new JavaSparkContext(conf);
    }

    @Override
    public DissectionResult run(String master, Probe probe, String dataUri, Path out, DissectionOptions options,
                                OnnxModel.Inference inference, ProgressListener progress, Invocation invocation) {
        JavaSparkContext sc = context(master);
        try {
            return new SparkDissection(sc).run(probe, dataUri, out, options, inference, progress, invocation);
        } finally {
            sc.stop();
        }
    }
}
