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
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two settings the job shares with one machine beyond a half-precision Broden dissection, against the
 * single-machine run: {@code --precision fp32} (the model's floats, thresholds selected from 32-bit keys in four
 * merged passes of 8 bits where one machine reads 11 + 11 + 10), on layers of ties, signed zeros, NaN and both
 * infinities, values beyond half's range; and a folder of images labelled by a segmenter (its segmentation cached
 * beside the layers, the labels of the tally read from it), in both precisions, with an unreadable image skipped.
 * In local mode the job leaves the same activation cache, byte for byte.
 */
class PrecisionAndSegmenterSparkTest {
    @TempDir
    static Path tmp;
    static Path world;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() {
        world = ColourWorld.writeDataset(tmp.resolve("world"), 40, 7);
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
        float[] w = {1, -1, -1, -1, 1, -1, -1, -1, 1, 0.3f, 0.3f, 0.3f, 0, 0, 0};
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale;
        }
        return OnnxBuilder.imageInput(ColourWorld.SIZE, ColourWorld.SIZE)
                .conv(OnnxBuilder.INPUT, "detect", 5, 3, 1, 1, 0, w, new float[5])
                .relu("detect", "detect_relu").averagePool("detect_relu", "pool", 4, 4)
                .averagePool("detect", "pool_raw", 4, 4)
                .node("Log", List.of("pool_raw"), "log")
                .mulPerChannel("pool_raw", "steep", new float[] {300, 300, 300, 300, 300})
                .node("Exp", List.of("steep"), "exp")
                .mulPerChannel("pool_raw", "signed", new float[5])
                .output("pool").output("log").output("exp").output("signed").save(tmp.resolve(name));
    }

    static void run(Probe probe, DissectionOptions o, Path single, Path spark, int partitions) {
        Dissection.builder().probe(probe).out(single).options(o).run();
        new SparkDissection(sc, partitions, SparkDissection.NONE).run(probe, spark, o, OnnxModel.Inference.CPU,
                ProgressListener.NONE, Invocation.current());
        Outputs.assertSame(single, spark, probe.layers());
        Outputs.assertSameCache(single, spark);
    }

    @Test
    void singlePrecisionAsOnOneMachine() throws Exception {
        List<String> layers = List.of("pool", "log", "exp", "signed");
        DissectionOptions o = DissectionOptions.defaults().withBatch(4).withThreads(2).withQuantile(0.02)
                .withPrecision(Precision.FP32);
        for (float scale : new float[] {1f, 0x1p20f}) {
            Probe probe = new Probe.Broden(model("m" + scale + ".onnx", scale), layers, NumericsSparkTest.PRE, world,
                    List.of());
            run(probe, o, tmp.resolve("single" + scale), tmp.resolve("spark" + scale), 4);
        }
        // the cases are what they claim: single precision recorded, NaNs and infinities counted, a threshold beyond
        // half's range, and the signed zeros' layer has both
        Path out = tmp.resolve("spark1.0");
        assertThat(Files.readString(out.resolve("pool/report.json"))).contains("\"precision\" : \"fp32\"");
        assertThat(Files.readString(out.resolve("log/report.json"))).containsPattern("\"non_finite\" : [1-9]");
        assertThat(Files.readString(out.resolve("exp/report.json"))).containsPattern("\"non_finite\" : [1-9]");
        assertThat(Files.readAllLines(tmp.resolve("spark" + 0x1p20f).resolve("pool/thresholds.csv")).stream()
                .skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).max().orElseThrow())
                .isGreaterThan(65504);
        assertThat(out.resolve("cache/signed.f32")).isRegularFile();
        float[] signed = floats(out.resolve("cache/signed.f32"));
        assertThat(signed).contains(-0.0f, 0.0f);
        assertThat(countRaw(signed, -0.0f)).isPositive();
        assertThat(countRaw(signed, 0.0f)).isPositive();
    }

    @Test
    void segmentedImagesAsOnOneMachineInBothPrecisions() throws Exception {
        Path images = ColourWorld.copyImages(world, tmp.resolve("images"));
        Files.writeString(images.resolve("cw/zz_broken.png"), "not a PNG"); // the last candidate: skipped
        ColourWorld.Segmenter seg = ColourWorld.writeSegmenter(tmp.resolve("seg"));
        Probe probe = new Probe.SegmentedImages(ColourWorld.writeModel(tmp.resolve("colour.onnx")),
                List.of("pool", "detect_relu"), NumericsSparkTest.PRE, images,
                Segmentation.of(seg.model(), seg.labels(), NumericsSparkTest.PRE));
        for (Precision p : Precision.values()) {
            DissectionOptions o = DissectionOptions.defaults().withBatch(4).withThreads(2).withQuantile(0.02)
                    .withSkipBad(true).withPrecision(p);
            run(probe, o, tmp.resolve("seg-single-" + p.label()), tmp.resolve("seg-spark-" + p.label()), 3);
        }
        Path out = tmp.resolve("seg-spark-fp16");
        assertThat(Files.readString(out.resolve("pool/report.json"))).contains("\"kind\" : \"segmented-images\"")
                .contains("\"images\" : 40").contains("\"skipped_images\" : 1");
        assertThat(out.resolve("cache/segmentation.f16")).isRegularFile();
        assertThat(Files.readString(out.resolve("pool/tally.csv"))).contains("red").contains("blue");
    }

    private static float[] floats(Path f) throws Exception {
        java.nio.FloatBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(f))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    private static long countRaw(float[] v, float x) {
        int bits = Float.floatToRawIntBits(x);
        return java.util.stream.IntStream.range(0, v.length).filter(i -> Float.floatToRawIntBits(v[i]) == bits)
                .count();
    }
}
