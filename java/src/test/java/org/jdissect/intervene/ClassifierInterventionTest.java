package org.jdissect.intervene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdissect.JdissectException;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;
import org.jdissect.intervene.ClassifierIntervention.Part;
import org.jdissect.intervene.ClassifierIntervention.Replace;
import org.jdissect.stats.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known answers: the classifier of {@link KnownUnits} depends on units 1-3 and on nothing else. */
class ClassifierInterventionTest {
    @TempDir
    static Path tmp;
    static CpuBackend backend;
    static ClassifierIntervention ci;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
        Path model = KnownUnits.model(tmp.resolve("known.onnx"));
        LabelledImages data = LabelledImages.open(KnownUnits.folder(tmp.resolve("folder"), 60, 1), "scene", false);
        ci = ClassifierIntervention.open(model, KnownUnits.LAYER, data, KnownUnits.mapping(tmp.resolve("classes.csv")),
                KnownUnits.PRE, 7, 1, backend, OnnxModel.Inference.CPU, ProgressListener.NONE);
    }

    @AfterAll
    static void close() {
        ci.close();
        backend.close();
    }

    int cls(String name) {
        return ci.mapping().classNamed(name);
    }

    @Test
    void dataAndMapping() {
        assertThat(ci.mapping().classes()).containsExactlyElementsOf(KnownUnits.CLASSES);
        assertThat(ci.mapping().output(cls("red"))).isZero();
        assertThat(ci.mapping().output(cls("blue"))).isEqualTo(2);
        assertThat(ci.images(Part.TRAIN)).hasSize(144);
        assertThat(ci.images(Part.HELD_OUT)).hasSize(36);
    }

    @Test
    void unablatedModelIsPerfect() {
        ClassScores base = ci.score(ci.images(Part.ALL), null, new float[6]);
        assertThat(base.accuracy().value()).isEqualTo(1.0);
        assertThat(base.balancedAccuracy().value()).isEqualTo(1.0);
    }

    @Test
    void ablatingTheRedUnitDestroysRedAndNothingElseDoes() {
        var r = ci.units(new int[] {0}, Part.ALL, Replace.ZERO);
        ClassScores.PerClass red = r.ablated().classes().get(cls("red"));
        assertThat(red.accuracy().value()).isZero();
        assertThat(red.balancedAccuracy().value()).isEqualTo(0.5);
        assertThat(red.balancedAccuracy().differsFrom(r.base().classes().get(cls("red")).balancedAccuracy())).isTrue();
        // red images are now called "other", an output no class maps to: the other classes are untouched
        assertThat(r.ablated().classes().get(cls("green")).balancedAccuracy().value()).isEqualTo(1.0);
        assertThat(r.ablated().classes().get(cls("blue")).balancedAccuracy().value()).isEqualTo(1.0);
        assertThat(r.ablated().accuracy().value()).isCloseTo(2 / 3.0, within(1e-12));

        var others = ci.units(new int[] {3, 4, 5}, Part.ALL, Replace.ZERO);
        assertThat(others.ablated().accuracy().value()).isEqualTo(1.0);
        var meanReplaced = ci.units(new int[] {0}, Part.ALL, Replace.MEAN);
        // the mean of the red unit over all images (a third of them red) still beats the biases on every image
        assertThat(meanReplaced.ablated().classes().get(cls("red")).accuracy().value()).isEqualTo(1.0);
    }

    @Test
    void rankPutsEachClassesDetectorFirst() {
        var rank = ci.rank(Replace.ZERO);
        assertThat(rank.order()[cls("red")][0]).isEqualTo(0);
        assertThat(rank.order()[cls("green")][0]).isEqualTo(1);
        assertThat(rank.order()[cls("blue")][0]).isEqualTo(2);
        assertThat(rank.drop(cls("green"), 1)).isEqualTo(0.5);
        for (int u = 3; u < 6; u++) {
            for (int c = 0; c < 3; c++) {
                assertThat(rank.drop(c, u)).isZero();
            }
        }
        // equal accuracy drops are ordered by the drop of the class's mean output: a unit whose ablation lowers
        // the class's score ranks before one that does not
        for (int c = 0; c < 3; c++) {
            int[] order = rank.order()[c];
            for (int k = 1; k < order.length; k++) {
                if (rank.drop(c, order[k - 1]) == rank.drop(c, order[k])) {
                    assertThat(rank.scoreDrop(c, order[k - 1])).isGreaterThanOrEqualTo(rank.scoreDrop(c, order[k]));
                }
            }
        }
        assertThat(rank.scoreDrop(cls("red"), 0)).isPositive();
        var curves = ci.curve(rank, List.of(1, 2, 6), -1, Replace.ZERO);
        assertThat(curves.curves()).hasSize(3);
        for (var c : curves.curves()) {
            var top1 = c.removed().get(0);
            assertThat(top1.balancedAccuracy().value()).as(ci.mapping().classes().get(c.cls())).isEqualTo(0.5);
            assertThat(top1.significant()).isTrue();
            var onlyTop1 = c.kept().get(0);
            assertThat(onlyTop1.balancedAccuracy().value()).isEqualTo(1.0);
            assertThat(onlyTop1.significant()).isFalse();
            assertThat(c.kept().get(2).ablated()).isEmpty();
        }
    }

    @Test
    void reportsAreWrittenAndClean() throws Exception {
        Path out = tmp.resolve("out");
        var rank = ci.rank(Replace.ZERO);
        RankRecord.of(rank, ci, AblationSettings.of(ci, "rank", "zero"), ci.provenance(Invocation.current())).write(out);
        var curves = ci.curve(rank, List.of(1, 6), cls("red"), Replace.ZERO);
        CurveRecord.of(curves, ci, AblationSettings.of(ci, "curve", "zero"), ci.provenance(Invocation.current()))
                .write(out);
        UnitsRecord.of(ci.units(new int[] {0}, Part.HELD_OUT, Replace.ZERO), ci, AblationSettings.of(ci, "units", "zero"),
                ci.provenance(Invocation.current())).write(out);
        JsonNode curve = new ObjectMapper().readTree(out.resolve("curve.json").toFile());
        assertThat(curve.path("curves")).hasSize(1);
        assertThat(curve.path("curves").get(0).path("class").asText()).isEqualTo("red");
        assertThat(curve.path("curves").get(0).path("removed").get(0).path("units_removed").get(0).asInt()).isEqualTo(1);
        JsonNode units = new ObjectMapper().readTree(out.resolve("units.json").toFile());
        assertThat(units.path("overall").path("accuracy").path("base").path("value").asDouble()).isEqualTo(1.0);
        assertThat(java.nio.file.Files.readAllLines(out.resolve("rank.csv")).get(1)).startsWith("blue,1,3,");
        // each file is read back by the class that wrote it, to the same record
        assertThat(CurveRecord.read(out)).isEqualTo(CurveRecord.of(curves, ci, AblationSettings.of(ci, "curve", "zero"),
                CurveRecord.read(out).provenance()));
        assertThat(RankRecord.read(out).classes()).isEqualTo(RankRecord.of(rank, ci, AblationSettings.of(ci, "rank",
                "zero"), null).classes());
        assertThat(UnitsRecord.read(out).settings().ablatedUnits()).containsExactly(1);
        assertThatThrownBy(() -> RankRecord.read(out.resolve("nowhere"))).isInstanceOf(JdissectException.class)
                .hasMessageContaining("rank.json");
        java.nio.file.Files.copy(out.resolve("curve.json"), tmp.resolve("rank.json"));
        assertThatThrownBy(() -> RankRecord.read(tmp)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("not a jdissect ablate-rank file");
    }

    @Test
    void brodenSceneCategoryGivesTheClasses() {
        LabelledImages data = LabelledImages.open(KnownUnits.broden(tmp.resolve("broden"), 8, 2), "scene", false);
        assertThat(data.classes()).containsExactly("blue", "green", "red");
        assertThat(data.part(false)).hasSize(6);
        Path model = tmp.resolve("known.onnx");
        // name order cannot map 3 classes onto this model's 4 outputs
        assertThatThrownBy(() -> ClassifierIntervention.open(model, KnownUnits.LAYER, data, null, KnownUnits.PRE, 4,
                1, backend, OnnxModel.Inference.CPU, ProgressListener.NONE)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("3 classes").hasMessageContaining("4 outputs").hasMessageContaining("--classes");
        try (var broden = ClassifierIntervention.open(model, KnownUnits.LAYER, data, tmp.resolve("classes.csv"),
                KnownUnits.PRE, 4, 1, backend, OnnxModel.Inference.CPU, ProgressListener.NONE)) {
            assertThat(broden.score(broden.images(Part.ALL), null, new float[6]).accuracy().value()).isEqualTo(1.0);
            assertThat(broden.units(new int[] {2}, Part.HELD_OUT, Replace.ZERO).ablated().classes()
                    .get(broden.mapping().classNamed("blue")).accuracy().value()).isZero();
        }
        assertThatThrownBy(() -> ClassMapping.read(writeMapping("red,0\ngreen,1\npurple,2\n"), data.classes(), 3))
                .isInstanceOf(JdissectException.class).hasMessageContaining("unknown class 'purple'")
                .hasMessageContaining("blue, green, red");
        assertThatThrownBy(() -> ClassMapping.read(writeMapping("red,0\ngreen,1\n"), data.classes(), 3))
                .hasMessageContaining("class 'blue' of the data has no line");
        assertThatThrownBy(() -> ClassMapping.byNameOrder(List.of("a", "b"), 3)).hasMessageContaining("--classes");
    }

    static Path writeMapping(String text) throws Exception {
        Path f = java.nio.file.Files.createTempFile(tmp, "map", ".csv");
        java.nio.file.Files.writeString(f, text);
        return f;
    }
}
