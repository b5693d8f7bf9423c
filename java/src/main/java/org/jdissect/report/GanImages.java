package org.jdissect.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.jdissect.io.AtomicFiles;
import org.jdissect.model.GeneratedImages;
import org.jdissect.model.Generator;
import org.jdissect.stats.UnitStats;

/** Picture files of GAN experiments: each unit's top samples, and before/after grids of edits. */
public final class GanImages {
    private GanImages() {
    }

    /** {@code dir/unit_0001.png}: the unit's top-k samples side by side, regenerated from their seeds. */
    public static void writeTopImages(Path dir, Generator gen, UnitStats stats, long seed, float lo, float hi) {
        int[] shape = gen.imageShape();
        for (int u = 0; u < stats.topImages().length; u++) {
            int[] top = stats.topImages()[u];
            if (top.length == 0) {
                continue;
            }
            BufferedImage strip = new BufferedImage(top.length * shape[2], shape[1], BufferedImage.TYPE_INT_RGB);
            Graphics2D g = strip.createGraphics();
            for (int r = 0; r < top.length; r++) {
                Generator.Head head = gen.head(gen.latents(seed, top[r], 1), 1);
                BufferedImage img = GeneratedImages.toRgb(gen.tail(head, 1), 1, shape[1], shape[2], lo, hi).get(0);
                g.drawImage(img, r * shape[2], 0, null);
            }
            g.dispose();
            writePng(dir.resolve(String.format("unit_%04d.png", u + 1)), strip);
        }
    }

    /** A grid: row 2k shows the images before, row 2k + 1 after, with an optional region outlined. */
    public static BufferedImage beforeAfter(List<BufferedImage> before, List<BufferedImage> after, int[] region) {
        int w = before.get(0).getWidth();
        int h = before.get(0).getHeight();
        int gap = 2;
        BufferedImage grid = new BufferedImage(before.size() * (w + gap), 2 * (h + gap), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < before.size(); i++) {
            g.drawImage(before.get(i), i * (w + gap), 0, null);
            g.drawImage(after.get(i), i * (w + gap), h + gap, null);
            if (region != null) {
                g.setColor(Color.YELLOW);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(i * (w + gap) + region[0], h + gap + region[1], region[2] - region[0] - 1,
                        region[3] - region[1] - 1);
            }
        }
        g.dispose();
        return grid;
    }

    public static void writePng(Path file, BufferedImage image) {
        AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }
}
