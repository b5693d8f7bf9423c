package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.demo.ColourWorld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end: outputs, exit codes, and one clear message (no stack trace) for each user error. */
class CliTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void world() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 30, 7);
        model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int code = JdissectCommand.execute(o, e, args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String[] dissect(Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("dissect", "--model", model.toString(), "--data",
                data.toString(), "--out", out.toString(), "--size", "32", "--mean", "0", "--std", "1",
                "--quantile", "0.02", "-q"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void dissectPrintsTheLayerTableAndWritesTheFiles() {
        Path out = tmp.resolve("ok");
        Run r = run(dissect(out, "--layer", "pool", "--layer", "detect_relu"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer", "interp.", "pool", "detect_relu", "red", "green", "blue");
        assertThat(out.resolve("pool/tally.csv")).exists();
        assertThat(out.resolve("detect_relu/report.json")).exists();
    }

    /** The library's jar has no Spark in it: --spark names what to put on the class path, in one line. */
    @Test
    void sparkWithoutTheSparkModuleSaysHowToGetIt() {
        Path out = tmp.resolve("no-spark");
        Run r = run(dissect(out, "--layer", "pool", "--spark", "local[2]"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("jdissect: " + org.jdissect.dissect.ClusterDissection.HOW);
        assertThat(out).doesNotExist();
        r = run(dissect(out, "--layer", "pool", "--spark", "local[2]", "--device", "cuda"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("jdissect: --device cuda: a --spark job computes its statistics");
        r = run(dissect(out, "--layer", "pool", "--models", "a.onnx,b.onnx", "--spark", "local[2]"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("jdissect: give the network: --model M.onnx, or --models");
        r = run("dissect", "--models", "a.onnx,b.onnx", "--layer", "pool", "--data", data.toString(), "--out",
                out.toString(), "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("jdissect: --models runs a campaign as a Spark job");
    }

    @Test
    void layersListsNamesOpsAndShapes() {
        Run r = run("layers", "--model", model.toString(), "--size", "32");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("detect_relu", "Relu", "5 x 32 x 32", "pool", "AveragePool", "5 x 8 x 8");
    }

    @Test
    void unknownLayerNamesTheValidOnes() {
        Run r = run(dissect(tmp.resolve("x1"), "--layer", "conv9"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("conv9", "pool", "detect_relu").doesNotContain("\tat ");
        // the layer is checked before the statistics backend is chosen, so no device line comes first
        assertThat(r.err().strip().lines()).singleElement();
        r = run(dissect(tmp.resolve("x1"), "--layer", "pool", "--categories", "colour"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown category 'colour'", "valid categories");
    }

    @Test
    void missingAndNonOnnxModelFiles() throws Exception {
        Run r = run("layers", "--model", tmp.resolve("nope.onnx").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope.onnx").doesNotContain("\tat ");
        Path text = Files.writeString(tmp.resolve("notes.onnx"), "this is not a model");
        r = run("layers", "--model", text.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("notes.onnx").doesNotContain("\tat ");
    }

    @Test
    void fp32PrecisionIsRecordedAndItsCacheHoldsFloats() throws Exception {
        Path out = tmp.resolve("fp32");
        Run r = run(dissect(out, "--layer", "pool", "--precision", "fp32"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("pool/report.json"))).contains("\"precision\" : \"fp32\"");
        assertThat(out.resolve("cache/pool.f32")).isRegularFile();
    }

    @Test
    void badUsageExitsWithTwo() {
        Run r = run(dissect(tmp.resolve("x2"), "--layer", "pool", "--quantile", "2"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--quantile");
        r = run(dissect(tmp.resolve("x3"), "--layer", "pool", "--memory", "lots"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--memory", "lots");
        r = run(dissect(tmp.resolve("bad-precision"), "--layer", "pool", "--precision", "fp64"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("jdissect: --precision must be fp16 or fp32, got 'fp64'");
        assertThat(tmp.resolve("bad-precision")).doesNotExist();
        r = run("dissect", "--model", model.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option");
        Path missing = tmp.resolve("no-such-dataset");
        r = run("dissect", "--model", model.toString(), "--data", missing.toString(), "--layer", "pool", "--out",
                tmp.resolve("no-dataset-out").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("jdissect: --data " + missing + ": no such folder (a Broden dataset: "
                + "index.csv, label.csv and the images)");
        assertThat(tmp.resolve("no-dataset-out")).doesNotExist();
    }

    @Test
    void wrongInputSizeIsNamed() {
        Run r = run("dissect", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("x4").toString(), "--layer", "pool", "--size", "48", "-q");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("48").doesNotContain("\tat ");
    }

    @Test
    void corruptImageStopsTheRunOrIsSkippedAndCounted() throws Exception {
        Path copy = tmp.resolve("corrupt");
        ColourWorld.writeDataset(copy, 12, 7);
        List<String> index = Files.readAllLines(copy.resolve("index.csv"));
        String image = index.get(3).split(",")[0];
        Files.write(copy.resolve("images").resolve(image), new byte[] {1, 2, 3, 4});
        String[] base = {"dissect", "--model", model.toString(), "--data", copy.toString(), "--size", "32",
            "--mean", "0", "--std", "1", "--layer", "pool", "-q", "--out"};
        Run r = run(concat(base, tmp.resolve("x5").toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(image).contains("line 4").doesNotContain("\tat ");

        r = run(concat(base, tmp.resolve("x6").toString(), "--skip-bad"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("11 images (1 skipped)");
        assertThat(r.err()).contains("skipped:", image);
    }

    /**
     * The commands are made on demand under their names: each name is its command's own, a run of one command builds
     * that one alone, and the usage, help and a misspelt command (which wants suggestions) build them all.
     */
    @Test
    void commandsAreBuiltUnderTheirOwnNamesAndOnlyWhenNeeded() {
        for (var c : JdissectCommand.COMMANDS.entrySet()) {
            assertThat(new picocli.CommandLine(c.getValue().get()).getCommandName()).isEqualTo(c.getKey());
            if (!c.getKey().equals("help")) {
                assertThat(JdissectCommand.commandLine(c.getKey()).getSubcommands()).containsOnlyKeys(c.getKey());
            }
        }
        for (String first : new String[] {null, "help", "--help", "disect"}) {
            assertThat(JdissectCommand.commandLine(first).getSubcommands().keySet()).as(first)
                    .containsExactlyElementsOf(JdissectCommand.COMMANDS.keySet());
        }
        Run r = run("disect", "--model", "m.onnx");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("dissect"); // picocli's suggestion, from the whole tree
    }

    @Test
    void everyCommandsHelpRendersCleanly() {
        for (String command : JdissectCommand.commandLine().getSubcommands().keySet()) {
            Run r = run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: jdissect " + command);
            assertThat(r.err() + r.out()).as(command).doesNotContain("WARN", "Could not format");
        }
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo", "layers", "dissect");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A second run on an output folder in use stops at once with one line, and writes nothing there. */
    @Test
    void aSecondRunOnAFolderInUseStopsAtOnce() throws Exception {
        Path out = tmp.resolve("busy");
        try (org.jdissect.io.OutputLock held = org.jdissect.io.OutputLock.acquire(out, "jdissect dissect (first)")) {
            Run r = run(dissect(out, "--layer", "pool"));
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip().lines()).singleElement().asString()
                    .contains(out + " is in use by another jdissect run", "jdissect dissect (first)");
            r = run("report", out.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("is in use");
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".jdissect.lock");
        }
        assertThat(run(dissect(out, "--layer", "pool")).code()).isZero();
    }

    /**
     * --tokens: the input's pixels as tokens (N x 1024 x 3, no patch convolution) are a token layer on the 32 x 32 grid
     * with 0:32x32, the input's own colours as units; a layout of another token count, or not S:HxW, is one usage line.
     */
    @Test
    void tokensGivesTheLayoutOfTokenLayersWithoutAPatchEmbedding() {
        Path pixels = org.jdissect.model.OnnxBuilder.imageInput(32, 32)
                .initializerInt64("flat_shape", new long[] {3}, new long[] {0, 3, 1024})
                .node("Reshape", List.of(org.jdissect.model.OnnxBuilder.INPUT, "flat_shape"), "flat")
                .node("Transpose", List.of("flat"), "tokens", org.jdissect.model.OnnxBuilder.ints("perm", 0, 2, 1))
                .output("tokens")
                .save(tmp.resolve("pixel_tokens.onnx"));
        Run r = run("layers", "--model", pixels.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("tokens ");
        r = run("layers", "--model", pixels.toString(), "--tokens", "0:32x32");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tokens", "3 x 32 x 32 (N x 1024 tokens x 3: 1024 patch tokens on the 32 x 32 grid)");
        Path out = tmp.resolve("pixel-tokens");
        List<String> args = new java.util.ArrayList<>(List.of("dissect", "--model", pixels.toString(), "--data",
                data.toString(), "--out", out.toString(), "--mean", "0", "--std", "1", "--quantile", "0.02", "-q",
                "--layer", "tokens"));
        args.addAll(List.of("--tokens", "1:32x32"));
        r = run(args.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).singleElement().asString().contains("layer 'tokens'", "[1, 1024, 3]",
                "--tokens 1:32x32 does not read (1 + 32 x 32 = 1025 tokens)", "S + H x W = 1024", "0:32x32");
        args.set(args.size() - 1, "32x32");
        r = run(args.toArray(String[]::new));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--tokens '32x32' is not valid: expected S:HxW").doesNotContain("\tat ");
        args.set(args.size() - 1, "0:32x32");
        r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tokens", "red", "green", "blue");
    }

    /** Sizes and thread counts a typo makes: one line each, no stack trace, and threads capped at the cores. */
    @Test
    void hugeSizesAreUsageErrorsAndThreadsAreCapped() {
        Run r = run("layers", "--model", model.toString(), "--size", "30000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--size", "30000").doesNotContain("\tat ");
        r = run("layers", "--model", model.toString(), "--size", "32,5000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--size '32,5000' is not valid", "up to 4096").doesNotContain("\tat ");
        r = run(dissect(tmp.resolve("threads"), "--layer", "pool", "--threads", "500"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("--threads 500: this machine gives Java " + Runtime.getRuntime()
                .availableProcessors() + " cores");
    }

    /** Without --size, the size the model declares (this one: 32 x 32); 224 only where it declares none. */
    @Test
    void theInputSizeComesFromTheModel() {
        Run r = run("layers", "--model", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("at 32x32");
        assertThat(org.jdissect.model.DeclaredInput.imageSize(model)).containsExactly(32, 32);
        Path dynamic = org.jdissect.model.OnnxBuilder.symbolicImageInput()
                .conv(org.jdissect.model.OnnxBuilder.INPUT, "c", 1, 3, 1, 1, 0, new float[] {1, 1, 1}, new float[1])
                .output("c").save(tmp.resolve("dynamic.onnx"));
        assertThat(org.jdissect.model.DeclaredInput.imageSize(dynamic)).isNull();
        r = run("layers", "--model", dynamic.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("at 224x224");
    }

    /** A typo gets a suggestion, not the missing option it causes. */
    @Test
    void typosGetSuggestions() {
        Run r = run("dissect", "--layr", "pool", "--model", model.toString(), "--data", data.toString(), "--out",
                tmp.resolve("typo").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'--layr'", "Possible solutions: --layer").doesNotContain("Missing required");
        r = run("disect");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Did you mean: jdissect dissect");
    }
}
