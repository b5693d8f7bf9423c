package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.intervene.ColourGan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gan-dissect, gan-edit and gan-effect end to end on a generator whose units draw known colours. */
class GanCliTest {
    @TempDir
    static Path tmp;
    static String gen;
    static String seg;
    static String labels;
    static Path dissection;

    @BeforeAll
    static void dissect() throws Exception {
        gen = ColourGan.generator(tmp.resolve("gen.onnx")).toString();
        seg = ColourGan.segmenter(tmp.resolve("seg.onnx")).toString();
        labels = ColourGan.labels(tmp.resolve("labels.txt")).toString();
        dissection = tmp.resolve("d");
        CliTest.Run r = CliTest.run("gan-dissect", "--generator", gen, "--layer", "feat", "--segmenter", seg,
                "--seg-labels", labels, "--seg-mean", "0.5,0.5,0.5", "--samples", "64", "--quantile", "0.3",
                "--out", dissection.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("feat", "red", "green", "blue");
    }

    @Test
    void editAblatesByUnitsAndInsertsByConcept() throws Exception {
        Path out = tmp.resolve("edit");
        CliTest.Run r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--units", "1", "--samples",
                "3", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("edit.png")).exists();
        assertThat(out.resolve("after_2.png")).exists();

        Path ins = tmp.resolve("insert");
        r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--concept", "green", "--top", "1",
                "--mode", "insert", "--region", "0,0,8,8", "--dissection", dissection.toString(), "--out",
                ins.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(ins.resolve("edit.json").toFile());
        assertThat(json.at("/units/0").asInt()).isEqualTo(2);
        assertThat(json.at("/insert_values/0").asDouble()).isPositive();
    }

    @Test
    void effectMeasuresRemovalAndInsertionByContext() throws Exception {
        Path out = tmp.resolve("effect");
        CliTest.Run r = CliTest.run("gan-effect", "--generator", gen, "--layer", "feat", "--segmenter", seg,
                "--seg-labels", labels, "--seg-mean", "0.5,0.5,0.5", "--dissection", dissection.toString(),
                "--concept", "red", "--top", "1", "--samples", "16", "--out", out.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("100.0% of its pixels removed");
        assertThat(Files.readAllLines(out.resolve("removal.csv")).get(1)).startsWith("1,");
        assertThat(Files.readString(out.resolve("insertion.csv")))
                .contains("context,trials,successes,success_rate,success_lo,success_hi");
        checkBaseline(out, 1);
    }

    /**
     * The random-units baseline is measured, not assumed: its units are the seed's shuffle of the layer, and (known
     * answer) only unit 1 of {@link ColourGan} draws red, so as many random units remove red and make it appear
     * only where unit 1 is among them; each insertion rate has its 95% Wilson interval, computed here from the
     * counts by the formula.
     */
    static void checkBaseline(Path out, int top) throws Exception {
        com.fasterxml.jackson.databind.JsonNode e = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("effect.json").toFile());
        assertThat(e.path("format").asInt()).isEqualTo(2);
        com.fasterxml.jackson.databind.JsonNode base = e.path("baseline");
        assertThat(base.path("kind").asText()).isEqualTo("random units");
        assertThat(base.path("units").size()).isEqualTo(top);
        java.util.List<Integer> units = new java.util.ArrayList<>();
        base.path("units").forEach(u -> units.add(u.asInt()));
        assertThat(units).allMatch(u -> u >= 1 && u <= 4).doesNotHaveDuplicates();
        boolean red = units.contains(1);
        assertThat(base.path("removal").size()).isEqualTo(e.path("removal").size());
        double removed = base.at("/removal/" + (top == 1 ? 0 : base.path("removal").size() - 1) + "/removed_share")
                .asDouble();
        if (red) {
            assertThat(removed).isGreaterThan(0.9);
        } else {
            assertThat(removed).isLessThan(0.1);
        }
        long successes = 0;
        for (var c : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                () -> base.at("/insertion/by_context").fields()) {
            successes += c.getValue().get(1).asLong();
            // the same trials as the top units': the same samples and locations, contexts from before the edit
            assertThat(e.at("/insertion/by_context/" + c.getKey() + "/0").asLong()).isEqualTo(c.getValue().get(0).asLong());
        }
        assertThat(successes > 0).as("random units " + units + " insert red").isEqualTo(red);
        for (var ins : java.util.List.of(e.path("insertion"), base.path("insertion"))) {
            for (var c : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                    () -> ins.path("by_context").fields()) {
                long n = c.getValue().get(0).asLong();
                long k = c.getValue().get(1).asLong();
                double z = 1.959963984540054;
                double p = (double) k / n;
                double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
                double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
                var interval = ins.path("intervals").path(c.getKey());
                assertThat(interval.path("value").asDouble()).isEqualTo(p);
                assertThat(interval.path("lo").asDouble()).isCloseTo(k == 0 ? 0 : centre - half,
                        org.assertj.core.api.Assertions.within(1e-9));
                assertThat(interval.path("hi").asDouble()).isCloseTo(k == n ? 1 : centre + half,
                        org.assertj.core.api.Assertions.within(1e-9));
            }
        }
        assertThat(out.resolve("removal_random.csv")).isRegularFile();
        assertThat(out.resolve("insertion_random.csv")).isRegularFile();
    }

