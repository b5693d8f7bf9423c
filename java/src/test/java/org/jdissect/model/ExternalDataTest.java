package org.jdissect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.onnx.proto.OnnxMl.TensorProto;
import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalDataTest {

    @TempDir
    Path dir;

    private static OnnxBuilder detector() {
        return OnnxModelTest.detector(OnnxBuilder.imageInput(8, 8));
    }

    private static float[] expectedDetect(float[] x, int n) {
        return OnnxModelTest.relu(OnnxModelTest.conv1x1(x, n, 8, 8));
    }

    @Test
    void externalDataModelLoadsAndRuns() throws Exception {
        Path model = detector().saveWithExternalData(dir.resolve("models/detector.onnx"), "detector.onnx.data");
        assertThat(dir.resolve("models/detector.onnx.data")).exists();
        // the model file itself holds no weights
        assertThat(Files.size(model)).isLessThan(Files.size(dir.resolve("models/detector.onnx.data")) + 1000);
        try (OnnxModel m = OnnxModel.load(model)) {
            assertThat(m.proto().getGraph().getInitializerList())
                    .allSatisfy(t -> assertThat(ExternalData.isExternal(t)).isFalse());
            assertThat(m.layers(OnnxModelTest.PRE8)).extracting(LayerInfo::name)
                    .containsExactly("conv", "detect", "pool", "gap", "flat", "logits");
            try (LayerRunner r = m.runner(List.of("detect"), OnnxModelTest.PRE8, 1)) {
                float[] x = OnnxModelTest.randomImages(2, 8, 8, 11);
                assertThat(r.run(x, 2).get(0)).containsExactly(expectedDetect(x, 2), within(1e-5f));
            }
        }
    }

    @Test
    void dataInASubfolderIsAllowed() {
        Path model = detector().saveWithExternalData(dir.resolve("detector.onnx"), "weights/all.bin");
        try (OnnxModel m = OnnxModel.load(model); LayerRunner r = m.runner(List.of("conv"), OnnxModelTest.PRE8, 1)) {
            float[] x = OnnxModelTest.randomImages(1, 8, 8, 12);
            assertThat(r.run(x, 1).get(0)).containsExactly(OnnxModelTest.conv1x1(x, 1, 8, 8), within(1e-5f));
        }
    }

    @Test
    void modelsTooLargeToInlineLetOnnxRuntimeReadTheFilesFromTheModelsFolder() {
        Path model = detector().saveWithExternalData(dir.resolve("big/detector.onnx"), "detector.onnx.data");
        try (OnnxModel m = OnnxModel.load(model, 0)) {
            assertThat(m.proto().getGraph().getInitializerList())
                    .anySatisfy(t -> assertThat(ExternalData.isExternal(t)).isTrue());
            try (LayerRunner r = m.runner(List.of("detect", "pool"), OnnxModelTest.PRE8, 1)) {
                float[] x = OnnxModelTest.randomImages(2, 8, 8, 13);
                List<float[]> out = r.run(x, 2);
                float[] detect = expectedDetect(x, 2);
                assertThat(out.get(0)).containsExactly(detect, within(1e-5f));
                assertThat(out.get(1)).containsExactly(OnnxModelTest.avgPool(detect, 8, 8, 8, 4), within(1e-5f));
            }
        }
    }

    @Test
    void dataOutsideTheFolderIsRefused() throws Exception {
        Path escape = detector().saveWithExternalData(dir.resolve("models/escape.onnx"), "../escape.bin");
        assertThat(dir.resolve("escape.bin")).exists();
        assertThatThrownBy(() -> OnnxModel.load(escape)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("escape.onnx")
                .hasMessageContaining("'../escape.bin'")
                .hasMessageContaining("outside the model's folder");

        Path target = dir.resolve("elsewhere/abs.bin");
        Path absolute = detector().saveWithExternalData(dir.resolve("models/abs.onnx"), target.toAbsolutePath().toString(), target);
        assertThatThrownBy(() -> OnnxModel.load(absolute)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("abs.onnx").hasMessageContaining("is an absolute path");

        Path outside = dir.resolve("elsewhere/link-target.bin");
        Path linked = detector().saveWithExternalData(dir.resolve("models/linked.onnx"), "linked.bin", outside);
        Files.createSymbolicLink(dir.resolve("models/linked.bin"), outside);
        assertThatThrownBy(() -> OnnxModel.load(linked)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("linked.onnx").hasMessageContaining("symbolic link")
                .hasMessageContaining("outside the model's folder");
        // the same refusals when the data would stay in its files
        assertThatThrownBy(() -> OnnxModel.load(escape, 0)).hasMessageContaining("outside the model's folder");
        assertThatThrownBy(() -> OnnxModel.load(linked, 0)).hasMessageContaining("symbolic link");
    }

    @Test
    void aSymbolicLinkThatStaysInsideIsFine() throws Exception {
        Path model = detector().saveWithExternalData(dir.resolve("m/detector.onnx"), "alias.bin", dir.resolve("m/real.bin"));
        Files.createSymbolicLink(dir.resolve("m/alias.bin"), dir.resolve("m/real.bin"));
        try (OnnxModel m = OnnxModel.load(model)) {
            assertThat(m.layers(OnnxModelTest.PRE8)).hasSize(6);
        }
    }

    @Test
    void missingOrShortDataFiles() throws Exception {
        Path model = detector().saveWithExternalData(dir.resolve("gone/detector.onnx"), "detector.onnx.data");
        Path data = dir.resolve("gone/detector.onnx.data");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> OnnxModel.load(model)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("lies beyond the end of");
        Files.delete(data);
        assertThatThrownBy(() -> OnnxModel.load(model)).isInstanceOf(JdissectException.class)
                .hasMessageContaining("detector.onnx.data").hasMessageContaining("does not exist");
    }

    @Test
    void externalTensorsInConstantNodesAreReadToo() throws Exception {
        // hand-edit a Constant node's tensor to point into a file
        Path folder = Files.createDirectories(dir.resolve("const"));
        Files.write(folder.resolve("c.bin"), new byte[] {0, 0, 0, 0, 0, 0, 0x40, 0x40}); // 0f, 3f little-endian
        TensorProto external = TensorProto.newBuilder().setName("c").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(1).addDims(1).addDims(1).addDims(1)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("c.bin"))
                .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue("4"))
                .addExternalData(ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder().setKey("length").setValue("4"))
                .build();
        Path model = OnnxBuilder.imageInput(2, 2)
                .node("Constant", List.of(), "c", OnnxBuilder.tensorAttr("value", external))
                .add("input", "c", "plus3")
                .output("plus3")
                .save(folder.resolve("const.onnx"));
        Preprocessing pre = new Preprocessing(2, 2, Preprocessing.ChannelOrder.RGB, 1f, new float[3], new float[] {1, 1, 1});
        try (OnnxModel m = OnnxModel.load(model); LayerRunner r = m.runner(List.of("plus3"), pre, 1)) {
            float[] x = new float[12];
            float[] out = r.run(x, 1).get(0);
            assertThat(out).containsOnly(3f);
        }
    }
}
