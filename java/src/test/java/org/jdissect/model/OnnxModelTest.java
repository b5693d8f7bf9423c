package org.jdissect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import org.jdissect.JdissectException;
import org.jdissect.model.Preprocessing.ChannelOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {

    /** Unit 0 fires on red, 1 on green, 2 on blue, 3 on brightness above one half. */
    static final float[] DETECT_W = {
        1, -1, -1,
        -1, 1, -1,
        -1, -1, 1,
        1 / 3f, 1 / 3f, 1 / 3f};
    static final float[] DETECT_B = {0, 0, 0, -0.5f};
    static final float[] GEMM_W = {1, 0, 0, 0, 0, 1, 1, 1};
    static final float[] GEMM_B = {0.5f, -0.5f};

    static final Preprocessing PRE8 = new Preprocessing(8, 8, ChannelOrder.RGB, 255f, new float[3], new float[] {1, 1, 1});

    @TempDir
    Path dir;

    /** input [N,3,8,8] -> conv (1x1, 4 units) -> detect (Relu) -> pool (4x4/4) -> gap -> flat -> logits. */
    static OnnxBuilder detector(OnnxBuilder b) {
        return b.conv("input", "conv", 4, 3, 1, 1, 0, DETECT_W, DETECT_B)
                .relu("conv", "detect")
                .averagePool("detect", "pool", 4, 4)
                .globalAveragePool("pool", "gap")
                .flatten("gap", "flat")
                .gemm("flat", "logits", 2, 4, GEMM_W, GEMM_B)
                .output("logits");
    }

    private Path save(OnnxBuilder b, String name) {
        return b.save(dir.resolve(name));
    }

    /** What the detector's conv computes, by hand: N x 4 x H x W from N x 3 x H x W. */
    static float[] conv1x1(float[] x, int n, int h, int w) {
        int plane = h * w;
        float[] out = new float[n * 4 * plane];
        for (int i = 0; i < n; i++) {
            for (int u = 0; u < 4; u++) {
                for (int p = 0; p < plane; p++) {
                    double s = DETECT_B[u];
                    for (int c = 0; c < 3; c++) {
                        s += DETECT_W[u * 3 + c] * x[(i * 3 + c) * plane + p];
                    }
                    out[(i * 4 + u) * plane + p] = (float) s;
                }
            }
        }
        return out;
    }

    static float[] relu(float[] x) {
        float[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, out[i]);
        }
        return out;
    }

    /** Average pool k x k, stride k, over N*C planes of h x w. */
    static float[] avgPool(float[] x, int planes, int h, int w, int k) {
        int oh = h / k;
        int ow = w / k;
        float[] out = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double s = 0;
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) {
                            s += x[p * h * w + (y * k + dy) * w + xx * k + dx];
                        }
                    }
                    out[(p * oh + y) * ow + xx] = (float) (s / (k * k));
                }
            }
        }
        return out;
    }

    static float[] randomImages(int n, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 3 * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 0.5f;
        }
        return x;
    }

    @Test
    void listsEveryFourDimensionalLayerInGraphOrder() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"))) {
            assertThat(m.inputName()).isEqualTo("input");
            assertThat(m.layers(PRE8)).containsExactly(
                    new LayerInfo("conv", "Conv", 4, 8, 8),
                    new LayerInfo("detect", "Relu", 4, 8, 8),
                    new LayerInfo("pool", "AveragePool", 4, 2, 2),
                    new LayerInfo("gap", "GlobalAveragePool", 4, 1, 1),
                    new LayerInfo("flat", "Flatten", 4, 1, 1, true),
                    new LayerInfo("logits", "Gemm", 2, 1, 1, true));
        }
    }

    @Test
    void graphOrderIsTopologicalEvenWhenTheFileIsNot() throws Exception {
        ModelProto sorted = detector(OnnxBuilder.imageInput(8, 8)).build();
        List<NodeProto> reversed = new ArrayList<>(sorted.getGraph().getNodeList());
        Collections.reverse(reversed);
        ModelProto shuffled = sorted.toBuilder().setGraph(sorted.getGraph().toBuilder().clearNode().addAllNode(reversed)).build();
        Path file = dir.resolve("reversed.onnx");
        Files.write(file, shuffled.toByteArray());
        try (OnnxModel m = OnnxModel.load(file)) {
            assertThat(m.layers(PRE8)).extracting(LayerInfo::name).containsExactly("conv", "detect", "pool", "gap", "flat",
                    "logits");
        }
    }

    @Test
    void runnersKeepOnlyTheNodesTheRequestedLayersNeed() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"))) {
            GraphProto g = GraphSurgery.withOutputs(m.proto(), List.of("detect")).getGraph();
            assertThat(g.getNodeList()).extracting(NodeProto::getOpType).containsExactly("Conv", "Relu");
            assertThat(g.getInitializerList()).extracting(TensorProto::getName).containsExactly("conv_W", "conv_B");
            assertThat(g.getInputList()).extracting(v -> v.getName()).containsExactly("input");
            assertThat(g.getOutputList()).extracting(v -> v.getName()).containsExactly("detect");
        }
    }

    @Test
    void layerShapesFollowTheInputSizeOfASymbolicModel() {
        OnnxBuilder b = OnnxBuilder.symbolicImageInput()
                .conv("input", "conv", 4, 3, 3, 2, 1, new float[4 * 3 * 9], new float[4])
                .maxPool("conv", "pooled", 2, 2)
                .output("pooled");
        try (OnnxModel m = OnnxModel.load(save(b, "sym.onnx"))) {
            Preprocessing pre = new Preprocessing(20, 12, ChannelOrder.RGB, 255f, new float[3], new float[] {1, 1, 1});
            assertThat(m.layers(pre)).containsExactly(
                    new LayerInfo("conv", "Conv", 4, 10, 6),
                    new LayerInfo("pooled", "MaxPool", 4, 5, 3));
        }
    }

    @Test
    void constantsAndWeightsAreNotLayers() {
        // a Constant node producing a 4-D tensor, and an Identity of a 4-D initializer, do not depend on the image
        OnnxBuilder b = OnnxBuilder.imageInput(4, 4)
                .constant("bias4d", new long[] {1, 1, 1, 1}, new float[] {2f})
                .identity("conv_W", "weights_copy")
                .node("Conv", List.of("input", "weights_copy"), "conv")
                .add("conv", "bias4d", "shifted")
                .output("shifted")
                .initializer("conv_W", new long[] {1, 3, 1, 1}, new float[] {1, 1, 1});
        try (OnnxModel m = OnnxModel.load(save(b, "const.onnx"))) {
            Preprocessing pre = new Preprocessing(4, 4, ChannelOrder.RGB, 1f, new float[3], new float[] {1, 1, 1});
            assertThat(m.layers(pre)).extracting(LayerInfo::name).containsExactly("conv", "shifted");
            assertThatThrownBy(() -> m.runner(List.of("weights_copy"), pre, 1))
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining("'weights_copy' (Identity) does not depend on the image input")
                    .hasMessageContaining("conv, shifted");
        }
    }

    @Test
    void runnerReturnsTheValuesComputedByHand() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"));
             LayerRunner r = m.runner(List.of("conv"), PRE8, 1)) {
            assertThat(r.layers()).containsExactly(new LayerInfo("conv", "Conv", 4, 8, 8));
            float[] x = randomImages(2, 8, 8, 1);
            List<float[]> out = r.run(x, 2);
            assertThat(out).hasSize(1);
            assertThat(out.get(0)).containsExactly(conv1x1(x, 2, 8, 8), within(1e-5f));
        }
    }

    @Test
    void redSquareFiresUnitZeroInItsQuadrantOnly() {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.setRGB(x, y, Color.RED.getRGB());
            }
        }
        float[] batch = new float[PRE8.valuesPerImage()];
        PRE8.apply(img, batch, 0);
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"));
             LayerRunner r = m.runner(List.of("pool"), PRE8, 1)) {
            float[] pool = r.run(batch, 1).get(0);
            // unit 0 (red) quadrant top-left = 1; brightness unit: red is 1/3 - 0.5 < 0, black -0.5: all 0
            assertThat(pool).containsExactly(new float[] {
                1, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0,
                0, 0, 0, 0}, within(1e-6f));
        }
    }

    @Test
    void severalLayersComeOutOfOneRunInRequestOrder() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"));
             LayerRunner r = m.runner(List.of("pool", "conv", "detect"), PRE8, 2)) {
            assertThat(r.layers()).extracting(LayerInfo::name).containsExactly("pool", "conv", "detect");
            float[] x = randomImages(3, 8, 8, 2);
            List<float[]> out = r.run(x, 3);
            float[] conv = conv1x1(x, 3, 8, 8);
            float[] detect = relu(conv);
            assertThat(out.get(0)).containsExactly(avgPool(detect, 12, 8, 8, 4), within(1e-5f));
            assertThat(out.get(1)).containsExactly(conv, within(1e-5f));
            assertThat(out.get(2)).containsExactly(detect, within(1e-5f));
            // negative conv values exist, so conv and detect really are different tensors
            boolean negative = false;
            for (float v : conv) {
                negative |= v < 0;
            }
            assertThat(negative).isTrue();
        }
    }

    @Test
    void exposedTensorsAreNotFusedAway() {
        // ORT's basic optimizations fuse Conv+Add and Conv+BatchNormalization; with the intermediate tensors
        // exposed, each must still come out with its own values
        float[] shift = {1, 2, 3, 4};
        float[] scale = {2, 1, 0.5f, 1};
        float[] bias = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] mean = {0.5f, -0.5f, 0, 1};
        float[] var = {4, 1, 0.25f, 1};
        OnnxBuilder b = OnnxBuilder.imageInput(4, 4)
                .conv("input", "conv", 4, 3, 1, 1, 0, DETECT_W, DETECT_B)
                .addPerChannel("conv", "shifted", shift)
                .batchNorm("shifted", "bn", scale, bias, mean, var, 0f)
                .relu("bn", "out")
                .output("out");
        Preprocessing pre = new Preprocessing(4, 4, ChannelOrder.RGB, 1f, new float[3], new float[] {1, 1, 1});
        try (OnnxModel m = OnnxModel.load(save(b, "fuse.onnx"));
             LayerRunner r = m.runner(List.of("conv", "shifted", "bn", "out"), pre, 1)) {
            float[] x = randomImages(1, 4, 4, 3);
            List<float[]> out = r.run(x, 1);
            float[] conv = conv1x1(x, 1, 4, 4);
            float[] shifted = new float[conv.length];
            float[] bn = new float[conv.length];
            for (int i = 0; i < conv.length; i++) {
                int c = i / 16;
                shifted[i] = conv[i] + shift[c];
                bn[i] = (float) ((shifted[i] - mean[c]) / Math.sqrt(var[c]) * scale[c] + bias[c]);
            }
            assertThat(out.get(0)).containsExactly(conv, within(1e-5f));
            assertThat(out.get(1)).containsExactly(shifted, within(1e-5f));
            assertThat(out.get(2)).containsExactly(bn, within(1e-4f));
            assertThat(out.get(3)).containsExactly(relu(bn), within(1e-4f));
        }
    }

    @Test
    void aLayerThatIsAlreadyAGraphOutputIsNotDuplicated() {
        OnnxBuilder b = OnnxBuilder.imageInput(8, 8)
                .conv("input", "conv", 4, 3, 1, 1, 0, DETECT_W, DETECT_B)
                .relu("conv", "detect")
                .averagePool("detect", "pool", 4, 4)
                .output("pool", TensorProto.DataType.FLOAT, "N", 4, 2, 2);
        try (OnnxModel m = OnnxModel.load(save(b, "out.onnx"));
             LayerRunner r = m.runner(List.of("detect", "pool"), PRE8, 1)) {
            float[] x = randomImages(2, 8, 8, 4);
            List<float[]> out = r.run(x, 2);
            float[] detect = relu(conv1x1(x, 2, 8, 8));
            assertThat(out.get(0)).containsExactly(detect, within(1e-5f));
            assertThat(out.get(1)).containsExactly(avgPool(detect, 8, 8, 8, 4), within(1e-5f));
            assertThat(GraphSurgery.withOutputs(m.proto(), List.of("detect", "pool")).getGraph().getOutputList())
                    .extracting(v -> v.getName()).containsExactly("detect", "pool");
        }
    }

    @Test
    void fixedBatchModelsRunImageByImageAndPadTheLastBatch() {
        float[] x = randomImages(5, 8, 8, 5);
        float[] expected = relu(conv1x1(x, 5, 8, 8));
        for (int fixed : new int[] {1, 2}) {
            try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.fixedImageInput(fixed, 8, 8)), "fixed" + fixed + ".onnx"));
                 LayerRunner r = m.runner(List.of("detect"), PRE8, 1)) {
                assertThat(m.layers(PRE8)).first().isEqualTo(new LayerInfo("conv", "Conv", 4, 8, 8));
                assertThat(r.run(x, 5).get(0)).as("fixed batch %d", fixed).containsExactly(expected, within(1e-5f));
                assertThat(r.run(x, 1).get(0)).hasSize(4 * 64);
                // the same images each in its own array (longer than an image: the first values are read), as the
                // decoding threads hand them over: the same values, bit for bit
                List<float[]> images = new java.util.ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    float[] image = new float[3 * 64 + 7];
                    java.util.Arrays.fill(image, 1e6f);
                    System.arraycopy(x, i * 3 * 64, image, 0, 3 * 64);
                    images.add(image);
                }
                assertThat(r.run(images).get(0)).as("fixed batch %d, image arrays", fixed)
                        .containsExactly(r.run(x, 5).get(0));
                assertThat(r.run(images.subList(0, 3)).get(0)).containsExactly(
                        java.util.Arrays.copyOf(r.run(x, 5).get(0), 3 * 4 * 64));
            }
        }
    }

    @Test
    void fingerprintIsTheFilesSha256() throws Exception {
        Path file = save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        try (OnnxModel m = OnnxModel.load(file)) {
            assertThat(m.fingerprint()).isEqualTo(expected).hasSize(64);
            assertThat(m.file()).isEqualTo(file);
        }
    }

    // ---- errors a user can cause ----

    @Test
    void missingFile() {
        Path missing = dir.resolve("nowhere.onnx");
        assertThatThrownBy(() -> OnnxModel.load(missing)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> OnnxModel.load(dir)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void filesThatAreNotOnnx() throws Exception {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is a text file, not a model\nsecond line\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxModel.load(text)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("is not an ONNX model");
        for (long seed = 0; seed < 20; seed++) {
            byte[] bytes = new byte[1000 + (int) seed * 37];
            new Random(seed).nextBytes(bytes);
            Path random = dir.resolve("random" + seed + ".onnx");
            Files.write(random, bytes);
            assertThatThrownBy(() -> OnnxModel.load(random)).as("seed %d", seed).isInstanceOf(JdissectException.class)
                    .hasMessageContaining(random.toString()).hasMessageContaining("is not an ONNX model");
        }
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> OnnxModel.load(empty)).hasMessageContaining("is not an ONNX model");
    }

    @Test
    void unknownLayerListsTheValidOnes() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"))) {
            assertThatThrownBy(() -> m.runner(List.of("conv", "layer9"), PRE8, 1))
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining("detector.onnx")
                    .hasMessageContaining("no layer 'layer9'")
                    .hasMessageContaining("conv, detect, pool, gap");
            assertThatThrownBy(() -> m.runner(List.of("input"), PRE8, 1))
                    .hasMessageContaining("is the model's input");
            assertThatThrownBy(() -> m.runner(List.of(), PRE8, 1))
                    .hasMessageContaining("conv, detect, pool, gap");
        }
    }

    /**
     * A fully connected or pooled layer (N x C) is a layer of C units with one value per image; its values are what
     * the model computes (the flattened pooling, the logits by hand). A tensor of another rank is refused with its
     * shape.
     */
    @Test
    void flatLayersRunAsOneValuePerUnitAndOtherRanksGiveTheirShape() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"))) {
            float[] x = new float[2 * 3 * 64];
            java.util.Random rnd = new java.util.Random(4);
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextFloat();
            }
            try (LayerRunner r = m.runner(List.of("gap", "flat", "logits"), PRE8, 1)) {
                assertThat(r.layers().get(1)).isEqualTo(new LayerInfo("flat", "Flatten", 4, 1, 1, true));
                List<float[]> out = r.run(x, 2);
                assertThat(out.get(1)).containsExactly(out.get(0));
                for (int i = 0; i < 2; i++) {
                    for (int k = 0; k < 2; k++) {
                        double s = GEMM_B[k];
                        for (int u = 0; u < 4; u++) {
                            s += GEMM_W[k * 4 + u] * out.get(1)[i * 4 + u];
                        }
                        assertThat(out.get(2)[i * 2 + k]).isCloseTo((float) s, org.assertj.core.api.Assertions.within(1e-5f));
                    }
                }
            }
        }
        OnnxBuilder b = detector(OnnxBuilder.imageInput(8, 8))
                .initializerInt64("three_d", new long[] {3}, new long[] {0, 4, -1})
                .node("Reshape", List.of("detect", "three_d"), "tokens");
        try (OnnxModel m = OnnxModel.load(save(b, "tokens.onnx"))) {
            assertThatThrownBy(() -> m.runner(List.of("tokens"), PRE8, 1))
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining("'tokens' (Reshape) has shape [1, 4, 64], tokens N x T x D whose patch grid "
                            + "is not known")
                    .hasMessageContaining("conv, detect, pool, gap, flat, logits");
        }
    }

    @Test
    void wrongInputSizeForAFixedSizeModel() {
        Preprocessing pre16 = new Preprocessing(16, 16, ChannelOrder.RGB, 255f, new float[3], new float[] {1, 1, 1});
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"))) {
            assertThatThrownBy(() -> m.layers(pre16))
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining("detector.onnx")
                    .hasMessageContaining("[N, 3, 8, 8]")
                    .hasMessageContaining("3x16x16")
                    .hasMessageContaining("use size 8,8");
            assertThatThrownBy(() -> m.runner(List.of("conv"), pre16, 1)).hasMessageContaining("[N, 3, 8, 8]");
        }
        // declared symbolic, but the Gemm only fits 8x8: ORT's refusal comes with the size tried
        OnnxBuilder b = OnnxBuilder.symbolicImageInput()
                .conv("input", "conv", 4, 3, 1, 1, 0, DETECT_W, DETECT_B)
                .averagePool("conv", "pool", 4, 4)
                .flatten("pool", "flat")
                .gemm("flat", "logits", 2, 16, new float[32], new float[2])
                .output("logits");
        try (OnnxModel m = OnnxModel.load(save(b, "gemm.onnx"))) {
            assertThat(m.layers(PRE8)).extracting(LayerInfo::name).containsExactly("conv", "pool", "flat", "logits");
            assertThatThrownBy(() -> m.layers(pre16))
                    .isInstanceOf(JdissectException.class)
                    .hasMessageContaining("gemm.onnx: the model rejects input 1x3x16x16")
                    .hasMessageContaining("[N, 3, H, W]");
        }
    }

    @Test
    void severalInputsAreNamed() {
        OnnxBuilder b = OnnxBuilder.imageInput(8, 8).input("mask", TensorProto.DataType.FLOAT, "N", 1, 8, 8)
                .mul("input", "mask", "masked").output("masked");
        try (OnnxModel m = OnnxModel.load(save(b, "two.onnx"))) {
            assertThatThrownBy(m::inputName).isInstanceOf(JdissectException.class)
                    .hasMessageContaining("two.onnx").hasMessageContaining("2 inputs (input, mask)");
            assertThatThrownBy(() -> m.layers(PRE8)).hasMessageContaining("2 inputs (input, mask)");
        }
    }

    @Test
    void inputsThatAreNotImages() {
        OnnxBuilder b = OnnxBuilder.empty().input("z", TensorProto.DataType.FLOAT, "N", 16)
                .relu("z", "h").output("h");
        try (OnnxModel m = OnnxModel.load(save(b, "z.onnx"))) {
            assertThatThrownBy(() -> m.layers(PRE8)).hasMessageContaining("input 'z' declares shape [N, 16]");
        }
        OnnxBuilder gray = OnnxBuilder.empty().input("input", TensorProto.DataType.FLOAT, "N", 1, 8, 8)
                .relu("input", "h").output("h");
        try (OnnxModel m = OnnxModel.load(save(gray, "gray.onnx"))) {
            assertThatThrownBy(() -> m.layers(PRE8)).hasMessageContaining("[N, 1, 8, 8]")
                    .hasMessageContaining("3-channel");
        }
    }

    @Test
    void badBatchArguments() {
        try (OnnxModel m = OnnxModel.load(save(detector(OnnxBuilder.imageInput(8, 8)), "detector.onnx"));
             LayerRunner r = m.runner(List.of("conv"), PRE8, 1)) {
            assertThatThrownBy(() -> r.run(new float[PRE8.valuesPerImage()], 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.runner(List.of("conv", "conv"), PRE8, 1)).hasMessageContaining("requested twice");
        }
    }
}
