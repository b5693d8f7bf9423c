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
import org.jdissect.dissect.Segmentation;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against the single-machine run on the colour world, in the settings beyond a half-precision Broden
 * dissection of ordinary values; the single-machine run is the reference, its activation cache included (local mode
 * leaves the same, byte for byte).
 *
 * <ul>
 *   <li>What the cache does to values half precision cannot hold: a unit far below (2^-27) or above (2^20) its range
 *       is held at a power-of-two scale chosen from the run's first batch (here decided by a task of its own, the
 *       partitions holding other batches), and non-finite values (a logarithm of negatives) are counted across
 *       partitions and left out of the quantile.</li>
 *   <li>{@code --precision fp32}: the model's floats, thresholds selected from 32-bit keys in four merged passes of 8
 *       bits where one machine reads 11 + 11 + 10, on layers of ties, signed zeros, NaN and both infinities, values
 *       beyond half's range.</li>
 *   <li>The second probe, a folder of images labelled by a segmenter (its segmentation cached beside the layers, the
 *       labels of the tally read from it), in both precisions, with an unreadable image skipped.</li>
 * </ul>
 */
class ColourWorldSparkTest {
    static final Preprocessing PRE = ColourWorld.PREPROCESSING;
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

    /**
     * ColourWorld's detector with every weight times {@code scale}; "pool": a ReLU's zeros (ties); "log": NaN where
     * a response is negative, -infinity where it is 0; "exp": +infinity where it is large; "signed": every value
     * times 0, so -0.0 and +0.0 only.
     */
    static Path model(String name, float scale) {
        return ColourWorld.detector(scale)
                .averagePool("detect", "pool_raw", 4, 4)
                .node("Log", List.of("pool_raw"), "log")
                .mulPerChannel("pool_raw", "steep", new float[] {300, 300, 300, 300, 300})
                .node("Exp", List.of("steep"), "exp")
                .mulPerChannel("pool_raw", "signed", new float[5])
                .output("pool").output("log").output("exp").output("signed").save(tmp.resolve(name));
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
            Outputs.assertSameCache(single, out);
        }
        // the cases are what they claim: NaNs were counted in report.json, and the scaled run's thresholds are tiny
        assertThat(Files.readString(tmp.resolve("spark1.0/log/report.json"))).containsPattern("\"non_finite\" : [1-9]");
        assertThat(Files.readString(tmp.resolve("spark" + 0x1p-27f).resolve("pool/thresholds.csv"))).contains("E-");
    }

    @Test
    void singlePrecisionAsOnOneMachine() throws Exception {
        List<String> layers = List.of("pool", "log", "exp", "signed");
        DissectionOptions o = DissectionOptions.defaults().withBatch(4).withThreads(2).withQuantile(0.02)
                .withPrecision(Precision.FP32);
        for (float scale : new float[] {1f, 0x1p20f}) {
            Probe probe = new Probe.Broden(model("m" + scale + ".onnx", scale), layers, PRE, data, List.of());
            Path single = tmp.resolve("fp32-single" + scale);
            Dissection.builder().probe(probe).out(single).options(o).run();
            Path out = tmp.resolve("fp32-spark" + scale);
            new SparkDissection(sc, 4, SparkDissection.NONE).run(probe, out, o, OnnxModel.Inference.CPU,
                    ProgressListener.NONE, Invocation.current());
            Outputs.assertSame(single, out, layers);
            Outputs.assertSameCache(single, out);
        }
        // the cases are what they claim: single precision recorded, NaNs and infinities counted, a threshold beyond
        // half's range, and the signed zeros' layer has both
        Path out = tmp.resolve("fp32-spark1.0");
        assertThat(Files.readString(out.resolve("pool/report.json"))).contains("\"precision\" : \"fp32\"");
        assertThat(Files.readString(out.resolve("log/report.json"))).containsPattern("\"non_finite\" : [1-9]");
        assertThat(Files.readString(out.resolve("exp/report.json"))).containsPattern("\"non_finite\" : [1-9]");
        assertThat(Files.readAllLines(tmp.resolve("fp32-spark" + 0x1p20f).resolve("pool/thresholds.csv")).stream()
                .skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).max().orElseThrow())
                .isGreaterThan(65504);
        java.nio.FloatBuffer signed = java.nio.ByteBuffer.wrap(Files.readAllBytes(out.resolve("cache/signed.f32")))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        java.util.Set<Integer> bits = new java.util.HashSet<>();
        while (signed.hasRemaining()) {
            bits.add(Float.floatToRawIntBits(signed.get()));
        }
        assertThat(bits).containsExactlyInAnyOrder(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(0.0f));
    }

    @Test
    void segmentedImagesAsOnOneMachineInBothPrecisions() throws Exception {
        Path images = ColourWorld.copyImages(data, tmp.resolve("images"));
        Files.writeString(images.resolve("cw/zz_broken.png"), "not a PNG"); // the last candidate: skipped
        ColourWorld.Segmenter seg = ColourWorld.writeSegmenter(tmp.resolve("seg"));
        Probe probe = new Probe.SegmentedImages(ColourWorld.writeModel(tmp.resolve("colour.onnx")),
                List.of("pool", "detect_relu"), PRE, images,
                Segmentation.of(seg.model(), seg.labels(), PRE));
        for (Precision p : Precision.values()) {
            DissectionOptions o = DissectionOptions.defaults().withBatch(4).withThreads(2).withQuantile(0.02)
                    .withSkipBad(true).withPrecision(p);
            Path single = tmp.resolve("seg-single-" + p.label());
            Path spark = tmp.resolve("seg-spark-" + p.label());
            Dissection.builder().probe(probe).out(single).options(o).run();
            new SparkDissection(sc, 3, SparkDissection.NONE).run(probe, spark, o, OnnxModel.Inference.CPU,
                    ProgressListener.NONE, Invocation.current());
            Outputs.assertSame(single, spark, probe.layers());
            Outputs.assertSameCache(single, spark);
        }
        Path out = tmp.resolve("seg-spark-fp16");
        assertThat(Files.readString(out.resolve("pool/report.json"))).contains("\"kind\" : \"segmented-images\"")
                .contains("\"images\" : 40").contains("\"skipped_images\" : 1");
        assertThat(out.resolve("cache/segmentation.f16")).isRegularFile();
        assertThat(Files.readString(out.resolve("pool/tally.csv"))).contains("red").contains("blue");
    }
}
