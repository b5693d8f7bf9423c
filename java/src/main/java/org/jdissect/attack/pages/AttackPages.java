package org.jdissect.attack.pages;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import gg.jte.Content;
import gg.jte.html.HtmlContent;

import org.jdissect.attack.AttackRecord;
import org.jdissect.data.ImageDecoder;
import org.jdissect.io.AtomicFiles;
import org.jdissect.report.Folders;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The pages of {@code jdissect attack}: every folder under OUT with an {@code attack.json} gets a page with the
 * success rate, the paired comparison of the source's and the reached class's top units against the rest, the
 * defences, the units that fell and rose most (with their concepts, linked to their cards when the layer was
 * dissected in OUT) and the attacked images: clean, adversarial and their difference amplified. The index and the
 * layer's page list the attacks.
 */
public final class AttackPages implements ReportExtension {
    /** Units listed as fallen and as risen; units.csv has them all. */
    static final int LISTED = 10;
    /** Attacked images shown, successful ones first. */
    static final int SHOWN = 12;
    /** The side an image is enlarged to on the page, by a whole factor (its pixels stay square). */
    static final int SHOWN_SIDE = 160;

    private List<Attacked> attacks = List.of();

    /** An attack's folder, where it is under OUT, its page and its record. */
    public record Attacked(Path dir, String where, String page, AttackRecord record) {
        public String layer() {
            return record.settings().layer();
        }

        public String title() {
            AttackRecord.Settings s = record.settings();
            return s.from() + " \u2192 " + s.to() + " (" + s.epsilonLevels() + "/255)";
        }

        String stem() {
            return page.substring(0, page.length() - ".html".length());
        }
    }

    /** A unit row: its change, its card here (or null), and its bar (percent of the half-width, signed). */
    public record UnitRow(AttackRecord.UnitChange unit, UnitCards.Card card, double bar) {
    }

    /** An attacked image on the page: its record and its three pictures (links), or why they are missing. */
    public record Shown(AttackRecord.AttackedImage image, String clean, String adversarial, String difference,
                        int width, int height, String problem) {
    }

    @Override
    public void prepare(Site site) {
        attacks = Folders.find(site, AttackRecord.FILE, "attack-", AttackRecord::read).stream()
                .map(f -> new Attacked(f.dir(), f.where(), f.page(), f.record())).toList();
    }

    @Override
    public void writePages(Site site) {
        for (Attacked a : attacks) {
            site.writePage(a.page(), "Attack " + a.title(), page(site, a));
        }
    }

    @Override
    public List<ReportSection> indexSections(Site site) {
        return ReportSection.listing("attacks", "Adversarial attacks", attacks, AttackPages::list);
    }

    @Override
    public List<ReportSection> layerSections(Site site, String layer) {
        List<Attacked> mine = attacks.stream().filter(a -> a.layer().equals(layer)).toList();
        return ReportSection.listing("attacks", "Adversarial attacks", mine, AttackPages::list);
    }

    static Content list(List<Attacked> attacks) {
        return (HtmlContent) o -> JteattacksGenerated.render(o, null, attacks);
    }

