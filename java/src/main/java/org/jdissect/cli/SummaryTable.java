package org.jdissect.cli;

import java.util.List;

import org.jdissect.dissect.LayerResult;
import org.jdissect.dissect.Scoring;
import org.jdissect.dissect.Summary;
import org.jdissect.report.ReportContext;

/** What a dissection prints: a line per layer (units, interpretable, concepts, units per category), best units. */
final class SummaryTable {
    private SummaryTable() {
    }

    static void print(List<LayerResult> layers, ReportContext ctx) {
        List<String> cats = ctx.categories();
        StringBuilder header = new StringBuilder(String.format("%-28s %6s %8s %8s", "layer", "units", "interp.",
                "concepts"));
        for (String c : cats) {
            header.append(String.format(" %9s", c.length() > 9 ? c.substring(0, 9) : c));
        }
        System.out.println(header);
        for (LayerResult layer : layers) {
            Summary s = Summary.of(layer.scores(), cats, ctx.iouThreshold());
            String name = layer.layer().name();
            StringBuilder line = new StringBuilder(String.format("%-28s %6d %8d %8d",
                    name.length() > 28 ? "..." + name.substring(name.length() - 25) : name, s.units(),
                    s.interpretable(), s.uniqueConcepts()));
            for (String c : cats) {
                line.append(String.format(" %9d", s.unitsPerCategory().get(c)));
            }
            System.out.println(line);
        }
        System.out.println();
        for (LayerResult layer : layers) {
            printUnits(layer, ctx, 12);
        }
    }

    /** The best units of a layer, one line each: what a reader wants to see first. */
    static void printUnits(LayerResult layer, ReportContext ctx, int max) {
        List<Scoring.UnitScore> ranked = Scoring.ranked(layer.scores());
        System.out.println(layer.layer().name() + ": best units (of " + ranked.size() + ")");
        for (Scoring.UnitScore s : ranked.subList(0, Math.min(max, ranked.size()))) {
            System.out.printf("  unit %4d  %-24s %-10s IoU %.3f%s%n", s.unit() + 1, ctx.labelName().apply(s.label()),
                    ctx.categories().get(s.category()), s.iou(),
                    s.iou() >= ctx.iouThreshold() ? "" : "  (below the cut-off)");
        }
    }
}
