package org.jdissect.attack;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.jdissect.model.OnnxBuilder;
import org.jdissect.model.Preprocessing;

/**
 * A classifier whose decision is carried by two known units, for attacks. Layer {@code units} (1x1 conv + Relu on
 * pixels scaled to 0..1): unit 1 {@code relu(R - B)} (warm), unit 2 {@code relu(B - R)} (cool), unit 3
 * {@code relu(G - 1)} (never above 0) and unit 4 the constant 0.5, which no attack can move; after global average
 * pooling the logits are cool = 10 x unit 2, warm = 10 x unit 1, and an unmapped "other" output fixed at 0.05. Images
 * are flat colours with {@code R - B} of +-10..14 levels: an 8-level budget can reverse that everywhere (by 16), so an
 * attack from warm to cool is possible and must lower unit 1 and raise unit 2, against units 3 and 4 that stay.
 */
public final class WarmCool {
    public static final String LAYER = "units";
    public static final Preprocessing PRE = new Preprocessing(8, 8, Preprocessing.ChannelOrder.RGB, 255f,
            new float[3], new float[] {1, 1, 1});

    private WarmCool() {
    }

    public static Path model(Path file) {
        float[] w = {
            1, 0, -1,
            -1, 0, 1,
            0, 1, 0,
            0, 0, 0};
        float[] fc = new float[3 * 4];
        fc[0 * 4 + 1] = 10f; // cool <- unit 2
        fc[1 * 4 + 0] = 10f; // warm <- unit 1
        return OnnxBuilder.imageInput(8, 8)
                .conv("input", "conv", 4, 3, 1, 1, 0, w, new float[] {0, 0, -1, 0.5f})
                .relu("conv", LAYER)
                .globalAveragePool(LAYER, "gap")
                .flatten("gap", "flat")
                .gemm("flat", "logits", 3, 4, fc, new float[] {0, 0, 0.05f})
                .output("logits")
                .save(file);
    }

    /** Class to output: cool 0, warm 1 (output 2 is no class). */
    public static Path mapping(Path file) {
        try {
            Files.writeString(file, "class,index\ncool,0\nwarm,1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** An image folder DIR/warm, DIR/cool with {@code perClass} flat 8 x 8 images each. */
    public static Path folder(Path dir, int perClass) {
        try {
            for (String cls : new String[] {"warm", "cool"}) {
                Path d = Files.createDirectories(dir.resolve(cls));
                for (int i = 0; i < perClass; i++) {
                    int diff = 10 + i % 5;
                    int sign = cls.equals("warm") ? 1 : -1;
                    int r = 128 + sign * diff / 2;
                    int b = r - sign * diff;
                    int g = 60 + 10 * i;
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            img.setRGB(x, y, (r << 16) | (g << 8) | b);
                        }
                    }
                    ImageIO.write(img, "png", d.resolve(String.format("%02d.png", i)).toFile());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