    private static Content page(Site site, Attacked a) {
        AttackRecord r = a.record();
        Optional<UnitCards> cards = site.cards(a.layer());
        List<AttackRecord.UnitChange> units = r.units().stream().filter(u -> !Double.isNaN(u.change())).toList();
        int n = Math.min(LISTED, units.size());
        List<AttackRecord.UnitChange> fell = units.subList(0, n).stream().filter(u -> u.change() < 0).toList();
        List<AttackRecord.UnitChange> rose = new ArrayList<>(units.subList(units.size() - n, units.size()).stream()
                .filter(u -> u.change() > 0).toList());
        java.util.Collections.reverse(rose);
        double scale = 0;
        for (AttackRecord.UnitChange u : fell) {
            scale = Math.max(scale, Math.abs(u.change()));
        }
        for (AttackRecord.UnitChange u : rose) {
            scale = Math.max(scale, Math.abs(u.change()));
        }
        List<UnitRow> fellRows = rows(fell, cards, scale);
        List<UnitRow> roseRows = rows(rose, cards, scale);
        List<Shown> shown = pictures(site, a);
        AttackRecord.Settings s = r.settings();
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.of("model", s.model()));
        settings.add(Setting.of("model sha256", s.modelSha256()));
        settings.add(Setting.of("layer", s.layer() + " (" + s.units() + " units)"));
        settings.add(Setting.of("data", s.data()));
        settings.add(Setting.of("attack", "Square Attack, L-infinity " + s.epsilonLevels() + "/255, at most "
                + s.queries() + " queries per image, seed " + s.seed()));
        settings.add(Setting.of("top units", s.top() + " per class, from " + s.ranking()));
        if (s.dissection() != null) {
            settings.add(Setting.of("concepts", s.dissection()));
        }
        settings.add(Setting.of("activation", s.activation()));
        settings.add(Setting.of("tests", s.tests()));
        if (r.provenance() != null && r.provenance().command() != null) {
            settings.add(Setting.of("command", String.join(" ", r.provenance().command())));
            settings.add(Setting.of("created", String.valueOf(r.provenance().created())));
        }
        settings.add(Setting.of("folder", a.dir().toString()));
        return (HtmlContent) o -> JteattackGenerated.render(o, null, a, cards.orElse(null), fellRows, roseRows,
                shown, settings);
    }

    private static List<UnitRow> rows(List<AttackRecord.UnitChange> units, Optional<UnitCards> cards, double scale) {
        List<UnitRow> rows = new ArrayList<>();
        for (AttackRecord.UnitChange u : units) {
            rows.add(new UnitRow(u, cards.flatMap(c -> c.card(u.unit())).orElse(null),
                    scale == 0 ? 0 : 100 * u.change() / scale));
        }
        return rows;
    }

    /**
     * The first {@link #SHOWN} attacked images, successful ones first: the clean and the adversarial PNG copied into
     * the site, and their difference drawn amplified (mid-grey is no change; the budget spans the whole range).
     */
    private static List<Shown> pictures(Site site, Attacked a) {
        List<AttackRecord.AttackedImage> images = a.record().images().stream()
                .sorted(Comparator.comparing((AttackRecord.AttackedImage i) -> !i.success())
                        .thenComparingInt(AttackRecord.AttackedImage::n)).limit(SHOWN).toList();
        Site.Folder folder = site.imageFolder("attack/" + a.stem());
        List<Shown> shown = new ArrayList<>();
        int levels = Math.max(1, a.record().settings().epsilonLevels());
        for (AttackRecord.AttackedImage i : images) {
            BufferedImage clean;
            BufferedImage adv;
            try {
                clean = read(a.dir().resolve(i.cleanPng()));
                adv = read(a.dir().resolve(i.png()));
            } catch (IOException | RuntimeException e) {
                shown.add(new Shown(i, null, null, null, 0, 0, "the attack's PNGs of image " + i.n()
                        + " cannot be read (" + e.getMessage() + ")"));
                continue;
            }
            if (clean.getWidth() != adv.getWidth() || clean.getHeight() != adv.getHeight()) {
                shown.add(new Shown(i, null, null, null, 0, 0, "the clean and adversarial PNGs of image " + i.n()
                        + " differ in size"));
                continue;
            }
            String name = String.format(java.util.Locale.ROOT, "%04d", i.n());
            AtomicFiles.writePng(folder.file(name + "-clean.png"), clean);
            AtomicFiles.writePng(folder.file(name + ".png"), adv);
            AtomicFiles.writePng(folder.file(name + "-diff.png"), difference(clean, adv, levels));
            int longest = Math.max(clean.getWidth(), clean.getHeight());
            int scale = Math.max(1, SHOWN_SIDE / Math.max(1, longest));
            double shrink = longest > SHOWN_SIDE ? (double) SHOWN_SIDE / longest : 1;
            int w = (int) Math.round(clean.getWidth() * scale * shrink);
            int h = (int) Math.round(clean.getHeight() * scale * shrink);
            shown.add(new Shown(i, folder.link(name + "-clean.png"), folder.link(name + ".png"),
                    folder.link(name + "-diff.png"), w, h, null));
        }
        return shown;
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage img = ImageDecoder.decodeOnce(Files.readAllBytes(file));
        if (img == null) {
            throw new IOException(file + " is not a PNG");
        }
        return img;
    }

    /** {@code 128 + (adv - clean) x 127 / levels} per channel: the budget spans 1..255, no change is mid-grey. */
    static BufferedImage difference(BufferedImage clean, BufferedImage adv, int levels) {
        int w = clean.getWidth();
        int h = clean.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = clean.getRGB(x, y);
                int d = adv.getRGB(x, y);
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int diff = ((d >> shift) & 255) - ((c >> shift) & 255);
                    int v = (int) Math.round(128 + diff * 127.0 / levels);
                    rgb |= Math.max(0, Math.min(255, v)) << shift;
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }
}
