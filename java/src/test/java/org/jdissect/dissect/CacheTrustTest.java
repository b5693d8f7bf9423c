package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.jdissect.demo.ColourWorld;
import org.jdissect.io.Json;
import org.jdissect.io.LogCapture;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache is resumed only when it is still what it claims to be: the same model (external weights included), the
 * same images (no file replaced since), files that were not altered, a manifest whose numbers add up. Otherwise the
 * run starts afresh, says why in one line, and gives what a fresh run gives.
 */
class CacheTrustTest {
    static final Preprocessing PRE = DissectionTest.PRE;

    @TempDir
    Path tmp;

    private Dissection.Builder builder(Path data, Path model, Path out, List<String> layers) {
        return Dissection.builder().model(model).data(data).out(out).layers(layers).preprocessing(PRE)
                .quantile(0.02).batch(7).threads(2);
    }

    /** Runs and returns the log lines. */
    private static List<String> logged(Dissection.Builder b) {
        try (LogCapture log = LogCapture.start()) {
            b.run();
            return log.messages();
        }
    }

    @Test
    void imagesReplacedSinceAreNoticed() throws Exception {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 30, 1);
        Path other = ColourWorld.writeDataset(tmp.resolve("other"), 30, 2);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        builder(data, model, out, List.of("pool")).run();
        // the images of another world under the same CSV files (the images differ, index.csv does not)
        Path image = data.resolve("images/cw/0004.png");
        Files.copy(other.resolve("images/cw/0004.png"), image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 5000));
        List<String> log = logged(builder(data, model, out, List.of("pool")));
        assertThat(log).anyMatch(l -> l.contains("started afresh: 1 cached image changed since"));
        Path fresh = tmp.resolve("fresh");
        builder(data, model, fresh, List.of("pool")).run();
        assertThat(Files.readString(out.resolve("pool/tally.csv")))
                .isEqualTo(Files.readString(fresh.resolve("pool/tally.csv")));
    }

    @Test
    void changedExternalWeightsAreNoticed() throws Exception {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 20, 1);
        Path model = detector(1f).saveWithExternalData(tmp.resolve("ext/m.onnx"), "m.onnx.data");
        Path out = tmp.resolve("out");
        builder(data, model, out, List.of("pool")).run();
        detector(2f).saveWithExternalData(tmp.resolve("ext2/m.onnx"), "m.onnx.data");
        Files.copy(tmp.resolve("ext2/m.onnx.data"), tmp.resolve("ext/m.onnx.data"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readAllBytes(model)).isEqualTo(Files.readAllBytes(tmp.resolve("ext2/m.onnx")));
        List<String> log = logged(builder(data, model, out, List.of("pool")));
        assertThat(log).anyMatch(l -> l.contains("started afresh: it was made with another model weights file"));
    }

    @Test
    void aChangedOptionIsNamed() {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 20, 1);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        builder(data, model, out, List.of("pool")).run();
        List<String> log = logged(builder(data, model, out, List.of("pool")).categories(List.of("color")));
        assertThat(log).anyMatch(l -> l.contains("started afresh: it was made with another categories"));
        log = logged(builder(data, model, out, List.of("pool")).categories(List.of("color")).fresh(true));
        assertThat(log).anyMatch(l -> l.contains("started afresh: --fresh"));
    }

    @Test
    void garbageInACacheFileOfTheRightSizeIsNoticed() throws Exception {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 20, 1);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        builder(data, model, out, List.of("pool")).run();
        String tally = Files.readString(out.resolve("pool/tally.csv"));
        Path file = out.resolve("cache/pool.f16");
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(size / 2);
            f.write(new byte[] {0x3c, 0x00, 0x3c, 0x00}); // two halves of 1.0 in the middle of a map
        }
        assertThat(Files.size(file)).isEqualTo(size);
        List<String> log = logged(builder(data, model, out, List.of("pool")));
        assertThat(log).anyMatch(l -> l.contains("started afresh: pool.f16 was altered since it was written"));
        assertThat(Files.readString(out.resolve("pool/tally.csv"))).isEqualTo(tally);
    }

    @Test
    void anEditedManifestIsNoticedNotACrash() throws Exception {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 20, 1);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        builder(data, model, out, List.of("pool")).run();
        Path manifest = out.resolve("cache/manifest.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.mapper().readValue(manifest.toFile(), Map.class);
        @SuppressWarnings("unchecked")
        List<Integer> rows = new java.util.ArrayList<>((List<Integer>) m.get("rows"));
        rows.set(3, 9999);
        m.put("rows", rows);
        Json.write(manifest, m);
        List<String> log = logged(builder(data, model, out, List.of("pool")));
        assertThat(log).anyMatch(l -> l.contains("its manifest is inconsistent: its rows name image 9999, outside"));
        Files.writeString(manifest, "{ not json");
        log = logged(builder(data, model, out, List.of("pool")));
        assertThat(log).anyMatch(l -> l.contains("its manifest cannot be read"));
    }

    @Test
    void droppedLayersLeaveNoCacheFilesBehind() {
        Path data = ColourWorld.writeDataset(tmp.resolve("world"), 20, 1);
        Path model = ColourWorld.writeModel(tmp.resolve("m.onnx"));
        Path out = tmp.resolve("out");
        builder(data, model, out, List.of("pool", "detect_relu")).run();
        assertThat(out.resolve("cache/detect_relu.f16")).exists();
        List<String> log = logged(builder(data, model, out, List.of("pool")));
        assertThat(log).anyMatch(l -> l.contains("another layers") && l.contains("earlier cache files of"));
        assertThat(out.resolve("cache/detect_relu.f16")).doesNotExist();
        assertThat(out.resolve("cache/pool.f16")).exists();
    }

    /** ColourWorld's detector with its weights scaled, to save with external data. */
    private static OnnxBuilder detector(float scale) {
        return ColourWorld.detector(scale).output("pool");
    }
}
