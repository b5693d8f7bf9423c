package org.jdissect.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jdissect.dissect.LayerRecord;
import org.jdissect.dissect.Summary;
import org.jdissect.intervene.KnownUnitsFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ablate and explain end to end, and one clear message for each user error. */
class InterveneCliTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path data;
    static Path classes;
    static Path dissection;

    @BeforeAll
    static void world() throws Exception {
        model = KnownUnitsFixture.model(tmp.resolve("known.onnx"));
        data = KnownUnitsFixture.folder(tmp.resolve("data"), 10, 3);
        classes = KnownUnitsFixture.mapping(tmp.resolve("classes.csv"));
        dissection = tmp.resolve("dissection");
        Path layerDir = Files.createDirectories(dissection.resolve("units"));
        String[] labels = {"red", "green", "blue", "bright", "everything", "reddish"};
        List<LayerRecord.Unit> units = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            units.add(new LayerRecord.Unit(u + 1, labels[u], "color", (5 - u % 5) / 10.0, u < 3, 0.2f, 0, 0,
                    java.util.Map.of(), List.of()));
        }
        new LayerRecord("jdissect", LayerRecord.KIND, LayerRecord.FORMAT, null,
                new LayerRecord.Layer("units", "Relu", 6, 1, 1),
                new LayerRecord.Source.Broden(data.toString(), "0", 0, 0, false),
                Summary.of(List.of(), List.of("color"), 0.04),
                new LayerRecord.Settings(List.of("color"), 0.005, "", "", 0.04, 0, "cpu", "fp16"), java.util.Map.of(), units)
                .write(layerDir);
    }

    static String[] ablate(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("ablate", "--model", model.toString(), "--layer", "units",
                "--data", data.toString(), "--classes", classes.toString(), "--out", out.toString(), "--size", "8",
                "--mean", "0", "--std", "1", "-q", "--threads", "1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void unitsModePrintsAndWrites() {
        Path out = tmp.resolve("units");
        CliTest.Run r = CliTest.run(ablate(out, "--mode", "units", "--units", "1"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("red", "1.000", "0.500");
        assertThat(out.resolve("units.csv")).exists();
        assertThat(out.resolve("units.json")).exists();
    }

    @Test
    void ablationsRunOnTheCpuByDefaultAndCudaWithoutAGpuIsOneLine() {
        CliTest.Run r = CliTest.run(ablate(tmp.resolve("default-device"), "--mode", "units", "--units", "1"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("GPU");
        String problem = org.jdissect.cuda.Devices.cudaProblem();
        org.junit.jupiter.api.Assumptions.assumeTrue(problem != null, "a GPU is usable here");
        CliTest.Run cuda = CliTest.run(ablate(tmp.resolve("cuda"), "--mode", "units", "--units", "1", "--device",
                "cuda"));
        assertThat(cuda.code()).isEqualTo(2);
        assertThat(cuda.err()).contains("--device cuda: no usable GPU: " + problem).doesNotContain("\tat ");
    }

    @Test
    void curveModeWritesRankAndCurve() {
        Path out = tmp.resolve("curve");
        CliTest.Run r = CliTest.run(ablate(out, "--mode", "curve", "--class", "green", "--n", "1,2"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("green", "top-N removed");
        assertThat(out.resolve("rank.csv")).exists();
        assertThat(out.resolve("curve.json")).exists();
    }

    @Test
    void unknownClassNameListsTheClasses() {
        CliTest.Run r = CliTest.run(ablate(tmp.resolve("x"), "--mode", "curve", "--class", "purple"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown class 'purple'", "blue, green, red").doesNotContain("Exception");
        assertThat(r.err().lines().filter(l -> l.startsWith("jdissect:")).count()).isEqualTo(1);
    }

    @Test
    void badModeNamesTheValidOnes() {
        CliTest.Run r = CliTest.run(ablate(tmp.resolve("x"), "--mode", "everything"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--mode", "units", "rank", "curve").doesNotContain("Exception");
    }

    @Test
    void unitsModeWithoutUnitsIsAUsageError() {
        CliTest.Run r = CliTest.run(ablate(tmp.resolve("x"), "--mode", "units"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--units");
    }

    @Test
    void explainNamesTheDecisiveUnit() throws Exception {
        Path img = tmp.resolve("data/red/00.png");
        Path out = tmp.resolve("explain");
        CliTest.Run r = CliTest.run("explain", "--model", model.toString(), "--layer", "units", "--image",
                img.toString(), "--dissection", dissection.toString(), "--classes", classes.toString(), "--size", "8",
                "--mean", "0", "--std", "1", "--out", out.toString(), "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("predicted red");
        // unit 1 (red) fires and its ablation changes the prediction; the constant unit 5 fires and changes nothing
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(" 1 ", "red", "output 3"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(" 5 ", "everything", "unchanged"));
        assertThat(Files.readString(out.resolve("explain.json"))).contains("\"changes_prediction\" : true");
        // the units the decision rests on: the red unit first, by far (the others move p by about 0.01)
        List<String> decisive = lines.subList(lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("the decision rests most on")).findFirst().orElseThrow()), lines.size());
        assertThat(decisive.get(2)).contains(" 1 ", "red", "yes", "output 3");
        assertThat(decisive.get(3)).contains("unchanged");
        assertThat(Files.readString(out.resolve("explain.json"))).contains("\"decisive_units\"");
        assertThat(Files.readString(out.resolve("explain.csv"))).startsWith("unit,label,category,iou,fires,decisive_rank");
    }

    @Test
    void explainWithoutADissectionSaysSo() {
        CliTest.Run r = CliTest.run("explain", "--model", model.toString(), "--layer", "units", "--image",
                tmp.resolve("data/red/00.png").toString(), "--dissection", tmp.resolve("nowhere").toString(),
                "--size", "8");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("dissection directory", "nowhere", "does not exist").doesNotContain("Exception");
        CliTest.Run other = CliTest.run("explain", "--model", model.toString(), "--layer", "conv", "--image",
                tmp.resolve("data/red/00.png").toString(), "--dissection", dissection.toString(), "--size", "8");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("no dissection of layer 'conv'", "units");
    }

    /** A class mapping that does not fit the model (here every class sent to another output) is said, not silent. */
    @Test
    void aMappingBelowChanceIsWarnedAbout() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong.csv"), "class,index\nred,2\ngreen,0\nblue,1\n");
        List<String> args = new ArrayList<>(List.of(ablate(tmp.resolve("wrong-out"), "--mode", "units", "--units", "1")));
        args.set(args.indexOf(classes.toString()), wrong.toString());
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: without any ablation the model's accuracy is 0.000, below chance",
                "the class mapping is likely wrong");
    }
}
