package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.demo.ColourWorld;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.LayerRunner;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token layers on a hand-built transformer-shaped graph: a patch embedding (8 x 8 convolution, stride 8, on the
 * 32 x 32 input: a 4 x 4 grid) whose 4 channels are planted colour detectors (red, green, blue, brightness), its
 * patches as tokens N x 16 x 4, a class token (their mean) put first ("blocks", N x 17 x 4), and three special tokens
 * first ("registers", N x 19 x 4). Read on the patch grid with the special tokens dropped, a token layer is the patch
 * embedding's map: the same values, and so the same tally, byte for byte.
 */
class TokenLayerTest {
    static final Preprocessing PRE = DissectionTest.PRE;

    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void world() {
        data = ColourWorld.writeDataset(tmp.resolve("world"), 60, 42);
        float[] colour = {1, -1, -1, -1, 1, -1, -1, -1, 1, 0.3f, 0.3f, 0.3f};
        float[] weights = new float[4 * 3 * 8 * 8];
        for (int u = 0; u < 4; u++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 64; k++) {
                    weights[(u * 3 + c) * 64 + k] = colour[u * 3 + c] / 64f; // the patch's mean colour, projected
                }
            }
        }
        model = OnnxBuilder.imageInput(32, 32)
                .conv(OnnxBuilder.INPUT, "patch", 4, 3, 8, 8, 0, weights, new float[4])
                .relu("patch", "patch_relu")
                .initializerInt64("flat_shape", new long[] {3}, new long[] {0, 4, 16})
                .node("Reshape", List.of("patch_relu", "flat_shape"), "patch_flat")
                .node("Transpose", List.of("patch_flat"), "patches", OnnxBuilder.ints("perm", 0, 2, 1))
                .node("ReduceMean", List.of("patches"), "cls", OnnxBuilder.ints("axes", 1),
                        OnnxBuilder.intAttr("keepdims", 1))
                .node("Concat", List.of("cls", "patches"), "blocks", OnnxBuilder.intAttr("axis", 1))
                .node("Concat", List.of("cls", "cls", "cls", "patches"), "registers", OnnxBuilder.intAttr("axis", 1))
                .output("blocks")
                .output("registers")
                .save(tmp.resolve("vit.onnx"));
    }

    @Test
    void tokenLayersAreReadOnThePatchGridWithTheSpecialTokensDropped() {
        try (OnnxModel m = OnnxModel.load(model)) {
            List<LayerInfo> layers = m.layers(PRE);
            assertThat(layers).contains(new LayerInfo("blocks", "Concat", 4, 4, 4, false, 17, 1),
                    new LayerInfo("registers", "Concat", 4, 4, 4, false, 19, 3));
            // the patch tokens alone (N x 16 x 4) are a token layer with nothing to drop
            assertThat(layers).contains(new LayerInfo("patches", "Transpose", 4, 4, 4, false, 16, 0));
            float[] x = new float[3 * 32 * 32 * 3];
            java.util.Random rnd = new java.util.Random(2);
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextFloat();
            }
            try (LayerRunner r = m.runner(List.of("patch_relu", "blocks", "registers"), PRE, 1)) {
                List<float[]> out = r.run(x, 3);
                assertThat(out.get(1)).containsExactly(out.get(0));
                assertThat(out.get(2)).containsExactly(out.get(0));
                // read wrongly, as a tool that drops the last token instead of the first (the class token) does,
                // every map is shifted by one patch and holds the class token: not the patch embedding's map
                float[] maps = out.get(0);
                float[] wrong = new float[maps.length];
                for (int i = 0; i < 3; i++) {
                    for (int c = 0; c < 4; c++) {
                        int base = (i * 4 + c) * 16;
                        float mean = 0;
                        for (int p = 0; p < 16; p++) {
                            mean += maps[base + p];
                        }
                        wrong[base] = mean / 16; // token 0 is the class token
                        System.arraycopy(maps, base, wrong, base + 1, 15);
                    }
                }
                assertThat(wrong).isNotEqualTo(maps);
            }
        }
    }

    @Test
    void aTokenLayersTallyIsThePatchEmbeddingsByteForByte() throws Exception {
        Path out = tmp.resolve("out");
        DissectionResult r = Dissection.builder().model(model).data(data).out(out)
                .layers(List.of("patch_relu", "blocks", "registers")).preprocessing(PRE).quantile(0.05).batch(7)
                .threads(2).run();
        String reference = Files.readString(out.resolve("patch_relu/tally.csv"));
        assertThat(Files.readString(out.resolve("blocks/tally.csv"))).isEqualTo(reference);
        assertThat(Files.readString(out.resolve("registers/tally.csv"))).isEqualTo(reference);
        // and the planted detectors get their colours
        List<String> labels = r.layers().get(1).record().units().stream().map(LayerRecord.Unit::label).toList();
        assertThat(labels.subList(0, 3)).containsExactly("red", "green", "blue");
    }

    @Test
    void ablatingATokenLayerIsRefusedInOneLine() {
        try (OnnxModel m = OnnxModel.load(model)) {
            LayerInfo blocks = m.layer("blocks", PRE);
            assertThat(blocks.describe()).isEqualTo(
                    "4 x 4 x 4 (N x 17 tokens x 4: 1 leading special token dropped, 16 patch tokens on the 4 x 4 grid)");
        }
        // the layer is checked before any image is read: no data is needed to be refused
        try (org.jdissect.stats.CpuBackend backend = new org.jdissect.stats.CpuBackend(1)) {
            assertThatThrownBy(() -> org.jdissect.intervene.ClassifierIntervention.open(model, "blocks", null, null,
                    PRE, 4, 1, backend, OnnxModel.Inference.CPU, org.jdissect.io.ProgressListener.NONE, l -> { }))
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining("'blocks' is a token layer")
                    .hasMessageContaining("dissection reads it, ablation does not yet");
        }
    }
}
