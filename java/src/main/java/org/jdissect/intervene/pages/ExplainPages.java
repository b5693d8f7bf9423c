package org.jdissect.intervene.pages;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import gg.jte.Content;

import org.jdissect.data.ImageDecoder;
import org.jdissect.intervene.ExplainRecord;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Provenance;
import org.jdissect.report.Folders;
import org.jdissect.report.Charts;
import org.jdissect.report.Format;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The pages of {@code jdissect explain --out}: every folder under OUT with an {@code explain.json} gets a page with
 * the image explained, the prediction, the units that fire on it and the units the decision rests on most, each
 * with its concept, its IoU and what ablating it alone does to the prediction, linked to its card when the layer was
 * dissected in OUT. The index and the layer's page list them.
 */
public final class ExplainPages implements ReportExtension {
    static final String ABLATED_COLOUR = AblationPages.TOP_N_COLOUR;
    static final String BEFORE_COLOUR = GanPages.BASELINE_COLOUR;
    /** The longest side of the image as the report keeps it; a larger image is scaled down to it. */
    static final int IMAGE_SIDE = 256;
    /** The longest side a small image is enlarged to on the page, by a whole factor (its pixels stay square). */
    static final int SHOWN_SIDE = 224;

    private List<Explained> explained = List.of();

    /** An explain output folder, its record and its page. */
    record Explained(Path dir, String where, String page, ExplainRecord record) {
        String layer() {
            return record.layer();
        }

        /** The page's name without {@code .html}: the stem of its picture's and figure's names. */
        String stem() {
            return page.substring(0, page.length() - ".html".length());
        }

        /** The image's file name, as the lists name an explanation. */
        String image() {
            return Format.fileName(record.image());
        }
    }

    @Override
    public void prepare(Site site) {
        explained = Folders.find(site, ExplainRecord.FILE, "explain-", ExplainRecord::read).stream()
                .map(f -> new Explained(f.dir(), f.where(), f.page(), f.record())).toList();
    }

    @Override
    public void writePages(Site site) {
        for (Explained e : explained) {
            site.writePage(e.page(), "Explanation of " + e.image(), page(site, e));
        }
    }

    @Override
    public List<ReportSection> indexSections(Site site) {
        return ReportSection.listing("explanations", "Explanations", explained, Templates::explanations);
    }

    @Override
    public List<ReportSection> layerSections(Site site, String layer) {
        List<Explained> mine = explained.stream().filter(e -> e.layer().equals(layer)).toList();
        return ReportSection.listing("explanations", "Explanations", mine, Templates::explanations);
    }

    /** A unit's row: the record's unit, its card here (or null), its rank among the decisive units (or null). */
    record UnitRow(ExplainRecord.Unit unit, UnitCards.Card card, Integer decisiveRank) {
    }

    /** The image as the page shows it: its link and size, or why there is none. */
    record Picture(String link, int width, int height, String problem) {
    }

