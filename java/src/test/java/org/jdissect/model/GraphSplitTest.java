package org.jdissect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Head + tail with no edit is the whole model, bit for bit, whatever crosses the cut. */
class GraphSplitTest {
    @TempDir
    Path dir;

    static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * 0.5f;
        }
        return v;
    }

    /**
     * input -> c1 (conv 3x3) -> r1 (Relu, the layer) -> c2 (conv 3x3) -> res = c2 + c1 (a skip from before the
     * layer) -> ReduceMean over channels -> mixed = that * input (the graph input itself crosses) -> Reshape to
     * Shape(input) (an int64 shape crosses) -> gap -> flat -> logits.
     */
    static OnnxBuilder residual(Random rnd) {
        return OnnxBuilder.imageInput(8, 8)
                .conv("input", "c1", 4, 3, 3, 1, 1, random(rnd, 4 * 3 * 9), random(rnd, 4))
                .relu("c1", "r1")
                .conv("r1", "c2", 4, 4, 3, 1, 1, random(rnd, 4 * 4 * 9), random(rnd, 4))
                .add("c2", "c1", "res")
                .node("ReduceMean", List.of("res"), "res_mean", OnnxBuilder.ints("axes", 1),
                        OnnxBuilder.intAttr("keepdims", 1))
                .mul("res_mean", "input", "mixed")
                .node("Shape", List.of("input"), "in_shape")
                .node("Reshape", List.of("mixed", "in_shape"), "reshaped")
                .globalAveragePool("reshaped", "gap")
                .flatten("gap", "flat")
                .gemm("flat", "logits", 5, 3, random(rnd, 15), random(rnd, 5))
                .output("logits");
    }

    private static Map<String, TensorData> whole(OnnxModel model, Map<String, TensorData> feeds, List<String> outputs)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = model.session(model.proto(), 1, "whole model")) {
            Map<String, OnnxTensor> in = new HashMap<>();
            for (var e : feeds.entrySet()) {
                in.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().floats()),
                        e.getValue().shape()));
            }
            try (OrtSession.Result r = s.run(in)) {
                Map<String, TensorData> out = new HashMap<>();
                for (String name : outputs) {
                    OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
                    float[] v = new float[(int) TensorData.elements(t.getInfo().getShape())];
                    t.getFloatBuffer().get(v);
                    out.put(name, TensorData.ofFloats(v, t.getInfo().getShape()));
                }
                return out;
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void residualHeadPlusTailIsTheWholeModelExactly() throws Exception {
        Random rnd = new Random(3);
        OnnxModel model = OnnxModel.load(residual(rnd).save(dir.resolve("res.onnx")));
        TensorData images = TensorData.ofFloats(random(rnd, 6 * 3 * 64), 6, 3, 8, 8);
        Map<String, TensorData> feeds = Map.of("input", images);
        try (SplitRunner split = SplitRunner.open(model, "r1", 1)) {
            GraphSplit g = split.split();
            assertThat(g.headOutputs()).containsExactly("r1", "c1", "in_shape");
            assertThat(g.crossings()).containsExactlyInAnyOrder("c1", "input", "in_shape");
            assertThat(g.tailInputs().get(0)).isEqualTo("r1");
            assertThat(g.tailOutputs()).containsExactly("logits");
            // only the layer's consumers are in the tail; c1 (its producer) and Shape stay in the head
            assertThat(g.tail(Map.of("r1", GraphSplit.floatType(), "c1", GraphSplit.floatType(),
                    "in_shape", GraphSplit.floatType())).getGraph().getNodeList()).extracting(n -> n.getOutput(0))
                    .doesNotContain("c1", "r1", "in_shape").contains("c2", "res", "logits");
            Map<String, TensorData> crossing = split.head(feeds);
            assertThat(crossing.keySet()).containsExactlyElementsOf(g.tailInputs());
            assertThat(crossing.get("in_shape").longs()).containsExactly(6, 3, 8, 8);
            TensorData logits = split.tail(crossing).get("logits");
            TensorData expected = whole(model, feeds, List.of("logits")).get("logits");
            assertThat(logits.shape()).containsExactly(6, 5);
            assertThat(logits.sameAs(expected)).as("head + tail == whole, bit for bit").isTrue();

            // an edit of the layer changes the result: the split is not bypassed
            TensorData r1 = crossing.get("r1");
            Map<String, TensorData> zeroed = new HashMap<>(crossing);
            zeroed.put("r1", TensorData.ofFloats(new float[r1.floats().length], r1.shape()));
            assertThat(split.tail(zeroed).get("logits").sameAs(expected)).isFalse();
        }
    }

    @Test
    void layerEditModelAgreesWithTheSplit() throws Exception {
        Random rnd = new Random(4);
        OnnxModel model = OnnxModel.load(residual(rnd).save(dir.resolve("res.onnx")));
        TensorData images = TensorData.ofFloats(random(rnd, 2 * 3 * 64), 2, 3, 8, 8);
        Path edited = dir.resolve("edited.onnx");
        java.nio.file.Files.write(edited, GraphSplit.withLayerEdit(model.proto(), "r1", 4).toByteArray());
        OnnxModel edit = OnnxModel.load(edited);
        float[] alpha = {0, 1, 0, 1};
        float[] zero = new float[4];
        Map<String, TensorData> feeds = Map.of("input", images,
                GraphSplit.ALPHA, TensorData.ofFloats(alpha, 1, 4, 1, 1),
                GraphSplit.REPLACEMENT, TensorData.ofFloats(zero, 1, 4, 1, 1));
        TensorData viaEdit = whole(edit, feeds, List.of("logits")).get("logits");
        try (SplitRunner split = SplitRunner.open(model, "r1", 1)) {
            Map<String, TensorData> crossing = new HashMap<>(split.head(Map.of("input", images)));
            float[] r1 = crossing.get("r1").floats().clone();
            for (int i = 0; i < 2; i++) {
                for (int u : new int[] {1, 3}) {
                    java.util.Arrays.fill(r1, (i * 4 + u) * 64, (i * 4 + u + 1) * 64, 0f);
                }
            }
            crossing.put("r1", TensorData.ofFloats(r1, 2, 4, 8, 8));
            assertThat(split.tail(crossing).get("logits").sameAs(viaEdit)).isTrue();
        }
    }

    /** A generator-like graph: the head input is a latent z, and a class vector y enters after the layer. */
    @Test
    void latentInputAndALateSecondInput() throws Exception {
        Random rnd = new Random(5);
        OnnxModel model = OnnxModel.load(OnnxBuilder.empty()
                .input("z", TensorProto.DataType.FLOAT, "N", 8)
                .input("y", TensorProto.DataType.FLOAT, "N", 6)
                .gemm("z", "h", 12, 8, random(rnd, 96), random(rnd, 12))
                .relu("h", "layer")
                .gemm("layer", "o", 6, 12, random(rnd, 72), random(rnd, 6))
                .add("o", "y", "image")
                .output("image")
                .save(dir.resolve("gen.onnx")));
        Map<String, TensorData> feeds = Map.of("z", TensorData.ofFloats(random(rnd, 3 * 8), 3, 8),
                "y", TensorData.ofFloats(random(rnd, 3 * 6), 3, 6));
        try (SplitRunner split = SplitRunner.open(model, "layer", 1)) {
            assertThat(split.split().crossings()).containsExactly("y");
            assertThat(split.split().headOutputs()).containsExactly("layer");
            TensorData out = split.tail(split.head(feeds)).get("image");
            assertThat(out.sameAs(whole(model, feeds, List.of("image")).get("image"))).isTrue();
        }
    }

    @Test
    void errorsNameTheProblem() {
        var m = residual(new Random(1)).build();
        assertThatThrownBy(() -> GraphSplit.at(m, "nope")).isInstanceOf(JdissectException.class)
                .hasMessageContaining("no tensor 'nope'");
        assertThatThrownBy(() -> GraphSplit.at(m, "input")).hasMessageContaining("input of the model");
        assertThatThrownBy(() -> GraphSplit.at(m, "logits")).hasMessageContaining("no output of the model depends");
    }
}
