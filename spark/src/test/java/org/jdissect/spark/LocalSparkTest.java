package org.jdissect.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.jdissect.demo.Demo;
import org.jdissect.demo.DemoModels;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;
import org.jdissect.io.Invocation;
import org.jdissect.io.Progress;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;
import org.jdissect.world.SceneWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in this JVM ({@code local[2]}) against {@code jdissect dissect}'s pipeline on the demo world: the
 * same files, byte for byte, for the demo classifier's three layers, with the candidates cut into several partitions
 * of several batches (so that merging, the order of top images across partitions and the first batch's scales are
 * all exercised); and with a task that fails once, which Spark runs again.
 */
class LocalSparkTest {
    static final List<String> LAYERS = Demo.LAYERS;
    @TempDir
    static Path tmp;
    static Path world;
    static Path model;
    static Path single;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() {
        world = SceneWorld.write(tmp.resolve("world"), 70, 64, 11, 2, false, Progress.NONE);
        model = DemoModels.locate(Demo.MODEL).resolve(Demo.MODEL);
        single = tmp.resolve("single");
        DissectionResult r = Dissection.builder().probe(probe()).out(single).options(options()).run();
        assertThat(r.rows()).hasSize(70);
        // local[2, 3]: two cores, and a failed task is tried up to 3 times (local mode's default is once)
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,3]").setAppName("test")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static Probe probe() {
        return new Probe.Broden(model, LAYERS, Demo.PREPROCESSING, world, List.of());
    }

    /** Batches of 8: 70 images are 9 batches, the last short. */
    static DissectionOptions options() {
        return DissectionOptions.defaults().withBatch(8).withThreads(2).withTopk(7);
    }

    @Test
    void theSameFilesAsOneMachine() {
        Path out = tmp.resolve("spark4");
        DissectionResult r = new SparkDissection(sc, 4, SparkDissection.NONE).run(probe(), out, options(),
                OnnxModel.Inference.CPU, ProgressListener.NONE, Invocation.current());
        assertThat(r.rows()).hasSize(70);
        Outputs.assertSame(single, out, LAYERS);
        // in local mode the job also leaves the activation cache one machine leaves, byte for byte (so the report
        // can be drawn, and a run on one machine resumes from it)
        Outputs.assertSameCache(single, out);
    }

    static final java.util.concurrent.atomic.AtomicInteger FAILED = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheFilesAreTheSame() {
        Path out = tmp.resolve("spark-retry");
        // local mode runs the tasks in this JVM: the static counter is the one the test reads
        SparkDissection.TaskHook failOnce = (pass, partition, attempt) -> {
            if ((pass.equals("inference") || pass.equals("tally")) && partition == 2 && attempt == 0) {
                FAILED.incrementAndGet();
                throw new IllegalStateException("a task failing once, as a lost node's would");
            }
        };
        new SparkDissection(sc, 4, failOnce).run(probe(), out, options(), OnnxModel.Inference.CPU,
                ProgressListener.NONE, Invocation.current());
        assertThat(FAILED.get()).as("tasks failed").isEqualTo(2);
        Outputs.assertSame(single, out, LAYERS);
    }

    @Test
    void oneBatchPerPartitionAndOnePartitionGiveTheSameFiles() {
        for (int parts : new int[] {9, 1}) {
            Path out = tmp.resolve("spark-" + parts);
            new SparkDissection(sc, parts, SparkDissection.NONE).run(probe(), out, options(),
                    OnnxModel.Inference.CPU, ProgressListener.NONE, Invocation.current());
            Outputs.assertSame(single, out, LAYERS);
        }
    }
}