    private static Content page(Site site, Explained e) {
        ExplainRecord r = e.record();
        Optional<UnitCards> cards = site.cards(r.layer());
        List<UnitRow> firing = rows(r, r.firingUnits(), cards);
        List<UnitRow> decisive = rows(r, r.decisiveUnits(), cards);
        Content chart = null;
        if (!r.decisiveUnits().isEmpty()) {
            String predicted = r.predicted().className();
            List<Charts.Share> bars = new ArrayList<>();
            for (ExplainRecord.Unit u : r.decisiveUnits()) {
                String name = "unit " + u.unit() + " " + u.label();
                Charts.Share before = new Charts.Share(null, r.predicted().probability(), "p(" + predicted
                        + ") with no unit ablated: " + Format.fixed(r.predicted().probability(), 3), BEFORE_COLOUR,
                        "no ablation");
                bars.add(new Charts.Share(name, u.probabilityAfterAblation(), Double.NaN, Double.NaN, name + " ("
                        + u.category() + ", IoU " + Format.fixed(u.iou(), 3) + ") ablated: p(" + predicted + ") "
                        + Format.fixed(u.probabilityAfterAblation(), 3) + ", predicted "
                        + u.predictedAfterAblation().className(), ABLATED_COLOUR,
                        u.changesPrediction() ? "\u2192 " + u.predictedAfterAblation().className() : "", before));
            }
            chart = site.figure(e.stem() + "-decisive", Charts.shareBars("Probability of "
                    + predicted + " with each decisive unit ablated alone", "probability of " + predicted, bars));
        }
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.of("image", r.image()));
        Provenance p = r.provenance();
        if (p != null && p.models() != null && !p.models().isEmpty()) {
            settings.add(Setting.of("model", p.models().get(0).path()));
            settings.add(Setting.of("model sha256", p.models().get(0).sha256()));
            Map<String, Object> pre = p.models().get(0).preprocessing();
            if (pre != null) {
                settings.add(Setting.of("preprocessing", String.join(", ", pre.entrySet().stream()
                        .map(x -> x.getKey().replace('_', ' ') + " " + x.getValue()).toList())));
            }
        }
        settings.add(Setting.of("layer", r.layer()));
        if (p != null && p.command() != null) {
            settings.add(Setting.of("command", String.join(" ", p.command())));
            settings.add(Setting.of("created", String.valueOf(p.created())));
        }
        settings.add(Setting.of("folder", e.dir().toString()));
        return Templates.explanation(e, cards.orElse(null), picture(site, e), chart, firing, decisive, settings);
    }

    private static List<UnitRow> rows(ExplainRecord r, List<ExplainRecord.Unit> units, Optional<UnitCards> cards) {
        List<UnitRow> rows = new ArrayList<>();
        for (ExplainRecord.Unit u : units) {
            int rank = r.decisiveUnits().indexOf(u);
            rows.add(new UnitRow(u, cards.flatMap(c -> c.card(u.unit())).orElse(null), rank < 0 ? null : rank + 1));
        }
        return rows;
    }

    /**
     * The image explained, copied into the report ({@code img/explain/<page>.png}, scaled down to
     * {@link #IMAGE_SIDE} if larger): the page should not depend on a file elsewhere that may move. An image that
     * cannot be read now is said on the page, with why.
     */
    private static Picture picture(Site site, Explained e) {
        String given = e.record().image();
        BufferedImage image;
        try {
            Path file = Path.of(given);
            if (!Files.isRegularFile(file)) {
                return new Picture(null, 0, 0, "The image is not at " + given + " any more (moved or deleted since "
                        + "explain ran), so it is not shown.");
            }
            image = ImageDecoder.decodeOnce(Files.readAllBytes(file));
            if (image == null) {
                return new Picture(null, 0, 0, given + " is no longer an image the report can read (PNG, JPEG), so "
                        + "it is not shown.");
            }
        } catch (IOException | RuntimeException ex) {
            return new Picture(null, 0, 0, "The image " + given + " cannot be read (" + ex.getMessage()
                    + "), so it is not shown.");
        }
        BufferedImage kept = scaledDown(image);
        Site.Folder folder = site.imageFolder("explain");
        AtomicFiles.writePng(folder.file(e.stem() + ".png"), kept);
        int longest = Math.max(kept.getWidth(), kept.getHeight());
        int scale = Math.max(1, SHOWN_SIDE / Math.max(1, longest));
        return new Picture(folder.link(e.stem() + ".png"), kept.getWidth() * scale, kept.getHeight() * scale, null);
    }

    /**
     * The image with its longest side at most {@link #IMAGE_SIDE}, each pixel the mean of the source pixels its box
     * covers (whole pixels: the box of a reduction by a factor f holds ceil(f) x ceil(f) pixels at most); a smaller
     * image as it is. Done here rather than with AWT's scaled instances, whose pixels arrive asynchronously.
     */
    static BufferedImage scaledDown(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int longest = Math.max(w, h);
        if (longest <= IMAGE_SIDE) {
            return image;
        }
        int tw = Math.max(1, (int) Math.round((double) w * IMAGE_SIDE / longest));
        int th = Math.max(1, (int) Math.round((double) h * IMAGE_SIDE / longest));
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(tw, th, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        long[][] sums = new long[tw][4];
        int[] counts = new int[tw];
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            for (long[] a : sums) {
                java.util.Arrays.fill(a, 0);
            }
            java.util.Arrays.fill(counts, 0);
            for (int y = y0; y < y1; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int tx = (int) ((long) x * tw / w);
                    int argb = row[x];
                    long[] a = sums[tx];
                    a[0] += argb >>> 24;
                    a[1] += (argb >> 16) & 0xff;
                    a[2] += (argb >> 8) & 0xff;
                    a[3] += argb & 0xff;
                    counts[tx]++;
                }
            }
            for (int tx = 0; tx < tw; tx++) {
                int n = Math.max(1, counts[tx]);
                long[] a = sums[tx];
                int argb = (int) ((a[0] + n / 2) / n) << 24 | (int) ((a[1] + n / 2) / n) << 16
                        | (int) ((a[2] + n / 2) / n) << 8 | (int) ((a[3] + n / 2) / n);
                out.setRGB(tx, ty, argb);
            }
        }
        return out;
    }
}
