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
import org.jdissect.dissect.LayerRecord;
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
                "jdissect compose: IoU over every label pixel, +gain over the best single concept"));
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
