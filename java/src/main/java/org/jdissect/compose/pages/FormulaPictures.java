package org.jdissect.compose.pages;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.compose.ComposeRecord;
import org.jdissect.data.ImageLabels;
import org.jdissect.dissect.ImageStore;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.stats.LabelSource;

/**
 * A unit's formula drawn over its top images: per image a cell of the card's thumbnail size, the image letterboxed in
 * it, the pixels outside the formula's mask darkened and its edge outlined in cyan (the unit's own mask, on the card
 * beside it, is outlined in yellow). The formula is evaluated on the image's label maps exactly as compose counts it:
 * a concept covers the pixels labelled with it in any label layer, or the whole image when it is an image-level label;
 * the terms apply left to right.
 */
final class FormulaPictures {
    /** Outside the mask: the dark of the unit masks, at the same opacity. */
    private static final int DARK = 0x0b1220;
    private static final double DARK_ALPHA = 0xb8 / 255.0;
    private static final int EDGE = 0x00c8ff;
    private static final int LETTERBOX = 0xeceff3;
    static final int GAP = 4;

    private final ImageStore images;
    private final LabelSource labels;
    private final Map<String, Integer> cacheIndex = new HashMap<>();
    private final List<Integer> rows;
    private final int cell;

    /**
     * @param rows the dataset rows of the cached images, in cache order (the order {@code labels} is indexed in)
     */
    FormulaPictures(ImageStore images, LabelSource labels, List<Integer> rows, int cell) {
        this.images = images;
        this.labels = labels;
        this.rows = rows;
        this.cell = cell;
        for (int i = 0; i < rows.size(); i++) {
            cacheIndex.putIfAbsent(images.name(rows.get(i)), i);
        }
    }

    /** The strip of {@code unit}'s top images with {@code formula}'s mask, or null when an image is not cached. */
    BufferedImage strip(LayerRecord.Unit unit, ComposeRecord.Explained formula, int max) {
        List<LayerRecord.TopImage> top = unit.topImages().subList(0, Math.min(max, unit.topImages().size()));
        if (top.isEmpty()) {
            return null;
        }
        BufferedImage out = new BufferedImage(top.size() * cell + (top.size() - 1) * GAP, cell,
                BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.dispose();
        for (int k = 0; k < top.size(); k++) {
            Integer index = cacheIndex.get(top.get(k).image());
            if (index == null) {
                return null;
            }
            ImageLabels il = labels.labels(index);
            draw(out, k * (cell + GAP), images.read(rows.get(index), null), mask(il, formula), il.sh(), il.sw());
        }
        return out;
    }

    /** The formula's mask on one image's label maps ({@code sh x sw}, row by row). */
    static boolean[] mask(ImageLabels il, ComposeRecord.Explained formula) {
        int n = il.sh() * il.sw();
        boolean[] m = concept(il, formula.terms().get(0).label(), n);
        for (ComposeRecord.Term t : formula.terms().subList(1, formula.terms().size())) {
            boolean[] c = concept(il, t.label(), n);
            for (int p = 0; p < n; p++) {
                m[p] = switch (t.op()) {
                    case "AND" -> m[p] && c[p];
                    case "OR" -> m[p] || c[p];
                    case "AND NOT" -> m[p] && !c[p];
                    default -> throw new IllegalArgumentException("operator " + t.op());
                };
            }
        }
        return m;
    }

    private static boolean[] concept(ImageLabels il, int label, int n) {
        boolean[] c = new boolean[n];
        for (int l : il.imageLevel()) {
            if (l == label) {
                java.util.Arrays.fill(c, true);
                return c;
            }
        }
        for (int[] layer : il.layers()) {
            for (int p = 0; p < n; p++) {
                c[p] |= layer[p] == label;
            }
        }
        return c;
    }

    /** One cell at {@code left}: the image letterboxed, the mask's outside darkened, its edge in cyan. */
    private void draw(BufferedImage out, int left, BufferedImage image, boolean[] mask, int sh, int sw) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = (double) cell / Math.max(w, h);
        int dw = Math.max(1, (int) Math.round(w * scale));
        int dh = Math.max(1, (int) Math.round(h * scale));
        int ox = (cell - dw) / 2;
        int oy = (cell - dh) / 2;
        BufferedImage scaled = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, dw, dh, null);
        g.dispose();
        for (int y = 0; y < cell; y++) {
            for (int x = 0; x < cell; x++) {
                int px = x - ox;
                int py = y - oy;
                if (px < 0 || py < 0 || px >= dw || py >= dh) {
                    out.setRGB(left + x, y, LETTERBOX);
                    continue;
                }
                int rgb = scaled.getRGB(px, py) & 0xffffff;
                boolean in = inside(mask, sh, sw, px, py, dw, dh);
                if (!in) {
                    rgb = blend(rgb, DARK, DARK_ALPHA);
                } else if (!inside(mask, sh, sw, px - 1, py, dw, dh) || !inside(mask, sh, sw, px + 1, py, dw, dh)
                        || !inside(mask, sh, sw, px, py - 1, dw, dh) || !inside(mask, sh, sw, px, py + 1, dw, dh)) {
                    rgb = EDGE;
                }
                out.setRGB(left + x, y, rgb);
            }
        }
    }

    /** Whether cell pixel (px, py) of a {@code dw x dh} drawing falls in the mask (outside the drawing: no). */
    private static boolean inside(boolean[] mask, int sh, int sw, int px, int py, int dw, int dh) {
        if (px < 0 || py < 0 || px >= dw || py >= dh) {
            return false;
        }
        int lx = Math.min(sw - 1, px * sw / dw);
        int ly = Math.min(sh - 1, py * sh / dh);
        return mask[ly * sw + lx];
    }

    private static int blend(int rgb, int over, double alpha) {
        int r = (int) Math.round(((rgb >> 16) & 255) * (1 - alpha) + ((over >> 16) & 255) * alpha);
        int g = (int) Math.round(((rgb >> 8) & 255) * (1 - alpha) + ((over >> 8) & 255) * alpha);
        int b = (int) Math.round((rgb & 255) * (1 - alpha) + (over & 255) * alpha);
        return r << 16 | g << 8 | b;
    }
}
