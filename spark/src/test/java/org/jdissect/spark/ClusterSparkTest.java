package org.jdissect.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.jdissect.demo.Demo;
import org.jdissect.demo.DemoModels;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionOptions;
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
 * The job on a cluster of two executor processes that the test starts itself: Spark's {@code local-cluster} mode
 * (a standalone master and two workers in this JVM, each worker starting an executor JVM). The executors' class path
 * is this JVM's; the workers need a Spark home only for its (here empty) {@code jars} folder (the surefire
 * configuration points SPARK_HOME at one under target/). The same files as one machine, and again when an
 * executor dies in the middle of the job, after the passes' activations were persisted on it.
 */
class ClusterSparkTest {
    static final List<String> LAYERS = List.of("conv3", "conv5");
    @TempDir
    static Path tmp;
    static Path world;
    static Path model;
    static Path single;
    static JavaSparkContext sc;
    static final AtomicInteger EXECUTORS_LOST = new AtomicInteger();
    static final java.util.Set<String> TASK_EXECUTORS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void setUp() throws Exception {
        world = SceneWorld.write(tmp.resolve("world"), 60, 64, 13, 2, false, Progress.NONE);
        model = DemoModels.locate(Demo.MODEL).resolve(Demo.MODEL);
        single = tmp.resolve("single");
        Dissection.builder().probe(probe()).out(single).options(options()).run();
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        sc = new JavaSparkContext(new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("test")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraClassPath", classPath)
                // a killed executor's tasks are tried again: once is the test's, the default allows 4
                .set("spark.task.maxFailures", "4"));
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
                EXECUTORS_LOST.incrementAndGet();
            }

            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                TASK_EXECUTORS.add(end.taskInfo().executorId());
            }
        });
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

    static DissectionOptions options() {
        return DissectionOptions.defaults().withBatch(6).withThreads(1).withTopk(6);
    }

    @Test
    void twoExecutorProcessesGiveTheSameFiles() {
        Path out = tmp.resolve("cluster");
        new SparkDissection(sc, 5, SparkDissection.NONE).run(probe(), out, options(), OnnxModel.Inference.CPU,
                ProgressListener.NONE, Invocation.current());
        assertThat(TASK_EXECUTORS).as("executors that ran tasks").hasSizeGreaterThanOrEqualTo(2)
                .doesNotContain("driver");
        Outputs.assertSame(single, out, LAYERS);
    }

    /** The dataset of two label layers per image and image-level labels ({@link LabelLayersTest}) on two processes. */
    @Test
    void labelLayersAndImageLevelLabelsOnTwoExecutorProcesses() {
        Path data = LabelLayersTest.writeDataset(tmp.resolve("layers"));
        Probe probe = new Probe.Broden(model, LAYERS, Demo.PREPROCESSING, data, List.of());
        Path one = tmp.resolve("layers-single");
        Dissection.builder().probe(probe).out(one).options(options()).run();
        Path out = tmp.resolve("layers-cluster");
        new SparkDissection(sc, 4, SparkDissection.NONE).run(probe, out, options(), OnnxModel.Inference.CPU,
                ProgressListener.NONE, Invocation.current());
        Outputs.assertSame(one, out, LAYERS);
    }

    /**
     * The executor that runs partition 3 of pass 1b halts its JVM (as a node dies: no clean-up, no shutdown hook).
     * By then both executors hold persisted activations; the dead one's are lost, so Spark runs its tasks elsewhere
     * and recomputes those partitions from the images, and the worker starts a new executor.
     */
    @Test
    void anExecutorKilledMidJobLeavesTheFilesTheSame() throws Exception {
        Path out = tmp.resolve("killed");
        Path marker = tmp.resolve("killed-once");
        String markerPath = marker.toString();
        int lostBefore = EXECUTORS_LOST.get();
        SparkDissection.TaskHook killOnce = (pass, partition, attempt) -> {
            if (pass.equals("fine") && partition == 3) {
                try {
                    Files.createFile(Path.of(markerPath)); // only the first such task: the file exists after
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    return;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                Runtime.getRuntime().halt(137);
            }
        };
        new SparkDissection(sc, 5, killOnce).run(probe(), out, options(), OnnxModel.Inference.CPU,
                ProgressListener.NONE, Invocation.current());
        assertThat(marker).exists();
        assertThat(EXECUTORS_LOST.get() - lostBefore).as("executors lost").isGreaterThanOrEqualTo(1);
        Outputs.assertSame(single, out, LAYERS);
    }
}
