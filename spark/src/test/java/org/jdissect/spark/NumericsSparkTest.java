package org.jdissect.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.jdissect.demo.ColourWorld;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.Probe;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cache does to values half precision cannot hold, done the same way by the Spark job: a unit far below
 * (2^-27) or above (2^20) its range is held at a power-of-two scale chosen from the run's first batch (here decided
 * by a task of its own, the partitions holding other batches), and non-finite values (a logarithm of negatives) are
 * counted across partitions and left out of the quantile. The single-machine run is the reference.
 */
class NumericsSparkTest {
    static final Preprocessing PRE = new Preprocessing(32, 32, Preprocessing.ChannelOrder.RGB, 255f,
            new float[] {0, 0, 0}, new float[] {1, 1, 1});
    @TempDir
    static Path tmp;
    static Path data;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 40, 5);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("test")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** ColourWorld's detector with every weight times {@code scale}, and "log": NaN where a response is negative. */
    static Path model(String name, float scale) {
        float[] w = {1, -1, -1, -1, 1, -1, -1, -1, 1, 0.3f, 0.3f, 0.3f, 0, 0, 0};
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale;
        }
        return OnnxBuilder.imageInput(ColourWorld.SIZE, ColourWorld.SIZE)
                .conv(OnnxBuilder.INPUT, "detect", 5, 3, 1, 1, 0, w, new float[5])
                .relu("detect", "detect_relu").averagePool("detect_relu", "pool", 4, 4)
                .averagePool("detect", "pool_raw", 4, 4)
                .node("Log", List.of("pool_raw"), "log")
                .output("pool").output("log").save(tmp.resolve(name));
    }

    @Test
    void scaledUnitsAndNonFiniteValuesAsOnOneMachine() throws Exception {
        for (float scale : new float[] {0x1p-27f, 0x1p20f, 1f}) {
            Path m = model("m" + scale + ".onnx", scale);
            Probe probe = new Probe.Broden(m, List.of("pool", "log"), PRE, data, List.of());
            DissectionOptions o = DissectionOptions.defaults().withBatch(4).withThreads(2).withQuantile(0.02);
            Path single = tmp.resolve("single" + scale);
            Dissection.builder().probe(probe).out(single).options(o).run();
            Path out = tmp.resolve("spark" + scale);
            new SparkDissection(sc, 4, SparkDissection.NONE).run(probe, out, o, OnnxModel.Inference.CPU,
                    ProgressListener.NONE, Invocation.current());
            Outputs.assertSame(single, out, List.of("pool", "log"));
        }
        // the cases are what they claim: NaNs were counted in report.json, and the scaled run's thresholds are tiny
        assertThat(Files.readString(tmp.resolve("spark1.0/log/report.json"))).containsPattern("\"non_finite\" : [1-9]");
        assertThat(Files.readString(tmp.resolve("spark" + 0x1p-27f).resolve("pool/thresholds.csv"))).contains("E-");
    }
}
