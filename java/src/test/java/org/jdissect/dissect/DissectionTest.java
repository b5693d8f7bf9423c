package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.demo.ColourWorld;
import org.jdissect.io.LogCapture;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.BruteForceTally;
import org.jdissect.stats.FloatActivations;
import org.jdissect.stats.Precision;
import org.jdissect.stats.TallyCounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DissectionTest {
    static final Preprocessing PRE = ColourWorld.PREPROCESSING;

    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void world() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 60, 42);
        model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
    }

    /** The two layers every test here dissects. */
    static final List<String> LAYERS = List.of("pool", "detect_relu");

    private static Dissection.Builder builder(Path out) {
        return Dissection.builder().model(model).data(data).out(out).layers(LAYERS)
                .preprocessing(PRE).quantile(0.02).batch(7).threads(2);
    }

    @Test
    void detectorUnitsGetTheirColoursAndNoiseUnitsStayBelowTheCutOff() {
        DissectionResult result = builder(tmp.resolve("out1")).run();
        for (LayerResult layer : result.layers()) {
            List<Scoring.UnitScore> s = layer.scores();
            List<String> labels = new ArrayList<>();
            for (int u = 0; u < 3; u++) {
                labels.add(layer.record().units().get(u).label());
                assertThat(s.get(u).iou()).as("%s unit %d", layer.layer().name(), u).isGreaterThan(0.2);
                assertThat(result.categories().get(s.get(u).category())).isEqualTo("color");
            }
            assertThat(labels).as(layer.layer().name()).containsExactly("red", "green", "blue");
            assertThat(s.get(3).iou()).as("brightness unit").isLessThan(0.04);
            assertThat(s.get(4).iou()).as("dead unit").isEqualTo(0.0);
            assertThat(layer.record().summary().interpretable()).isEqualTo(3);
        }
    }

    @Test
    void pipelineCountsEqualBruteForceOverTheDatasetsOwnLabels() {
        Path out = tmp.resolve("brute");
        DissectionResult result = builder(out).run();
        org.jdissect.data.BrodenDataset ds = org.jdissect.data.BrodenDataset.open(data, List.of(), false);
        for (int l = 0; l < 2; l++) {
            LayerResult layer = result.layers().get(l);
            org.jdissect.stats.ActivationSource acts = cacheOf(out, result, l);
            DatasetLabels labels = new DatasetLabels(ds, result.rows());
            for (int u = 0; u < layer.layer().channels(); u++) {
                assertThat(layer.stats().thresholds()[u])
                        .isEqualTo(org.jdissect.stats.BruteForceTally.threshold(acts, u, 0.02));
            }
            org.jdissect.stats.TallyCounts slow =
                    org.jdissect.stats.BruteForceTally.tally(acts, layer.stats().thresholds(), labels);
            assertThat(layer.counts().intersection()).isEqualTo(slow.intersection());
            assertThat(layer.counts().activation()).isEqualTo(slow.activation());
            assertThat(layer.counts().labelPixels()).isEqualTo(slow.labelPixels());
        }
    }

    private static org.jdissect.stats.ActivationSource cacheOf(Path out, DissectionResult r, int layer) {
        return CacheSnapshot.open(out.resolve("cache")).source(r.layers().get(layer).layer());
    }

    @Test
    void writesNetDissectCompatibleTallyAndReport() throws Exception {
        Path out = tmp.resolve("out2");
        DissectionResult result = builder(out).run();
        List<String> lines = Files.readAllLines(out.resolve("pool/tally.csv"));
        assertThat(lines.get(0)).isEqualTo("unit,category,label,score,"
                + "color-label,color-truth,color-activation,color-intersect,color-iou,"
                + "object-label,object-truth,object-activation,object-intersect,object-iou,"
                + "scene-label,scene-truth,scene-activation,scene-intersect,scene-iou");
        assertThat(lines).hasSize(6);
        double previous = Double.MAX_VALUE;
        List<Integer> units = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f).hasSize(19);
            double score = Double.parseDouble(f[3]);
            assertThat(score).isLessThanOrEqualTo(previous);
            previous = score;
            units.add(Integer.parseInt(f[0]));
            // the row's score is its category's IoU, and that IoU follows from the row's own counts
            int c = ColourWorld.CATEGORIES.indexOf(f[1]);
            long truth = Long.parseLong(f[5 + 5 * c]);
            long act = (long) Double.parseDouble(f[6 + 5 * c]);
            long inter = Long.parseLong(f[7 + 5 * c]);
            assertThat(Double.parseDouble(f[8 + 5 * c])).isEqualTo(score);
            if (score > 0) {
                assertThat(score).isEqualTo(inter / ((double) act + truth - inter + 1e-10));
            }
        }
        assertThat(units).containsExactlyInAnyOrder(1, 2, 3, 4, 5);

        JsonNode report = new ObjectMapper().readTree(out.resolve("pool/report.json").toFile());
        assertThat(report.at("/layer/units").asInt()).isEqualTo(5);
        assertThat(report.at("/summary/interpretable").asInt()).isEqualTo(3);
        assertThat(report.at("/source/kind").asText()).isEqualTo("broden");
        assertThat(report.at("/source/images").asInt()).isEqualTo(60);
        assertThat(report.at("/provenance/models/0/preprocessing/height").asInt()).isEqualTo(32);
        assertThat(report.at("/provenance/models/0/sha256").asText()).hasSize(64);
        assertThat(report.at("/units").size()).isEqualTo(5);
        assertThat(report.at("/units/0/label").asText()).isEqualTo("red");
        assertThat(report.at("/units/0/top_images").size()).isEqualTo(10);
        assertThat(Files.readAllLines(out.resolve("pool/thresholds.csv"))).hasSize(6);
        assertThat(Files.readAllLines(out.resolve("pool/topk.csv"))).hasSize(1 + 5 * 10);
        assertThat(result.layers().get(1).directory()).isEqualTo(out.resolve("detect_relu"));
        try (var files = Files.walk(out)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void resumesFromAPartialCacheWithIdenticalResults() throws Exception {
        Path out = tmp.resolve("out3");
        DissectionResult full = builder(out).run();
        String tally = Files.readString(out.resolve("pool/tally.csv"));

        // Make the cache look like a run killed after 3 batches, with junk written after the last commit.
        ObjectMapper json = new ObjectMapper();
        Path manifest = out.resolve("cache/manifest.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = json.readValue(manifest.toFile(), Map.class);
        @SuppressWarnings("unchecked")
        List<Integer> rows = (List<Integer>) m.get("rows");
        m.put("rows", rows.subList(0, 21));
        m.put("consumed", 21);
        m.put("complete", false);
        // and what it records of those 21 images: their stamps and the checksums of the 3 batches of 7 written
        @SuppressWarnings("unchecked")
        List<Object> stamps = (List<Object>) m.get("stamps");
        m.put("stamps", stamps.subList(0, 42));
        @SuppressWarnings("unchecked")
        List<List<Object>> sums = (List<List<Object>>) m.get("checksums");
        m.put("checksums", sums.stream().map(c -> c.subList(0, 6)).toList());
        json.writeValue(manifest.toFile(), m);
        Files.delete(out.resolve("pool/tally.csv"));

        DissectionResult resumed;
        try (LogCapture log = LogCapture.start()) {
            resumed = builder(out).run();
            assertThat(log.messages()).anyMatch(l -> l.contains("resuming after 21 of 60"));
        }
        assertThat(Files.readString(out.resolve("pool/tally.csv"))).isEqualTo(tally);
        assertThat(resumed.layers().get(0).counts().intersection())
                .isEqualTo(full.layers().get(0).counts().intersection());

        try (LogCapture log = LogCapture.start()) {
            builder(out).run();
            assertThat(log.messages()).anyMatch(l -> l.contains("all 60 images are in the activation cache"));
        }
    }

    /**
     * A run that fails part way (a corrupt image, while the cache writer may hold a batch) leaves a cache the next
     * run resumes from, with the results of an uninterrupted run.
     */
    @Test
    void aRunThatFailsPartWayLeavesACacheTheNextRunCompletes() throws Exception {
        Path world = ColourWorld.writeDataset(tmp.resolve("world-fails"), 60, 42);
        Path image = org.jdissect.data.BrodenDataset.open(world, null, false).imagePath(45);
        byte[] good = Files.readAllBytes(image);
        Path out = tmp.resolve("out-fails");
        Files.write(image, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThatThrownBy(() -> builder(out).data(world).run()).isInstanceOf(JdissectException.class)
                .hasMessageContaining("corrupt image").hasMessageContaining(image.getFileName().toString());
        Files.write(image, good);
        builder(out).data(world).run();
        Path reference = tmp.resolve("out-reference");
        builder(reference).data(world).run();
        for (String layer : List.of("pool", "detect_relu")) {
            assertThat(Files.readString(out.resolve(layer + "/tally.csv")))
                    .isEqualTo(Files.readString(reference.resolve(layer + "/tally.csv")));
        }
    }

    @Test
    void aChangedSettingInvalidatesTheCache() {
        Path out = tmp.resolve("out4");
        builder(out).run();
        try (LogCapture log = LogCapture.start()) {
            builder(out).categories(List.of("color")).run();
            assertThat(log.messages()).isNotEmpty().noneMatch(l -> l.contains("resuming"));
        }
    }

    @Test
    void tinyMemoryBudgetReadsFromTheCacheFileWithTheSameResult() {
        DissectionResult inMemory = builder(tmp.resolve("out5")).run();
        DissectionResult fromFile = builder(tmp.resolve("out6")).memory(0).run();
        for (int l = 0; l < 2; l++) {
            assertThat(fromFile.layers().get(l).counts().intersection())
                    .isEqualTo(inMemory.layers().get(l).counts().intersection());
            assertThat(fromFile.layers().get(l).stats().thresholds())
                    .isEqualTo(inMemory.layers().get(l).stats().thresholds());
        }
    }

    @Test
    void unknownLayerListsTheValidOnes() {
        assertThatThrownBy(() -> builder(tmp.resolve("out7")).layers(List.of("nope")).run())
                .isInstanceOf(JdissectException.class)
                .hasMessageContaining("nope").hasMessageContaining("pool").hasMessageContaining("detect_relu");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThatThrownBy(() -> builder(tmp.resolve("o")).quantile(1.5).run())
                .isInstanceOf(JdissectException.class).hasMessageContaining("--quantile")
                .extracting(e -> ((JdissectException) e).exitCode()).isEqualTo(2);
        assertThatThrownBy(() -> builder(tmp.resolve("o")).categories(List.of("smell")).run())
                .isInstanceOf(JdissectException.class).hasMessageContaining("smell").hasMessageContaining("color");
    }

    // ---------------------------------------------------------------- --precision fp32
    // On ColourWorld's hand-weighted detectors, whose activations tie often (half precision moves 8 of their 10
    // thresholds here), fp32 thresholds and counts equal a float64 reference over the model's own fp32 activations,
    // computed without the pipeline: the model run batch by batch, the values sorted in double, BRODEN.md's tally
    // written plainly.

    /** The model's activations of each layer for these dataset rows, in batches of 7 as the pipeline runs them. */
    private static List<float[]> modelActivations(List<Integer> rows) {
        BrodenDataset ds = BrodenDataset.open(data, List.of(), false);
        int per = PRE.valuesPerImage();
        List<float[]> out = new ArrayList<>();
        try (OnnxModel m = OnnxModel.load(model); var runner = m.runner(LAYERS, PRE, 1)) {
            for (int l = 0; l < LAYERS.size(); l++) {
                out.add(new float[rows.size() * runner.layers().get(l).valuesPerImage()]);
            }
            for (int first = 0; first < rows.size(); first += 7) {
                int n = Math.min(7, rows.size() - first);
                float[] batch = new float[n * per];
                for (int i = 0; i < n; i++) {
                    PRE.apply(ds.readImage(rows.get(first + i)), batch, i * per);
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
