package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.demo.ColourWorld;
import org.jdissect.io.LogCapture;
import org.jdissect.model.Preprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Activations half precision cannot hold: values far below its range (2^-27: underflow would flush them to zero and
 * lose their order), far above it (2^20: overflow), and non-finite ones (NaN from a logarithm of negatives). The cache
 * holds each unit at a power-of-two scale, so a model whose weights are scaled by a power of two dissects to the very
 * same tally; non-finite values are counted, said, and left out.
 */
class NumericsTest {
    static final Preprocessing PRE = DissectionTest.PRE;

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void world() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 40, 5);
    }

    /**
     * ColourWorld's detector with every weight times {@code scale}, and a layer "log", the logarithm of its pooled
     * response before the ReLU: NaN where a cell is mostly not the unit's colour (a negative response), finite (and
     * varied, by coverage and intensity) where it is.
     */
    private static Path model(String name, float scale) {
        return ColourWorld.detector(scale)
                .averagePool("detect", "pool_raw", 4, 4)
                .node("Log", List.of("pool_raw"), "log")
                .output("pool").output("log").save(tmp.resolve(name));
    }

    private static Path dissect(Path model, String layer, String out) {
        return dissect(model, layer, out, 0.02);
    }

    private static Path dissect(Path model, String layer, String out, double quantile) {
        Path dir = tmp.resolve(out);
        Dissection.builder().model(model).data(data).out(dir).layers(List.of(layer)).preprocessing(PRE)
                .quantile(quantile).threads(2).run();
        return dir;
    }

    @Test
    void tinyAndHugeLayersDissectAsTheUnscaledOne() throws Exception {
        Path plain = dissect(model("plain.onnx", 1f), "pool", "plain");
        String tally = Files.readString(plain.resolve("pool/tally.csv"));
        for (float scale : new float[] {0x1p-27f, 0x1p20f}) {
            Path out;
            try (LogCapture log = LogCapture.start()) {
                out = dissect(model("scaled" + scale + ".onnx", scale), "pool", "scaled" + scale);
                assertThat(log.messages()).anyMatch(l -> l.contains("outside half precision's range")
                        && l.contains("cached at a power-of-two scale"));
            }
            assertThat(Files.readString(out.resolve("pool/tally.csv"))).as("scale %s", scale).isEqualTo(tally);
            // the report draws the masks from the scaled cache with the threshold scaled alike: the same pictures
            for (Path d : List.of(plain, out)) {
                org.jdissect.report.HtmlReport.builder(d).extension(org.jdissect.dissect.pages.DissectionPages.of(d))
                        .threads(2).write();
            }
            try (var sprites = Files.walk(plain.resolve("report/img"))) {
                List<Path> masks = sprites.filter(p -> p.getFileName().toString().matches("m\\d+\\.png")).toList();
                assertThat(masks).isNotEmpty();
                for (Path m : masks) {
                    assertThat(Files.readAllBytes(out.resolve("report/img").resolve(plain.resolve("report/img")
                            .relativize(m)))).as("%s at scale %s", m.getFileName(), scale)
                            .isEqualTo(Files.readAllBytes(m));
                }
            }
            LayerRecord a = LayerRecord.read(plain.resolve("pool"));
            LayerRecord b = LayerRecord.read(out.resolve("pool"));
            for (int u = 0; u < 5; u++) {
                assertThat(b.units().get(u).threshold()).as("unit %d's threshold in the model's units", u + 1)
                        .isEqualTo(a.units().get(u).threshold() * scale);
                assertThat(b.units().get(u).label()).isEqualTo(a.units().get(u).label());
            }
        }
    }

    @Test
    void nonFiniteActivationsAreCountedSaidAndLeftOut() throws Exception {
        Path model = model("log.onnx", 1f);
        Path out;
        try (LogCapture log = LogCapture.start()) {
            // only about 4% of each unit's values are finite here: the quantile is taken among those
            out = dissect(model, "log", "log", 0.3);
            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARNING log: ")
                    && l.contains("non-finite activations") && l.contains("left out"));
        }
        LayerRecord r = LayerRecord.read(out.resolve("log"));
        // the colour detectors' logarithms: NaN where the colour is absent, finite on it
        for (int u = 0; u < 3; u++) {
            LayerRecord.Unit unit = r.units().get(u);
            assertThat(unit.nonFinite()).as("unit %d", u + 1).isPositive();
            assertThat(Float.isFinite(unit.threshold())).isTrue();
            assertThat(unit.label()).isEqualTo(List.of("red", "green", "blue").get(u));
            assertThat(unit.iou()).isPositive();
        }
        assertThat(Files.readString(out.resolve("log/report.json"))).doesNotContain("NaN").contains("\"non_finite\"");
        // a layer without non-finite values writes no such field: report.json's units are what they were
        Path plain = dissect(model, "pool", "plain2");
        assertThat(Files.readString(plain.resolve("pool/report.json"))).doesNotContain("non_finite");
    }
}
