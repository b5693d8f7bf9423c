package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.jdissect.demo.ColourWorld;
import org.jdissect.intervene.ColourGan;
import org.jdissect.intervene.KnownUnitsFixture;
import org.jdissect.io.Hashing;
import org.jdissect.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON output of every command carries the provenance record: the tool and its build, when, the exact
 * command line, each model by the sha256 of its bytes (checked here against the file), the dataset's fingerprint
 * where there is one, the seeds, the backend, where the models ran, and the versions of Java and ONNX Runtime.
 */
class ProvenanceTest {
    @TempDir
    static Path tmp;
    static Instant start;

    @BeforeAll
    static void start() {
        start = Instant.now().minusSeconds(1);
    }

    /** Runs a command, expects success, and returns its arguments as the provenance must record them. */
    private static List<String> run(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        List<String> command = new ArrayList<>(List.of("jdissect"));
        command.addAll(List.of(args));
        return command;
    }

    private static JsonNode check(Path json, List<String> command, List<String> roles, List<Path> models) {
        assertThat(json).as("written").isRegularFile();
        JsonNode p = Json.tree(json).path("provenance");
        assertThat(p.isObject()).as(json + " has a provenance").isTrue();
        assertThat(p.path("tool").asText()).isEqualTo("jdissect");
        assertThat(p.path("version").asText()).isNotBlank().doesNotContain("${");
        assertThat(p.path("commit").asText()).isNotBlank();
        Instant created = Instant.parse(p.path("created").asText());
        assertThat(Duration.between(start, created)).isPositive().isLessThan(Duration.ofMinutes(10));
        List<String> recorded = new ArrayList<>();
        p.path("command").forEach(a -> recorded.add(a.asText()));
        assertThat(recorded).isEqualTo(command);
        assertThat(p.path("models")).hasSize(roles.size());
        for (int i = 0; i < roles.size(); i++) {
            JsonNode m = p.path("models").get(i);
            assertThat(m.path("role").asText()).isEqualTo(roles.get(i));
            assertThat(m.path("sha256").asText()).isEqualTo(Hashing.sha256(models.get(i)));
            assertThat(m.path("path").asText()).isEqualTo(models.get(i).toString());
        }
        assertThat(p.path("backend").asText()).startsWith("cpu");
        assertThat(p.path("inference").asText()).isEqualTo("cpu");
        assertThat(p.path("versions").path("java").asText()).contains(Runtime.version().toString());
        assertThat(p.path("versions").path("onnxruntime").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        return p;
    }

    @Test
    void dissectAndItsImageFolderProbe() throws Exception {
        Path world = ColourWorld.writeDataset(tmp.resolve("world"), 20, 3);
        Path model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
        Path out = tmp.resolve("dissect");
        List<String> command = run("dissect", "--model", model.toString(), "--data", world.toString(), "--out",
                out.toString(), "--layer", "pool", "--size", "32", "--mean", "0", "--std", "1", "-q");
        JsonNode p = check(out.resolve("pool/report.json"), command, List.of("model"), List.of(model));
        assertThat(p.path("models").get(0).path("preprocessing").path("height").asInt()).isEqualTo(32);
        assertThat(p.path("dataset").path("kind").asText()).isEqualTo("broden");
        assertThat(p.path("dataset").path("fingerprint").asText())
                .isEqualTo(org.jdissect.data.BrodenDataset.open(world, List.of(), false).fingerprint());

        Path seg = ColourGan.segmenter(tmp.resolve("seg.onnx"));
        Path labels = ColourGan.labels(tmp.resolve("seg_labels.txt"));
        Path images = Files.createDirectories(tmp.resolve("images"));
        Files.copy(world.resolve("images/cw/0000.png"), images.resolve("a.png"));
        Files.copy(world.resolve("images/cw/0001.png"), images.resolve("b.png"));
        Path segOut = tmp.resolve("segmented");
        command = run("dissect", "--model", model.toString(), "--images", images.toString(), "--segmenter",
                seg.toString(), "--seg-labels", labels.toString(), "--seg-size", "16", "--out", segOut.toString(),
                "--layer", "pool", "--size", "32", "--mean", "0", "--std", "1", "--quantile", "0.1", "-q");
        p = check(segOut.resolve("pool/report.json"), command, List.of("model", "segmenter"), List.of(model, seg));
        assertThat(p.path("dataset").path("kind").asText()).isEqualTo("image-folder");

        // compose runs no model: its provenance names the dissection's model and dataset, and no inference
        command = run("compose", "--dissection", out.toString(), "--layer", "pool", "-q");
        JsonNode c = Json.tree(out.resolve("pool/compose.json")).path("provenance");
        List<String> recorded = new ArrayList<>();
        c.path("command").forEach(a -> recorded.add(a.asText()));
        assertThat(recorded).isEqualTo(command);
        assertThat(c.path("tool").asText()).isEqualTo("jdissect");
        assertThat(c.path("commit").asText()).isNotBlank();
        assertThat(Duration.between(start, Instant.parse(c.path("created").asText()))).isPositive();
        assertThat(c.path("models").get(0).path("sha256").asText()).isEqualTo(Hashing.sha256(model));
        assertThat(c.path("dataset").path("fingerprint").asText())
                .isEqualTo(org.jdissect.data.BrodenDataset.open(world, List.of(), false).fingerprint());
        assertThat(c.path("backend").asText()).startsWith("cpu");
        assertThat(c.has("inference")).isFalse();
        // a dissection of segmented images has no Broden labels to compose: one line
        CliTest.Run r = CliTest.run("compose", "--dissection", segOut.toString(), "--layer", "pool", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("a dissection of segmented images, not of a Broden dataset")
                .doesNotContain("\n");
    }

    @Test
    void ganDissectEditAndEffect() throws Exception {
        Path gen = ColourGan.generator(tmp.resolve("gen.onnx"));
        Path seg = ColourGan.segmenter(tmp.resolve("seg2.onnx"));
        Path labels = ColourGan.labels(tmp.resolve("labels2.txt"));
        Path d = tmp.resolve("gan");
        List<String> command = run("gan-dissect", "--generator", gen.toString(), "--layer", "feat", "--segmenter",
                seg.toString(), "--seg-labels", labels.toString(), "--seg-mean", "0.5,0.5,0.5", "--samples", "32",
                "--quantile", "0.3", "--seed", "7", "--out", d.toString(), "-q");
        JsonNode p = check(d.resolve("feat/report.json"), command, List.of("generator", "segmenter"),
                List.of(gen, seg));
        assertThat(p.path("seeds").path("latents").asLong()).isEqualTo(7);
        assertThat(p.has("dataset")).isFalse();
        assertThat(p.path("models").get(0).has("preprocessing")).as("a generator takes no image").isFalse();

        Path edit = tmp.resolve("edit");
        command = run("gan-edit", "--generator", gen.toString(), "--layer", "feat", "--units", "1", "--samples", "2",
                "--seed", "7", "--out", edit.toString());
        p = check(edit.resolve("edit.json"), command, List.of("generator"), List.of(gen));
        assertThat(p.path("seeds").path("latents").asLong()).isEqualTo(7);
        assertThat(Json.tree(edit.resolve("edit.json")).path("kind").asText()).isEqualTo("gan-edit");

        Path effect = tmp.resolve("effect");
        command = run("gan-effect", "--generator", gen.toString(), "--layer", "feat", "--segmenter", seg.toString(),
                "--seg-labels", labels.toString(), "--seg-mean", "0.5,0.5,0.5", "--dissection", d.toString(),
                "--concept", "red", "--top", "1", "--samples", "8", "--seed", "7", "--out", effect.toString(), "-q");
        check(effect.resolve("effect.json"), command, List.of("generator", "segmenter"), List.of(gen, seg));
    }

    @Test
    void ablateEveryModeAndExplain() throws Exception {
        Path model = KnownUnitsFixture.model(tmp.resolve("known.onnx"));
        Path data = KnownUnitsFixture.folder(tmp.resolve("data"), 10, 3);
        Path classes = KnownUnitsFixture.mapping(tmp.resolve("classes.csv"));
        for (String mode : List.of("units", "rank", "curve")) {
            Path out = tmp.resolve("ablate-" + mode);
            List<String> args = new ArrayList<>(List.of("ablate", "--model", model.toString(), "--layer", "units",
                    "--data", data.toString(), "--classes", classes.toString(), "--out", out.toString(), "--size",
                    "8", "--mean", "0", "--std", "1", "-q", "--mode", mode));
            if (mode.equals("units")) {
                args.addAll(List.of("--units", "1"));
            }
            List<String> command = run(args.toArray(String[]::new));
            JsonNode p = check(out.resolve(mode + ".json"), command, List.of("model"), List.of(model));
            assertThat(p.path("dataset").path("kind").asText()).isEqualTo("class-folders");
            assertThat(p.path("dataset").path("fingerprint").asText()).hasSize(16);
            if (mode.equals("curve")) {
                check(out.resolve("rank.json"), command, List.of("model"), List.of(model));
            }
        }
        // explain against a dissection of the same model
        Path dissection = tmp.resolve("known-dissection");
        Path world = KnownUnitsFixture.broden(tmp.resolve("known-broden"), 8, 2);
        run("dissect", "--model", model.toString(), "--data", world.toString(), "--out", dissection.toString(),
                "--layer", "units", "--size", "8", "--mean", "0", "--std", "1", "-q");
        Path out = tmp.resolve("explain");
        List<String> command = run("explain", "--model", model.toString(), "--layer", "units", "--image",
                data.resolve("red/00.png").toString(), "--dissection", dissection.toString(), "--size", "8",
                "--mean", "0", "--std", "1", "--out", out.toString());
        check(out.resolve("explain.json"), command, List.of("model"), List.of(model));

        // without preprocessing options, the dissection's recorded ones: the same explanation as with them given
        CliTest.Run given = CliTest.run("explain", "--model", model.toString(), "--layer", "units", "--image",
                data.resolve("red/00.png").toString(), "--dissection", dissection.toString(), "--size", "8", "--mean",
                "0", "--std", "1");
        CliTest.Run r = CliTest.run("explain", "--model", model.toString(), "--layer", "units", "--image",
                data.resolve("red/00.png").toString(), "--dissection", dissection.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("preprocessing as the dissection recorded it: Preprocessing[8x8");
        assertThat(r.out()).isEqualTo(given.out());
        CliTest.Run imagenet = CliTest.run("explain", "--model", model.toString(), "--layer", "units", "--image",
                data.resolve("red/00.png").toString(), "--dissection", dissection.toString(), "--size", "8",
                "--mean", "0.485,0.456,0.406", "--std", "0.229,0.224,0.225");
        assertThat(imagenet.err()).contains("not as the dissection recorded");
        Path other = KnownUnitsFixture.model(tmp.resolve("other/known.onnx"));
        java.nio.file.Files.write(other, java.nio.file.Files.readAllBytes(other), java.nio.file.StandardOpenOption.APPEND);
        r = CliTest.run("explain", "--model", other.toString(), "--layer", "units", "--image",
                data.resolve("red/00.png").toString(), "--dissection", dissection.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is of another model").doesNotContain("\tat ");
    }
}
