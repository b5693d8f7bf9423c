package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.data.BrodenDataset;
import org.jdissect.demo.ColourWorld;
import org.jdissect.io.LogCapture;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.BruteForceTally;
import org.jdissect.stats.FloatActivations;
import org.jdissect.stats.Precision;
import org.jdissect.stats.TallyCounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision fp32}: on ColourWorld's hand-weighted detectors, whose activations tie often (half precision
 * moves 8 of their 10 thresholds here), thresholds and counts equal a float64 reference over the model's own fp32
 * activations, computed here without the pipeline: the model run image batch by image batch, the
 * values sorted in double, BRODEN.md's tally written plainly.
 */
class PrecisionTest {
    static final List<String> LAYERS = List.of("pool", "detect_relu");

    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void world() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 60, 42);
        model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
    }

    private static Dissection.Builder builder(Path out) {
        return Dissection.builder().model(model).data(data).out(out).layers(LAYERS)
                .preprocessing(DissectionTest.PRE).quantile(0.02).batch(7).threads(2);
    }

    /** The model's activations of each layer for these dataset rows, in batches of 7 as the pipeline runs them. */
    private static List<float[]> modelActivations(List<Integer> rows) {
        BrodenDataset ds = BrodenDataset.open(data, List.of(), false);
        int per = DissectionTest.PRE.valuesPerImage();
        List<float[]> out = new ArrayList<>();
        try (OnnxModel m = OnnxModel.load(model); var runner = m.runner(LAYERS, DissectionTest.PRE, 1)) {
            for (int l = 0; l < LAYERS.size(); l++) {
                out.add(new float[rows.size() * runner.layers().get(l).valuesPerImage()]);
            }
            for (int first = 0; first < rows.size(); first += 7) {
                int n = Math.min(7, rows.size() - first);
                float[] batch = new float[n * per];
                for (int i = 0; i < n; i++) {
                    DissectionTest.PRE.apply(ds.readImage(rows.get(first + i)), batch, i * per);
                }
                List<float[]> got = runner.run(batch, n);
                for (int l = 0; l < LAYERS.size(); l++) {
                    int size = runner.layers().get(l).valuesPerImage();
                    System.arraycopy(got.get(l), 0, out.get(l), first * size, n * size);
                }
            }
        }
        return out;
    }

    @Test
    void fp32ThresholdsAndCountsEqualAFloat64ReferenceOverTheModelsOwnValues() throws Exception {
        Path out32 = tmp.resolve("fp32");
        DissectionResult r32 = builder(out32).precision(Precision.FP32).run();
        DissectionResult r16 = builder(tmp.resolve("fp16")).run();
        assertThat(r32.rows()).isEqualTo(r16.rows());
        List<float[]> reference = modelActivations(r32.rows());
        BrodenDataset ds = BrodenDataset.open(data, List.of(), false);
        int moved = 0;
        double maxDiou = 0;
        for (int l = 0; l < LAYERS.size(); l++) {
            LayerResult layer = r32.layers().get(l);
            var info = layer.layer();
            FloatActivations acts = new FloatActivations(reference.get(l), r32.rows().size(), info.channels(),
                    info.height(), info.width());
            float[] t = layer.stats().thresholds();
            for (int u = 0; u < info.channels(); u++) {
                assertThat(t[u]).as("%s unit %d", info.name(), u).isEqualTo(BruteForceTally.threshold(acts, u, 0.02));
                if (t[u] != r16.layers().get(l).stats().thresholds()[u]) {
                    moved++;
                }
                maxDiou = Math.max(maxDiou, Math.abs(layer.scores().get(u).iou()
                        - r16.layers().get(l).scores().get(u).iou()));
            }
            TallyCounts slow = BruteForceTally.tally(acts, t, new DatasetLabels(ds, r32.rows()));
            assertThat(layer.counts().intersection()).isEqualTo(slow.intersection());
            assertThat(layer.counts().activation()).isEqualTo(slow.activation());
            assertThat(layer.counts().maskPixels()).isEqualTo(slow.maskPixels());
            JsonNode settings = new ObjectMapper().readTree(out32.resolve(info.name()).resolve("report.json").toFile())
                    .get("settings");
            assertThat(settings.get("precision").asText()).isEqualTo("fp32");
            assertThat(settings.get("threshold_method").asText()).contains("fp32");
        }
        // half precision does move thresholds on this model: the fp32 mode is not the fp16 one under another name
        System.out.printf("fp16 against fp32 on ColourWorld: %d thresholds moved, largest IoU difference %.4f%n",
                moved, maxDiou);
        assertThat(moved).isPositive();
        assertThat(Files.list(out32.resolve("cache")).map(p -> p.getFileName().toString()))
                .contains("pool.f32", "detect_relu.f32").noneMatch(n -> n.endsWith(".f16"));
    }

    @Test
    void aCacheOfTheOtherPrecisionIsNotResumed() throws Exception {
        Path out = tmp.resolve("switch");
        builder(out).run();
        String tally16 = Files.readString(out.resolve("pool/tally.csv"));
        try (LogCapture log = LogCapture.start()) {
            builder(out).precision(Precision.FP32).run();
            assertThat(log.messages()).anyMatch(m -> m.contains("started afresh") && m.contains("precision"));
        }
        assertThat(Files.list(out.resolve("cache")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".f16"));
        try (LogCapture log = LogCapture.start()) {
            builder(out).precision(Precision.FP32).run();
            assertThat(log.messages()).anyMatch(m -> m.contains("all 60 images are in the activation cache"));
        }
        builder(out).run();
        assertThat(Files.readString(out.resolve("pool/tally.csv"))).isEqualTo(tally16);
    }
}
