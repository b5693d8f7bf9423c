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