    /** Two seeds draw their own random units, the same seed the same ones; {@code --baseline none} measures none. */
    @Test
    void theBaselineIsSeededAndCanBeLeftOut() throws Exception {
        java.util.List<String> drawn = new java.util.ArrayList<>();
        for (String seed : java.util.List.of("1", "2", "1")) {
            Path out = tmp.resolve("baseline-" + drawn.size());
            CliTest.Run r = CliTest.run("gan-effect", "--generator", gen, "--layer", "feat", "--segmenter", seg,
                    "--seg-labels", labels, "--seg-mean", "0.5,0.5,0.5", "--dissection", dissection.toString(),
                    "--concept", "red", "--top", "3", "--samples", "4", "--seed", seed, "--mode", "ablate",
                    "--out", out.toString(), "-q");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("[random: ");
            checkRemovalBaseline(out);
            drawn.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("effect.json").toFile())
                    .at("/baseline/units").toString());
        }
        assertThat(drawn.get(2)).isEqualTo(drawn.get(0));
        Path out = tmp.resolve("no-baseline");
        CliTest.Run r = CliTest.run("gan-effect", "--generator", gen, "--layer", "feat", "--segmenter", seg,
                "--seg-labels", labels, "--seg-mean", "0.5,0.5,0.5", "--dissection", dissection.toString(),
                "--concept", "red", "--top", "1", "--samples", "4", "--mode", "ablate", "--baseline", "none",
                "--out", out.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("random");
        assertThat(Files.readString(out.resolve("effect.json"))).doesNotContain("\"baseline\"");
        assertThat(out.resolve("removal_random.csv")).doesNotExist();
        r = CliTest.run("gan-effect", "--generator", gen, "--layer", "feat", "--segmenter", seg, "--seg-labels",
                labels, "--dissection", dissection.toString(), "--concept", "red", "--baseline", "shuffled", "--out",
                tmp.resolve("bad-baseline").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--baseline must be random or none");
    }

    /** Known answer for removal alone: as many random units remove red as far as unit 1 is among the first k. */
    static void checkRemovalBaseline(Path out) throws Exception {
        var e = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("effect.json").toFile());
        var base = e.path("baseline");
        assertThat(base.path("removal").size()).isEqualTo(e.path("removal").size());
        for (var point : base.path("removal")) {
            int k = point.path("units").asInt();
            boolean red = false;
            for (int i = 0; i < k; i++) {
                red |= base.at("/units/" + i).asInt() == 1;
            }
            assertThat(point.path("removed_share").asDouble()).as(k + " of " + base.path("units"))
                    .isGreaterThan(red ? 0.9 : -1).isLessThan(red ? 2 : 0.1);
        }
    }

    @Test
    void clearErrors() {
        CliTest.Run r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--concept", "red", "--out",
                tmp.resolve("x").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--dissection");
        r = CliTest.run("gan-effect", "--generator", gen, "--layer", "feat", "--segmenter", seg, "--seg-labels",
                labels, "--dissection", dissection.toString(), "--concept", "purple", "--out",
                tmp.resolve("y").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("purple", "red", "green", "blue");
        r = CliTest.run("gan-dissect", "--generator", seg, "--layer", "scores", "--segmenter", seg, "--seg-labels",
                labels, "--out", tmp.resolve("z").toString(), "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    /** A region beyond the image is refused (it would edit nothing); units named twice or beyond the layer too. */
    @Test
    void editsThatWouldChangeNothingAreRefused() {
        CliTest.Run r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--units", "1", "--region",
                "100,100,200,200", "--out", tmp.resolve("far").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--region 100,100,200,200 reaches beyond the generated image, 16 x 16");
        r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--units", "3,3", "--out",
                tmp.resolve("twice").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unit 3 is named twice");
        r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--units", "9", "--out",
                tmp.resolve("beyond").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unit 9 outside 1..4");
        r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--concept", "red", "--top", "1000",
                "--dissection", dissection.toString(), "--out", tmp.resolve("top").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--top 1000: layer feat has 4 units");
    }

    /** Samples are edited a batch at a time; the grid shows the first 32, every sample has its pictures. */
    @Test
    void manySamplesAreEditedInBatches() throws Exception {
        Path out = tmp.resolve("many");
        CliTest.Run r = CliTest.run("gan-edit", "--generator", gen, "--layer", "feat", "--units", "1", "--samples",
                "40", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("after_39.png")).exists();
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(out.resolve("edit.png").toFile());
        assertThat(grid.getWidth()).isEqualTo(32 * (16 + 2));
    }
}
