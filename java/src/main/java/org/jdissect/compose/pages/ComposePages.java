package org.jdissect.compose.pages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gg.jte.html.HtmlContent;

import org.jdissect.JdissectException;
import org.jdissect.compose.ComposeRecord;
import org.jdissect.compose.Composition;
import org.jdissect.data.BrodenDataset;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.ImageStore;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.FileNames;
import org.jdissect.io.Threads;
import org.jdissect.report.CardNote;
import org.jdissect.report.Format;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The report's view of {@code jdissect compose}: a layer with a {@code compose.json} gets a section on its page, the
 * units that gain most from a formula first, each linked to its card, and the index says how many units gained.
 */
public final class ComposePages implements ReportExtension {
    /** Units listed on a layer's page; compose.csv has them all. */
    static final int LISTED = 60;
    static final double GAIN = Composition.GAIN;

    private Map<String, Composed> byLayer = Map.of();
    /** Per layer whose cards show formulas: its units' records by unit number. */
    private Map<String, Map<Integer, ComposeRecord.Unit>> onCards = Map.of();
    /** Per layer on the cards: each formula unit's picture, where it could be drawn. */
    private Map<String, Map<Integer, CardNote.Picture>> pictures = Map.of();

    /** A layer's record, where it was found, and its units by gain. */
    record Composed(Path file, ComposeRecord record, List<ComposeRecord.Unit> byGain) {
        long gaining() {
            return record.gaining();
        }

        String layer() {
            return record.settings().layer();
        }
    }

    /** A line of the index: a layer's results and its page (null when the layer has no page here). */
    record Line(Composed composed, String page) {
    }

    /** A row of the section: a unit, its card if the layer's cards are drawn here. */
    record Row(ComposeRecord.Unit unit, UnitCards.Card card) {
    }

    @Override
    public void prepare(Site site) {
        Map<String, Composed> found = new LinkedHashMap<>();
        for (Path f : site.find(ComposeRecord.FILE)) {
            try {
                ComposeRecord r = ComposeRecord.read(f.getParent());
                found.put(r.settings().layer(), new Composed(f, r, r.byGain()));
            } catch (JdissectException | java.io.UncheckedIOException e) {
                site.warn("report: " + f + " left out: " + e.getMessage());
            }
        }
        byLayer = found;
        Map<String, Map<Integer, ComposeRecord.Unit>> cards = new LinkedHashMap<>();
        for (Composed c : found.values()) {
            // the formulas go on the cards only when compose.json is of the dissection beside it (same layer and
            // images): one left by another run is a warning, and its section still lists it
            Path dir = c.file().getParent();
            LayerRecord layer = LayerRecord.isIn(dir) ? LayerRecord.read(dir) : null;
            if (layer == null || !c.layer().equals(layer.layer().name())
                    || c.record().settings().images() != layer.source().images()) {
                site.warn("report: " + c.file() + " is of another layer or run; the cards of " + c.layer()
                        + " show no formulas (jdissect compose writes it again)");
                continue;
            }
            Map<Integer, ComposeRecord.Unit> byUnit = new java.util.HashMap<>();
            for (ComposeRecord.Unit u : c.record().units()) {
                byUnit.put(u.unit(), u);
            }
            cards.put(c.layer(), byUnit);
        }
        onCards = cards;
        pictures = draw(site, cards);
    }

    /** Top images drawn with a formula per card, at most as many as the card shows (its top-k). */
    static final int PICTURED = 10;

    /**
     * Each formula unit's top images with the formula's mask ({@link FormulaPictures}), into {@code
     * img/compose/<layer>/u<unit>.png}; the dataset the dissection read must be where it recorded, else the cards keep
     * their formula line without pictures and the report says why once.
     */
    private static Map<String, Map<Integer, CardNote.Picture>> draw(Site site,
                                                                   Map<String, Map<Integer, ComposeRecord.Unit>> cards) {
        if (cards.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<Integer, CardNote.Picture>> out = new LinkedHashMap<>();
        try (DissectionOutput dissection = DissectionOutput.open(site.out())) {
            BrodenDataset dataset = dissection.dataset(null);
            FormulaPictures drawer = new FormulaPictures(ImageStore.of(dataset), dissection.labels(dataset),
                    dissection.cache().rows(), site.thumbnail());
            for (Map.Entry<String, Map<Integer, ComposeRecord.Unit>> e : cards.entrySet()) {
                LayerRecord layer = dissection.layer(e.getKey()).record();
                Site.Folder folder = site.imageFolder("compose/" + FileNames.fileSafe(e.getKey()));
                // a unit per task on the report's pool: reading 10 images and their labels is most of the time
                Map<Integer, CardNote.Picture> byUnit = new java.util.concurrent.ConcurrentHashMap<>();
                List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
                for (ComposeRecord.Unit u : e.getValue().values()) {
                    if (u.formula().length() < 2) {
                        continue;
                    }
                    tasks.add(site.pool().submit(() -> {
                        var strip = drawer.strip(layer.units().get(u.unit() - 1), u.formula(), PICTURED);
                        if (strip != null) {
                            String name = "u" + u.unit() + ".png";
                            AtomicFiles.writePng(folder.file(name), strip);
                            byUnit.put(u.unit(), new CardNote.Picture(folder.link(name), strip.getWidth(),
                                    strip.getHeight(), "the top images with the mask of " + u.formula().text()));
                        }
                        return null;
                    }));
                }
                Threads.awaitAll(tasks);
                out.put(e.getKey(), Map.copyOf(byUnit));
            }
        } catch (JdissectException | java.io.UncheckedIOException e) {
            site.warn("report: the formulas' masks are not drawn on the cards: " + e.getMessage());
            return Map.of();
        }
        return out;
    }

    /** A unit's formula on its card, where it has more than one concept: its IoU and the gain over one concept. */
    @Override
    public List<CardNote> cardNotes(Site site, String layer, int unit) {
        ComposeRecord.Unit u = onCards.getOrDefault(layer, Map.of()).get(unit);
        if (u == null || u.formula().length() < 2) {
            return List.of();
        }
        return List.of(new CardNote("formula", u.formula().text(), Format.fixed(u.formula().iou(), 3),
                "(+" + Format.fixed(u.gain(), 3) + ")",
                "jdissect compose: IoU over every label pixel, +gain over the best single concept",
                pictures.getOrDefault(layer, Map.of()).get(unit)));
    }

    @Override
    public List<ReportSection> layerSections(Site site, String layer) {
        Composed c = byLayer.get(layer);
        if (c == null) {
            return List.of();
        }
        UnitCards cards = site.cards(layer).orElse(null);
        List<Row> rows = new ArrayList<>();
        for (ComposeRecord.Unit u : c.byGain().subList(0, Math.min(LISTED, c.byGain().size()))) {
            rows.add(new Row(u, cards == null ? null : cards.card(u.unit()).orElse(null)));
        }
        return List.of(new ReportSection("compose", "Compositional explanations",
                (HtmlContent) o -> JtesectionGenerated.render(o, null, c, rows, GAIN)));
    }

    @Override
    public List<ReportSection> indexSections(Site site) {
        if (byLayer.isEmpty()) {
            return List.of();
        }
        List<Line> lines = byLayer.values().stream()
                .map(c -> new Line(c, site.cards(c.layer()).map(UnitCards::page).orElse(null))).toList();
        return List.of(new ReportSection("compose", "Compositional explanations",
                (HtmlContent) o -> JteindexGenerated.render(o, null, lines, GAIN)));
    }
}
