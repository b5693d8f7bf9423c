package org.jdissect.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdissect.JdissectException;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed demo models: present, as MODELS.md records them (sha256), small, and found from the build. */
class DemoModelsTest {
    static final List<String> FILES = List.of("scene_cnn.onnx", "scene_cnn_classes.csv", "scene_gan.onnx",
            "scene_seg.onnx", "scene_seg_labels.csv", "scene_vit.onnx");

    @TempDir
    Path tmp;

    static Map<String, String> recordedHashes(Path modelsMd) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\|\\s*`?([\\w.]+)`?\\s*\\|\\s*`?([0-9a-f]{64})`?\\s*\\|")
                .matcher(Files.readString(modelsMd));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Test
    void everyModelFileMatchesItsSha256InModelsMdAndTheyAreSmall() throws Exception {
        Path dir = DemoModels.locate(Demo.MODEL);
        Map<String, String> recorded = recordedHashes(dir.resolve("MODELS.md"));
        long total = 0;
        for (String f : FILES) {
            Path file = dir.resolve(f);
            assertThat(file).as(f).isRegularFile();
            byte[] bytes = Files.readAllBytes(file);
            total += bytes.length;
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(recorded).as("MODELS.md records " + f).containsEntry(f, hash);
        }
        assertThat(total).isLessThanOrEqualTo(40L << 20);
        assertThat(dir.resolve("scene_gan_samples.png")).isRegularFile();
    }

    @Test
    void theClassifierHasTheDemoLayers() {
        Path dir = DemoModels.locate(Demo.MODEL);
        try (OnnxModel m = OnnxModel.load(dir.resolve(Demo.MODEL))) {
            List<String> names = m.layers(Demo.PREPROCESSING).stream().map(l -> l.name()).toList();
            assertThat(names).containsAll(Demo.LAYERS).contains("conv2", "conv4");
        }
    }

    /**
     * The Vision Transformer: its blocks are token layers (a class token, then the 8 x 8 grid of its patch embedding,
     * patch 8 at 64 x 64) and its class token after the final norm an N x C layer, at the classifier's preprocessing.
     */
    @Test
    void theVisionTransformerHasTokenLayersAndAClassToken() {
        Path dir = DemoModels.locate(Demo.MODEL);
        try (OnnxModel m = OnnxModel.load(dir.resolve("scene_vit.onnx"))) {
            for (int b = 1; b <= 4; b++) {
                assertThat(m.layer("block" + b, Demo.PREPROCESSING))
                        .isEqualTo(new LayerInfo("block" + b, "Add", 64, 8, 8, false, 65, 1));
            }
            assertThat(m.layer("cls", Demo.PREPROCESSING)).isEqualTo(new LayerInfo("cls", "Gather", 64, 1, 1, true));
            assertThat(m.layer("logits", Demo.PREPROCESSING)).isEqualTo(new LayerInfo("logits", "Gemm", 11, 1, 1, true));
        }
    }

    @Test
    void aMissingModelIsOneClearErrorNamingWhereItLooked() throws Exception {
        String old = System.getProperty(DemoModels.PROPERTY);
        System.setProperty(DemoModels.PROPERTY, tmp.toString());
        try {
            assertThatThrownBy(() -> DemoModels.locate(Demo.MODEL)).isInstanceOf(JdissectException.class)
                    .hasMessageContaining("scene_cnn.onnx not found").hasMessageContaining(tmp.toString());
            Files.writeString(tmp.resolve(Demo.MODEL), "x");
            assertThat(DemoModels.locate(Demo.MODEL)).isEqualTo(tmp.toAbsolutePath().normalize());
        } finally {
            if (old == null) {
                System.clearProperty(DemoModels.PROPERTY);
            } else {
                System.setProperty(DemoModels.PROPERTY, old);
            }
        }
    }
}
