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
import org.jdissect.model.TokenLayout;
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
        model = vit()
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

    /**
     * Ablating a token layer's unit sets its channel at every patch token and leaves the class token as the head gave
     * it: on a graph whose head is blocks -> mean over the 17 tokens -> a linear layer, the logits after ablating a
     * unit are those computed by hand from the patch embedding's maps (up to the head cache's half precision).
     */
    @Test
    void ablatingATokenLayersUnitEditsItsPatchTokensOnly() {
        float[] w = {1, -1, 0.5f, 2, -0.5f, 1, 1, -1};
        float[] b = {0.1f, -0.2f};
        Path classifier = vit().node("ReduceMean", List.of("blocks"), "pooled", OnnxBuilder.ints("axes", 1),
                        OnnxBuilder.intAttr("keepdims", 0))
                .gemm("pooled", "logits", 2, 4, w, b)
                .output("logits")
                .save(tmp.resolve("vit_classifier.onnx"));
        int n = 5;
        float[] x = new float[n * 3 * 32 * 32];
        java.util.Random rnd = new java.util.Random(8);
        int per = 3 * 32 * 32;
        for (int i = 0; i < x.length; i++) {
            int image = i / per;
            int channel = (i % per) / (32 * 32);
            // image i leans to colour i % 3, so the colour detectors fire on some patches
            x[i] = channel == image % 3 ? 0.6f + 0.4f * rnd.nextFloat() : 0.3f * rnd.nextFloat();
        }
        try (OnnxModel m = OnnxModel.load(classifier); LayerRunner maps = m.runner(List.of("patch_relu"), PRE, 1);
             org.jdissect.model.SplitRunner split = org.jdissect.model.SplitRunner.open(m, "blocks", 1);
             org.jdissect.stats.CpuBackend backend = new org.jdissect.stats.CpuBackend(1)) {
            float[] patch = maps.run(x, n).get(0);
            LayerInfo blocks = m.layer("blocks", PRE);
            org.jdissect.intervene.HeadCache cache = org.jdissect.intervene.HeadCache.build(split, blocks, "input",
                    new long[] {3, 32, 32}, n, (i, dst, off) -> System.arraycopy(x, i * per, dst, off, per), 2, 0,
                    org.jdissect.io.Progress.NONE);
            org.jdissect.intervene.Ablator ablator = new org.jdissect.intervene.Ablator(split, cache, backend, 2);
            int[] images = {0, 1, 2, 3, 4};
            for (int unit = 0; unit < 4; unit++) {
                float[][] got = ablator.outputs(images, ablator.alphaFor(unit), new float[4]);
                float[][] none = ablator.outputs(images, null, null);
                for (int i = 0; i < n; i++) {
                    double[] pooled = new double[4];
                    double[] pooledWhole = new double[4]; // what zeroing the class token too would give
                    for (int c = 0; c < 4; c++) {
                        double sum = 0;
                        for (int p = 0; p < 16; p++) {
                            sum += patch[(i * 4 + c) * 16 + p];
                        }
                        double cls = sum / 16;
                        pooled[c] = c == unit ? cls / 17 : (cls + sum) / 17;
                        pooledWhole[c] = c == unit ? 0 : (cls + sum) / 17;
                    }
                    for (int k = 0; k < 2; k++) {
                        double want = b[k];
                        double wrong = b[k];
                        for (int c = 0; c < 4; c++) {
                            want += w[k * 4 + c] * pooled[c];
                            wrong += w[k * 4 + c] * pooledWhole[c];
                        }
                        assertThat((double) got[i][k]).as("unit %d image %d logit %d", unit, i, k)
                                .isCloseTo(want, org.assertj.core.api.Assertions.within(2e-3));
                        if (Math.abs(wrong - want) > 0.01) {
                            assertThat(Math.abs(got[i][k] - wrong)).isGreaterThan(0.005);
                        }
                    }
                }
                boolean alive = false;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < 16; p++) {
                        alive |= patch[(i * 4 + unit) * 16 + p] > 0;
                    }
                }
                if (alive) { // a unit that never fires changes nothing when ablated
                    assertThat(got).isNotEqualTo(none);
                }
            }
        }
    }

    /**
     * A channels-last layer (N x H x W x C after a transpose by (0, 2, 3, 1), as ConvNeXt computes its blocks) is
     * read as C units with H x W maps: its tally is that of the same values channels-first, byte for byte; a
     * transpose back ends the layout.
     */
    @Test
    void aChannelsLastLayerIsReadAsItsChannelsFirstTwin() throws Exception {
        float[] w = {1, -1, -1, -1, 1, -1, -1, -1, 1, 0.3f, 0.3f, 0.3f};
        Path m = OnnxBuilder.imageInput(32, 32)
                .conv(OnnxBuilder.INPUT, "feat", 4, 3, 1, 1, 0, w, new float[4])
                .relu("feat", "feat_relu")
                .node("Transpose", List.of("feat"), "nhwc", OnnxBuilder.ints("perm", 0, 2, 3, 1))
                .relu("nhwc", "nhwc_relu")
                .node("Transpose", List.of("nhwc_relu"), "back", OnnxBuilder.ints("perm", 0, 3, 1, 2))
                .output("feat_relu")
                .output("back")
                .save(tmp.resolve("nhwc.onnx"));
        try (OnnxModel model = OnnxModel.load(m)) {
            List<LayerInfo> layers = model.layers(PRE);
            assertThat(layers).contains(LayerInfo.channelsLast("nhwc_relu", "Relu", 4, 32, 32),
                    new LayerInfo("back", "Transpose", 4, 32, 32));
            assertThat(model.layer("nhwc_relu", PRE).describe()).isEqualTo("4 x 32 x 32 (N x 32 x 32 x 4, channels last)");
        }
        Path out = tmp.resolve("nhwc-out");
        Dissection.builder().model(m).data(data).out(out).layers(List.of("feat_relu", "nhwc_relu", "back"))
                .preprocessing(PRE).quantile(0.05).batch(7).threads(2).run();
        String reference = Files.readString(out.resolve("feat_relu/tally.csv"));
        assertThat(Files.readString(out.resolve("nhwc_relu/tally.csv"))).isEqualTo(reference);
        assertThat(Files.readString(out.resolve("back/tally.csv"))).isEqualTo(reference);
    }

    /**
     * A token layout given ({@code --tokens S:HxW}) where the graph has no patch embedding to read the grid from: the
     * twin of the graph above that normalises its input in the graph (times 1, so the values are the same), so that
     * its patch convolution does not read the input. Without a layout its token layers are refused with the layouts
     * that would read them; with 1:4x4 the class-token layer is the twin's, tally byte for byte; a layout whose count
     * is not the layer's is refused naming the layer, its shape and the valid layouts; a non-square grid is allowed.
     */
    @Test
    void aGivenTokenLayoutReadsATokenLayerWithoutAPatchEmbeddingAsItsTwin() throws Exception {
        Path twin = vit(true).output("blocks").output("registers").save(tmp.resolve("vit_normalised.onnx"));
        Preprocessing classToken = PRE.withTokens(new TokenLayout(1, 4, 4));
        try (OnnxModel m = OnnxModel.load(twin)) {
            assertThat(m.layers(PRE)).extracting(LayerInfo::name).contains("patch_relu")
                    .doesNotContain("patches", "blocks", "registers");
            assertThatThrownBy(() -> m.layer("blocks", PRE)).isInstanceOf(JdissectException.class)
                    .hasMessageContaining("layer 'blocks' (Concat) has shape [1, 17, 4]")
                    .hasMessageContaining("valid: --tokens S:HxW with S + H x W = 17")
                    .hasMessageContaining("1:4x4").hasMessageContaining("8:3x3").hasMessageNotContaining("\n");
            assertThat(m.layers(classToken)).contains(new LayerInfo("blocks", "Concat", 4, 4, 4, false, 17, 1))
                    .extracting(LayerInfo::name).doesNotContain("registers", "patches");
            assertThatThrownBy(() -> m.layer("registers", classToken)).isInstanceOf(JdissectException.class)
                    .hasMessageContaining("layer 'registers' (Concat) has shape [1, 19, 4]")
                    .hasMessageContaining("--tokens 1:4x4 does not read (1 + 4 x 4 = 17 tokens)")
                    .hasMessageContaining("S + H x W = 19").hasMessageContaining("3:4x4")
                    .hasMessageNotContaining("\n");
            assertThat(m.layer("registers", PRE.withTokens(new TokenLayout(3, 4, 4))))
                    .isEqualTo(new LayerInfo("registers", "Concat", 4, 4, 4, false, 19, 3));
            assertThat(m.layer("blocks", PRE.withTokens(new TokenLayout(1, 2, 8))))
                    .isEqualTo(new LayerInfo("blocks", "Concat", 4, 2, 8, false, 17, 1));
        }
        Path reference = tmp.resolve("twin-reference");
        Dissection.builder().model(model).data(data).out(reference).layers(List.of("blocks")).preprocessing(PRE)
                .quantile(0.05).batch(7).threads(2).run();
        Path out = tmp.resolve("twin-tokens");
        Dissection.builder().model(twin).data(data).out(out).layers(List.of("blocks")).preprocessing(classToken)
                .quantile(0.05).batch(7).threads(2).run();
        assertThat(Files.readString(out.resolve("blocks/tally.csv")))
                .isEqualTo(Files.readString(reference.resolve("blocks/tally.csv")));
        assertThat(Files.readString(out.resolve("blocks/report.json"))).contains("\"tokens\"", "\"1:4x4\"");
        assertThatThrownBy(() -> TokenLayout.parse("--tokens", "4x4")).isInstanceOf(JdissectException.class)
                .hasMessageContaining("--tokens '4x4' is not valid: expected S:HxW");
        assertThatThrownBy(() -> TokenLayout.parse("--tokens", "1:0x4")).isInstanceOf(JdissectException.class)
                .hasMessageContaining("sides must be positive");
    }

    /** The transformer-shaped graph without outputs: patch embedding, tokens, a class token first, registers. */
    static OnnxBuilder vit() {
        return vit(false);
    }

    /**
     * The same, the patch embedding reading the input ({@code normalised} false: its grid is found), or a copy of the
     * input times 1 (true: as a model that normalises its input in the graph, whose grid is not found).
     */
    static OnnxBuilder vit(boolean normalised) {
        float[] colour = {1, -1, -1, -1, 1, -1, -1, -1, 1, 0.3f, 0.3f, 0.3f};
        float[] weights = new float[4 * 3 * 8 * 8];
        for (int u = 0; u < 4; u++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 64; k++) {
                    weights[(u * 3 + c) * 64 + k] = colour[u * 3 + c] / 64f; // the patch's mean colour, projected
                }
            }
        }
        OnnxBuilder b = OnnxBuilder.imageInput(32, 32);
        if (normalised) {
            b.mulPerChannel(OnnxBuilder.INPUT, "normalised", new float[] {1, 1, 1});
        }
        return b.conv(normalised ? "normalised" : OnnxBuilder.INPUT, "patch", 4, 3, 8, 8, 0, weights, new float[4])
                .relu("patch", "patch_relu")
                .initializerInt64("flat_shape", new long[] {3}, new long[] {0, 4, 16})
                .node("Reshape", List.of("patch_relu", "flat_shape"), "patch_flat")
                .node("Transpose", List.of("patch_flat"), "patches", OnnxBuilder.ints("perm", 0, 2, 1))
                .node("ReduceMean", List.of("patches"), "cls", OnnxBuilder.ints("axes", 1),
                        OnnxBuilder.intAttr("keepdims", 1))
                .node("Concat", List.of("cls", "patches"), "blocks", OnnxBuilder.intAttr("axis", 1))
                .node("Concat", List.of("cls", "cls", "cls", "patches"), "registers", OnnxBuilder.intAttr("axis", 1));
    }
}
