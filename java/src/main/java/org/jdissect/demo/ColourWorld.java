package org.jdissect.demo;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jdissect.data.BrodenWriter;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.Preprocessing;

/**
 * The starter world, small enough to build in a second, whose answer is known by construction: grey images with red, green and blue rectangles, labelled
 * per pixel by colour (red 1, green 2, blue 3) and by shape (wide 4, tall 5), and per image by a scene (6, 7);
 * and a CNN whose first three units detect red, green and blue, a fourth fires on grey, a fifth is dead; and a
 * segmenter that sees the colour labels exactly, for dissections on its images alone.
 */
public final class ColourWorld {
    public static final int SIZE = 32;
    public static final int LABEL_SIZE = 16;
    public static final List<String> CATEGORIES = List.of("color", "object", "scene");
    /** What the world's models take: its 32 x 32 images in RGB, scaled to 0..1, no mean or deviation applied. */
    public static final Preprocessing PREPROCESSING = new Preprocessing(SIZE, SIZE, Preprocessing.ChannelOrder.RGB,
            255f, new float[] {0, 0, 0}, new float[] {1, 1, 1});

    private ColourWorld() {
    }

    /** Writes {@code images} seeded images as a Broden dataset at {@code dir}. */
    public static Path writeDataset(Path dir, int images, long seed) {
        Random rnd = new Random(seed);
        try (BrodenWriter w = BrodenWriter.create(dir, CATEGORIES, BrodenWriter.ImageFormat.PNG)) {
            w.label(1, "red").label(2, "green").label(3, "blue").label(4, "wide").label(5, "tall")
                    .label(6, "indoor").label(7, "outdoor");
            for (int i = 0; i < images; i++) {
                BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
                int[] colour = new int[LABEL_SIZE * LABEL_SIZE];
                int[] object = new int[LABEL_SIZE * LABEL_SIZE];
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        img.setRGB(x, y, 0x808080);
                    }
                }
                int shapes = 1 + rnd.nextInt(3);
                for (int s = 0; s < shapes; s++) {
                    int c = rnd.nextInt(3);
                    boolean wide = rnd.nextBoolean();
                    int h = wide ? 4 : 8 + rnd.nextInt(6);
                    int wd = wide ? 8 + rnd.nextInt(6) : 4;
                    int y0 = 2 * rnd.nextInt((SIZE - h) / 2);
                    int x0 = 2 * rnd.nextInt((SIZE - wd) / 2);
                    int intensity = 150 + rnd.nextInt(106);
                    int rgb = intensity << (16 - 8 * c);
                    for (int y = y0; y < y0 + h; y++) {
                        for (int x = x0; x < x0 + wd; x++) {
                            img.setRGB(x, y, rgb);
                            int p = (y / 2) * LABEL_SIZE + x / 2;
                            colour[p] = 1 + c;
                            object[p] = wide ? 4 : 5;
                        }
                    }
                }
                w.addImage(String.format("cw/%04d", i), i % 5 == 0 ? "val" : "train", img, LABEL_SIZE, LABEL_SIZE,
                        Map.of("color", List.of(colour), "object", List.of(object)),
                        Map.of("scene", new int[] {6 + rnd.nextInt(2)}));
            }
            w.finish();
        }
        return dir;
    }

    /**
     * The weights of the world's colour detector, 5 units x (R, G, B), each times {@code scale}: red, green, blue,
     * brightness (which fires on the grey background) and a dead unit. Tests build variants of the model from them.
     */
    public static float[] detectorWeights(float scale) {
        float[] w = {
            1, -1, -1,            // red
            -1, 1, -1,            // green
            -1, -1, 1,            // blue
            0.3f, 0.3f, 0.3f,     // brightness
            0, 0, 0,              // dead
        };
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale;
        }
        return w;
    }

    /**
     * The world's detector with its weights times {@code scale}, no output named yet: conv1x1 "detect" (5 units) ->
     * relu "detect_relu" -> avgpool 4 "pool" (8 x 8). Tests add layers and outputs to it.
     */
    public static OnnxBuilder detector(float scale) {
        return OnnxBuilder.imageInput(SIZE, SIZE)
                .conv(OnnxBuilder.INPUT, "detect", 5, 3, 1, 1, 0, detectorWeights(scale), new float[5])
                .relu("detect", "detect_relu")
                .averagePool("detect_relu", "pool", 4, 4);
    }

    /** {@link #detector} at scale 1 with "pool" as its output. Input scaled to 0..1. */
    public static Path writeModel(Path file) {
        return detector(1).output("pool").save(file);
    }

    /** A segmentation model and its classes file. */
    public record Segmenter(Path model, Path labels) {
    }

    /**
     * A segmenter of the world's 32 x 32 images that is exact by construction: a 1x1 convolution scoring each colour,
     * averaged over the 2x2 blocks the world paints in, at the label maps' 16 x 16, so that its segmentations are the
     * dataset's colour label maps (classes "-", red, green, blue of category color), written into {@code dir}.
     */
    public static Segmenter writeSegmenter(Path dir) {
        // class 0 "-" scores a constant 0, above every colour score on grey (0.5 - 0.5 - 0.5 < 0); a painted colour
        // (intensity >= 150 / 255 on its own channel, 0 on the others) scores at least 0.58 for its class
        float[] weights = {
            0, 0, 0,
            1, -1, -1,
            -1, 1, -1,
            -1, -1, 1,
        };
        try {
            Files.createDirectories(dir);
            Path model = OnnxBuilder.imageInput(SIZE, SIZE)
                    .conv(OnnxBuilder.INPUT, "scores", 4, 3, 1, 1, 0, weights, new float[4])
                    .averagePool("scores", "blocks", 2, 2)
                    .output("blocks")
                    .save(dir.resolve("colour_seg.onnx"));
            Path labels = Files.writeString(dir.resolve("colour_seg_labels.csv"),
                    "class,name,category\n0,-,\n1,red,color\n2,green,color\n3,blue,color\n");
            return new Segmenter(model, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The images of a dataset {@link #writeDataset} wrote, alone, under {@code to} at the same relative paths (a
     * Broden dataset keeps its label maps in the same folder): a folder for a segmenter to label.
     */
    public static Path copyImages(Path dataset, Path to) {
        Path from = dataset.resolve("images");
        try (var files = Files.walk(from)) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches("\\d{4}\\.png")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
