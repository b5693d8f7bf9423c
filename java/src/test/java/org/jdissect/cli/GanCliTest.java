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
        assertThat(Files.readString(out.resolve("insertion.csv"))).contains("context,trials,successes");
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
