package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdissect.demo.Demo;
import org.jdissect.demo.DemoModels;
import org.jdissect.intervene.CurveRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MODELS.md's classifier curves, reproduced from today's code on a fresh world drawn like the training world
 * ({@code synth --world-version 1}, another seed): removing each class's top 12 {@code conv5} units brings the class
 * to chance, keeping only them keeps its balanced accuracy. 550 images (the figure is for 1,650; MODELS.md
 * has both) keep this to seconds; measured at 550: all 11 at 0.50 removed, 0.88 to 1.00 kept. The bounds are the
 * issue's (8 of 11 each way), so a change to the world, the model, the ranking or the scoring that weakens the
 * effect fails here.
 */
class AblationWorldTest {
    @TempDir
    static Path tmp;
    static Path world;
    static Path models;

    @BeforeAll
    static void drawTheWorld() {
        models = DemoModels.locate(Demo.MODEL);
        world = tmp.resolve("world");
        CliTest.Run r = CliTest.run("synth", "--out", world.toString(), "--images", "550", "--size", "128", "--seed",
                "7", "--world-version", "1", "-q");
        assertThat(r.code()).as(r.err()).isZero();
    }

    static List<Double> balancedAccuracies(String replace, String side) throws Exception {
        Path out = tmp.resolve("curve-" + replace);
        CliTest.Run r = CliTest.run("ablate", "--model", models.resolve(Demo.MODEL).toString(), "--layer", "conv5",
                "--data", world.toString(), "--mode", "curve", "--classes",
                models.resolve("scene_cnn_classes.csv").toString(), "--size", "64", "--mean", "0.5,0.5,0.5",
                "--std", "0.5,0.5,0.5", "--n", "12", "--replace", replace, "--out", out.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode curves = new ObjectMapper().readTree(out.resolve(CurveRecord.FILE).toFile()).get("curves");
        List<Double> values = new ArrayList<>();
        for (JsonNode c : curves) {
            JsonNode point = c.get(side).get(0);
            assertThat(point.get("n").asInt()).isEqualTo(12);
            values.add(point.get("balanced_accuracy").get("value").asDouble());
        }
        assertThat(values).hasSize(11);
        return values;
    }

    @Test
    void removingEachClasssTop12UnitsBringsItToChance() throws Exception {
        List<Double> removed = balancedAccuracies("zero", "removed");
        assertThat(removed.stream().filter(v -> Math.abs(v - 0.5) < 0.005).count()).as("classes at chance: " + removed)
                .isGreaterThanOrEqualTo(8);
    }

    @Test
    void keepingOnlyThemKeepsTheBalancedAccuracy() throws Exception {
        List<Double> kept = balancedAccuracies("mean", "kept");
        assertThat(kept.stream().filter(v -> v >= 0.85).count()).as("classes at 0.85 or more: " + kept)
                .isGreaterThanOrEqualTo(8);
    }

    /**
     * A fully connected layer (N x C, here the classifier's logits) dissected as one value per unit and image: each
     * class's logit is labelled with that class's scene, as it should be; and the pooled layer before it (N x 128)
     * ablates like a map layer.
     */
    @Test
    void theLogitsOfAFullyConnectedLayerAreLabelledWithTheirOwnClasses() throws Exception {
        Path out = tmp.resolve("logits");
        CliTest.Run r = CliTest.run("dissect", "--model", models.resolve(Demo.MODEL).toString(), "--data",
                world.toString(), "--layer", "logits", "--size", "64", "--mean", "0.5,0.5,0.5", "--std",
                "0.5,0.5,0.5", "--categories", "scene", "--quantile", "0.05", "--out", out.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(models.resolve("scene_cnn_classes.csv"))) {
            if (!line.isBlank() && !line.startsWith("class,")) {
                classes.add(line.split(",")[0]);
            }
        }
        JsonNode units = new ObjectMapper().readTree(out.resolve("logits/report.json").toFile()).get("units");
        assertThat(units).hasSize(11);
        List<String> wrong = new ArrayList<>();
        for (JsonNode u : units) {
            String want = classes.get(u.get("unit").asInt() - 1);
            if (!u.get("label").asText().equals(want)) {
                wrong.add(u.get("unit").asInt() + ": " + u.get("label").asText() + " for " + want);
            }
        }
        assertThat(wrong).as("logits labelled with another class").hasSizeLessThanOrEqualTo(1);
        r = CliTest.run("ablate", "--model", models.resolve(Demo.MODEL).toString(), "--layer", "/ReduceMean_output_0",
                "--data", world.toString(), "--mode", "units", "--units", "1,2", "--classes",
                models.resolve("scene_cnn_classes.csv").toString(), "--size", "64", "--mean", "0.5,0.5,0.5", "--std",
                "0.5,0.5,0.5", "--out", tmp.resolve("pooled").toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(tmp.resolve("pooled/units.json")).isRegularFile();
    }
}
