package org.jdissect.dissect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.demo.ColourWorld;
import org.jdissect.io.Csv;
import org.jdissect.model.Preprocessing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third probe, a network dissected on a folder of images labelled by a segmenter, against the Broden probe on
 * the same images. The segmenter is exact by construction ({@link ColourWorld#writeSegmenter}), so its segmentations
 * are the dataset's colour label maps, and the two probes must give the same thresholds and the same tally, byte for
 * byte.
 */
class SegmentedImagesTest {
    static final Preprocessing PRE = ColourWorld.PREPROCESSING;

    @TempDir
    static Path tmp;
    static Path world;
    static Path model;
    static Path segmenter;
    static Path labels;
    /** The dataset's images alone (Broden keeps its label maps in the same folder). */
    static Path images;

    @BeforeAll
    static void world() throws Exception {
        world = ColourWorld.writeDataset(tmp.resolve("world"), 40, 11);
        model = ColourWorld.writeModel(tmp.resolve("colour.onnx"));
        images = ColourWorld.copyImages(world, tmp.resolve("images"));
        ColourWorld.Segmenter seg = ColourWorld.writeSegmenter(tmp);
        segmenter = seg.model();
        labels = seg.labels();
    }

    @Test
    void aSegmenterThatSeesTheLabelsGivesTheBrodenTally() throws Exception {
        Path broden = tmp.resolve("broden");
        Path segmented = tmp.resolve("segmented");
        List<String> layers = List.of("pool", "detect_relu");
        Dissection.builder().probe(new Probe.Broden(model, layers, PRE, world, List.of("color")))
                .quantile(0.02).threads(2).out(broden).run();
        DissectionResult r = Dissection.builder().probe(new Probe.SegmentedImages(model, layers, PRE,
                        images, Segmentation.of(segmenter, labels, PRE)))
                .quantile(0.02).threads(2).out(segmented).run();
        assertThat(r.rows()).hasSize(40);
        for (String layer : layers) {
            for (String file : List.of("tally.csv", "thresholds.csv", "iou.csv")) {
                assertThat(Files.readString(segmented.resolve(layer).resolve(file))).as(layer + "/" + file)
                        .isEqualTo(Files.readString(broden.resolve(layer).resolve(file)));
            }
            // the same top images, by the same name (the folder's relative paths are the dataset's image paths);
            // only the index_line column differs (a file number, not an index.csv line)
            assertThat(imagesOf(segmented.resolve(layer).resolve("topk.csv")))
                    .isEqualTo(imagesOf(broden.resolve(layer).resolve("topk.csv")));
            LayerRecord a = LayerRecord.read(broden.resolve(layer));
            LayerRecord b = LayerRecord.read(segmented.resolve(layer));
            assertThat(b.units()).isEqualTo(a.units());
            assertThat(b.source()).isInstanceOf(LayerRecord.Source.SegmentedImages.class);
            assertThat(b.provenance().models()).extracting(m -> m.role()).containsExactly("model", "segmenter");
            assertThat(b.provenance().dataset().kind()).isEqualTo("image-folder");
        }
        // the report reads it back and finds the images again
        try (DissectionOutput out = DissectionOutput.open(segmented)) {
            assertThat(out.layers()).hasSize(2);
            ImageStore images = out.images(null);
            assertThat(images.size()).isEqualTo(40);
            assertThat(images.name(0)).isEqualTo("cw/0000.png");
        }
    }

    @Test
    void aResumedSegmentedRunUsesItsCache() throws Exception {
        Path out = tmp.resolve("resume");
        Probe probe = new Probe.SegmentedImages(model, List.of("pool"), PRE, images,
                Segmentation.of(segmenter, labels, PRE));
        Dissection.builder().probe(probe).quantile(0.02).out(out).run();
        String tally = Files.readString(out.resolve("pool/tally.csv"));
        try (org.jdissect.io.LogCapture log = org.jdissect.io.LogCapture.start()) {
            Dissection.builder().probe(probe).quantile(0.02).out(out).run();
            assertThat(log.messages()).contains("resuming: all 40 images are in the activation cache");
        }
        assertThat(Files.readString(out.resolve("pool/tally.csv"))).isEqualTo(tally);
    }

    @Test
    void aFolderWithoutImagesOrASegmenterWithTheWrongClassesSaysSo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Dissection.builder().probe(new Probe.SegmentedImages(model, List.of("pool"), PRE,
                empty, Segmentation.of(segmenter, labels, PRE))).out(tmp.resolve("x")).run())
                .isInstanceOf(JdissectException.class).hasMessageContaining("no image in " + empty);
        Path three = Files.writeString(tmp.resolve("three.csv"), "class,name,category\n0,-,\n1,red,color\n2,green,color\n");
        assertThatThrownBy(() -> Dissection.builder().probe(new Probe.SegmentedImages(model, List.of("pool"), PRE,
                images, Segmentation.of(segmenter, three, PRE))).out(tmp.resolve("y")).run())
                .isInstanceOf(JdissectException.class).hasMessageContaining("scores 4 classes")
                .hasMessageContaining("lists 3");
    }

    private static List<String> imagesOf(Path topk) throws Exception {
        return Csv.parse(Files.readAllBytes(topk), topk).stream().map(r -> r.fields().get(0) + " "
                + r.fields().get(1) + " " + r.fields().get(2) + " " + r.fields().get(4)).toList();
    }
}
