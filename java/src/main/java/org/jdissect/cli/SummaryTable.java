package org.jdissect.cli;

import java.util.Comparator;
import java.util.List;

import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.dissect.LayerResult;

/** What a dissection prints: a line per layer (units, interpretable, concepts, units per category), best units. */
final class SummaryTable {
    private SummaryTable() {
    }

    static void print(DissectionResult result) {
        List<LayerRecord> layers = result.layers().stream().map(LayerResult::record).toList();
        List<String> cats = result.categories();
        StringBuilder header = new StringBuilder(String.format("%-28s %6s %8s %8s", "layer", "units", "interp.",
                "concepts"));
        for (String c : cats) {
            header.append(String.format(" %9s", c.length() > 9 ? c.substring(0, 9) : c));
        }
        System.out.println(header);
        for (LayerRecord layer : layers) {
            var s = layer.summary();
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
        for (LayerRecord layer : layers) {
            printUnits(layer, 12);
        }
        System.out.printf("%d %s (%d skipped); IoU >= %s counts as interpretable; results in %s%n",
                result.rows().size(), layers.get(0).source() instanceof LayerRecord.Source.Generated ? "samples"
                        : "images", result.skipped(), result.options().iouThreshold(), result.out());
    }

    /** The best units of a layer, one line each: what a reader wants to see first (tally.csv's order). */
    static void printUnits(LayerRecord layer, int max) {
        List<LayerRecord.Unit> ranked = layer.units().stream()
                .sorted(Comparator.comparingDouble(LayerRecord.Unit::iou).thenComparingInt(LayerRecord.Unit::unit)
                        .reversed()).toList();
        System.out.println(layer.layer().name() + ": best units (of " + ranked.size() + ")");
        for (LayerRecord.Unit u : ranked.subList(0, Math.min(max, ranked.size()))) {
            System.out.printf("  unit %4d  %-24s %-10s IoU %.3f%s%n", u.unit(), u.label(), u.category(), u.iou(),
                    u.interpretable() ? "" : "  (below the cut-off)");
        }
    }
}
