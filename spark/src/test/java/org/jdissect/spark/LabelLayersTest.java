package org.jdissect.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.data.BrodenWriter;
import org.jdissect.demo.Demo;
import org.jdissect.demo.DemoModels;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.OnnxModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset with every kind of label BRODEN.md defines: pixel labels, a category with two label layers per image,
 * image-level categories with one or two labels (and none), label maps of two sizes, and images without any label
 * in some categories; and a corrupt image. The Spark job against the single-machine pipeline: the same files with
 * --skip-bad (the same image skipped, the same count in report.json), and without it the same one-line error.
 */
class LabelLayersTest {
    static final List<String> CATS = List.of("color", "part", "scene", "texture");
    static final int IMAGES = 45;
    static final int CORRUPT = 23;
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static JavaSparkContext sc;

    @BeforeAll
    static void setUp() throws Exception {
        data = writeDataset(tmp.resolve("layers"));
        model = DemoModels.locate(Demo.MODEL).resolve(Demo.MODEL);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[*]").setAppName("test")
                .set("spark.ui.enabled", "false"));
    }

    /** The dataset of the class comment, {@link #IMAGES} images, in {@code dir}. */
    static Path writeDataset(Path dir) {
        Path data = dir;
        Random rnd = new Random(5);
        try (BrodenWriter w = BrodenWriter.create(data, CATS, BrodenWriter.ImageFormat.PNG)) {
            w.label(1, "red").label(2, "green").label(3, "blue").label(10, "handle").label(11, "knob")
                    .label(12, "rim").label(20, "kitchen").label(21, "street").label(22, "forest")
                    .label(30, "striped").label(31, "dotted");
            for (int i = 0; i < IMAGES; i++) {
                int size = 48 + 8 * (i % 3);
                int sh = i % 2 == 0 ? 24 : 12;
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                int[] colour = new int[sh * sh];
                int[] part1 = new int[sh * sh];
                int[] part2 = new int[sh * sh];
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int c = ((x * 3 / size) + (y * 2 / size) + i) % 3; // blocks of three colours
                        img.setRGB(x, y, (c == 0 ? 0xd02020 : c == 1 ? 0x20c020 : 0x2020d0) ^ rnd.nextInt(0x101010));
                    }
                }
                for (int y = 0; y < sh; y++) {
                    for (int x = 0; x < sh; x++) {
                        int c = ((x * 3 / sh) + (y * 2 / sh) + i) % 3;
                        colour[y * sh + x] = i % 7 == 3 ? 0 : 1 + c;
                        part1[y * sh + x] = rnd.nextInt(4) == 0 ? 10 + rnd.nextInt(3) : 0;
                        part2[y * sh + x] = (x + y + i) % 5 == 0 ? 11 : 0; // overlaps part1: both layers count
                    }
                }
                int[] scenes = i % 5 == 0 ? new int[0] : i % 4 == 0 ? new int[] {20, 22} : new int[] {20 + i % 3};
                int[] textures = i % 3 == 0 ? new int[] {30 + i % 2} : new int[0];
                w.addImage("img/" + i, "train", img, sh, sh,
                        Map.of("color", List.of(colour), "part", List.of(part1, part2)),
                        Map.of("scene", scenes, "texture", textures));
            }
            w.finish();
        }
        return data;
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    static Probe probe() {
        return new Probe.Broden(model, List.of("conv3", "conv5"), Demo.PREPROCESSING, data, List.of());
    }

    static DissectionOptions options(boolean skipBad) {
        return DissectionOptions.defaults().withBatch(4).withThreads(2).withTopk(5).withSkipBad(skipBad);
    }

    static DissectionResult spark(Path out, boolean skipBad) {
        return new SparkDissection(sc, 5, SparkDissection.NONE).run(probe(), out, options(skipBad),
                OnnxModel.Inference.CPU, ProgressListener.NONE, Invocation.current());
    }

    @Test
    void pixelLabelLayersAndImageLevelLabelsCountAsOnOneMachine() throws Exception {
        Path single = tmp.resolve("single");
        Dissection.builder().probe(probe()).out(single).options(options(false)).run();
        Path out = tmp.resolve("spark");
        spark(out, false);
        Outputs.assertSame(single, out, List.of("conv3", "conv5"));
        // the dataset does what it says: a part label in the second layer only, and image-level labels counted
        assertThat(Outputs.read(single.resolve("conv5/tally.csv"))).contains("striped").contains("kitchen");
    }

    @Test
    void aCorruptImageIsSkippedOrFailsTheJobAsOnOneMachine() throws Exception {
        Path copy = tmp.resolve("corrupt");
        copyTree(data, copy);
        Path image = BrodenDataset.open(copy, null, false).imagePath(CORRUPT);
        Files.write(image, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Probe probe = new Probe.Broden(model, List.of("conv3", "conv5"), Demo.PREPROCESSING, copy, List.of());

        Path single = tmp.resolve("single-skip");
        DissectionResult one = Dissection.builder().probe(probe).out(single).options(options(true)).run();
        Path out = tmp.resolve("spark-skip");
        DissectionResult many = new SparkDissection(sc, 5, SparkDissection.NONE).run(probe, out, options(true),
                OnnxModel.Inference.CPU, ProgressListener.NONE, Invocation.current());
        assertThat(one.skipped()).isEqualTo(1);
        assertThat(many.skipped()).isEqualTo(1);
        assertThat(many.rows()).isEqualTo(one.rows()).doesNotContain(CORRUPT);
        Outputs.assertSame(single, out, List.of("conv3", "conv5"));

        Throwable expected = org.assertj.core.api.Assertions.catchThrowable(() -> Dissection.builder().probe(probe)
                .out(tmp.resolve("single-fail")).options(options(false)).run());
        assertThat(expected).isInstanceOf(JdissectException.class).hasMessageContaining(image.getFileName().toString());
        assertThatThrownBy(() -> new SparkDissection(sc, 5, SparkDissection.NONE).run(probe,
                tmp.resolve("spark-fail"), options(false), OnnxModel.Inference.CPU, ProgressListener.NONE,
                Invocation.current()))
                .isInstanceOf(JdissectException.class).hasMessage(expected.getMessage());
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
