package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.jdissect.data.BrodenWriter;
import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.Preprocessing;

/**
 * A classifier whose decision depends on known units, by construction. Layer {@code units} (1x1 conv + Relu, 6
 * units): unit 1 detects red, 2 green, 3 blue; units 4-6 fire on every image (brightness, a constant, a half of
 * red) but weigh only 0.01 in the class logits. Outputs (after global average pooling): 0 red = unit 1, 1 green =
 * unit 2, 2 blue = unit 3, and 3 "other" (no class of the data maps to it), a constant 0.1. An image whose
 * detector is ablated is therefore called "other"; removing units 4-6 changes nothing.
 */
final class KnownUnits {
    static final String LAYER = "units";
    static final List<String> CLASSES = List.of("blue", "green", "red");
    static final Preprocessing PRE = new Preprocessing(8, 8, Preprocessing.ChannelOrder.RGB, 255f, new float[3],
            new float[] {1, 1, 1});

    private KnownUnits() {
    }

    /** Outputs red, green, blue, other: not the name order, so a mapping file is needed. */
    static Path model(Path file) {
        float[] w = {
            1, -1, -1,
            -1, 1, -1,
            -1, -1, 1,
            0.3f, 0.3f, 0.3f,
            0, 0, 0,
            0.5f, 0, 0};
        float[] b = {0, 0, 0, 0, 0.5f, 0.1f};
        float[] fc = new float[4 * 6];
        for (int c = 0; c < 3; c++) {
            fc[c * 6 + c] = 1f;
            for (int u = 3; u < 6; u++) {
                fc[c * 6 + u] = 0.01f;
            }
        }
        return OnnxBuilder.imageInput(8, 8)
                .conv("input", "conv", 6, 3, 1, 1, 0, w, b)
                .relu("conv", LAYER)
                .globalAveragePool(LAYER, "gap")
                .flatten("gap", "flat")
                .gemm("flat", "logits", 4, 6, fc, new float[] {0, 0, 0, 0.1f})
                .output("logits")
                .save(file);
    }

    /** The class-to-output file for {@link #model}. */
    static Path mapping(Path file) {
        try {
            Files.writeString(file, "class,index\nred,0\ngreen,1\nblue,2\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static BufferedImage image(Random rnd, int colour) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        int v = 150 + rnd.nextInt(100);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int noise = rnd.nextInt(20);
                int[] rgb = {noise, noise, noise};
                rgb[colour] = v;
                img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        return img;
    }

    /** DIR/<class>/NN.png, {@code perClass} images each; colour 0 red, 1 green, 2 blue. */
    static Path folder(Path dir, int perClass, long seed) {
        Random rnd = new Random(seed);
        String[] names = {"red", "green", "blue"};
        try {
            for (int c = 0; c < 3; c++) {
                Files.createDirectories(dir.resolve(names[c]));
                for (int i = 0; i < perClass; i++) {
                    ImageIO.write(image(rnd, c), "png", dir.resolve(names[c]).resolve(String.format("%02d.png", i)).toFile());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The same as a Broden dataset with an image-level category {@code scene}; every fourth image is val. */
    static Path broden(Path dir, int perClass, long seed) {
        Random rnd = new Random(seed);
        try (BrodenWriter w = BrodenWriter.create(dir, List.of("scene"), BrodenWriter.ImageFormat.PNG)) {
            w.label(1, "red").label(2, "green").label(3, "blue");
            int k = 0;
            for (int i = 0; i < perClass; i++) {
                for (int c = 0; c < 3; c++) {
                    w.addImage(String.format("img%03d", k), k % 4 == 3 ? "val" : "train", image(rnd, c), 8, 8,
                            Map.of(), Map.of("scene", new int[] {c + 1}));
                    k++;
                }
            }
            w.finish();
        }
        return dir;
    }
}
