package org.jdissect.data;

import org.jdissect.JdissectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer's promises beyond the round trip: nothing half-written, nothing overwritten, bad input refused. */
class BrodenWriterTest {
    @TempDir
    Path tmp;

    private static BufferedImage image() {
        return new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    }

    private List<String> entries() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeOne(Path dir, int label, boolean replace) {
        try (BrodenWriter w = BrodenWriter.create(dir, List.of("scene"), BrodenWriter.ImageFormat.PNG)) {
            w.replaceExisting(replace).label(label, "l" + label);
            w.addImage("a", "train", image(), 1, 1, Map.of(), Map.of("scene", new int[]{label}));
            w.finish();
        }
    }

    @Test
    void nothingAppearsUntilFinishAndCloseWithoutFinishLeavesNothing() throws Exception {
        Path dir = tmp.resolve("out");
        try (BrodenWriter w = BrodenWriter.create(dir, List.of("scene"), BrodenWriter.ImageFormat.PNG)) {
            w.label(1, "beach");
            w.addImage("a", "train", image(), 1, 1, Map.of(), Map.of("scene", new int[]{1}));
            assertThat(dir).doesNotExist();
            assertThat(entries()).singleElement().asString().startsWith(".out.tmp-");
        }
        assertThat(entries()).isEmpty();
    }

    @Test
    void finishPlacesTheDatasetAndLeavesNoTemporaries() throws Exception {
        Path dir = tmp.resolve("out");
        writeOne(dir, 1, false);
        assertThat(entries()).containsExactly("out");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(".jdissect-dataset", "c_scene.csv", "category.csv", "images", "index.csv", "label.csv");
        }
        assertThat(Files.readString(dir.resolve("index.csv")))
                .isEqualTo("image,split,ih,iw,sh,sw,scene\na.png,train,2,2,1,1,1\n");
        assertThat(Files.readString(dir.resolve("label.csv")))
                .isEqualTo("number,name,category,frequency,coverage,syns\n1,l1,scene(1),1,1.0,\n");
    }

    @Test
    void anExistingDatasetIsKeptUnlessReplacingIsAllowed() throws Exception {
        Path dir = tmp.resolve("out");
        writeOne(dir, 1, false);
        assertThatThrownBy(() -> writeOne(dir, 2, false)).isInstanceOf(JdissectException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("not empty");
        assertThat(BrodenDataset.open(dir, null, false).labelName(1)).isEqualTo("l1");
        assertThat(entries()).containsExactly("out");

        writeOne(dir, 2, true);
        BrodenDataset replaced = BrodenDataset.open(dir, null, false);
        assertThat(replaced.numLabels()).isEqualTo(3);
        assertThat(replaced.labelName(2)).isEqualTo("l2");
        assertThat(entries()).containsExactly("out");
    }

    @Test
    void anEmptyTargetFolderIsUsed() throws Exception {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        writeOne(dir, 3, false);
        assertThat(BrodenDataset.open(dir, null, false).readLabels(0).imageLevel()).containsExactly(3);
    }

    @Test
    void badCallsAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path dir = tmp.resolve("out");
        try (BrodenWriter w = BrodenWriter.create(dir, List.of("color", "scene"), BrodenWriter.ImageFormat.PNG)) {
            w.label(1, "red");
            assertThatThrownBy(() -> w.label(1, "again")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.label(70000, "big")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.addImage("a", "train", image(), 1, 2,
                    Map.of("color", List.of(new int[]{1, 2})), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2").hasMessageContaining("declared");
            assertThatThrownBy(() -> w.addImage("b", "train", image(), 1, 2,
                    Map.of("color", List.of(new int[]{1})), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 1x2");
            assertThatThrownBy(() -> w.addImage("c", "train", image(), 1, 1, Map.of("object", List.of()), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("color, scene");
            assertThatThrownBy(() -> w.addImage("../d", "train", image(), 1, 1, Map.of(), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.addImage("e", "train", image(), 1, 1, Map.of(), Map.of("scene", new int[]{9})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9");
            w.addImage("ok", "train", image(), 1, 1, Map.of("color", List.of(new int[]{1})), Map.of());
            w.addImage("a", "val", image(), 1, 1, Map.of(), Map.of()); // the refused call did not take the name
            assertThatThrownBy(() -> w.addImage("ok", "train", image(), 1, 1, Map.of(), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
            w.finish();
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        }
        BrodenDataset data = BrodenDataset.open(dir, null, false);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.row(0).image()).isEqualTo("ok.png");
        assertThat(data.hasLabels(1)).isFalse();
        try (Stream<Path> s = Files.list(dir.resolve("images"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("a.png", "ok.png", "ok_color.png");
        }
    }
}
