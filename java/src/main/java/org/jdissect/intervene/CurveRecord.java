package org.jdissect.intervene;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.intervene.ClassifierIntervention.CurveResult;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * {@code curve.json} of {@code jdissect ablate --mode curve} (and, from the same record, {@code curve.csv}): the
 * decision-sparsity curves, per class its accuracy and balanced accuracy on the held-out part with its top-N units
 * ablated ({@code removed}) and with all but its top-N ablated ({@code kept}), for each N. Units are 1-based.
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "settings", "curves"})
public record CurveRecord(String tool, String kind, int format, Provenance provenance, AblationSettings settings,
                          List<Curve> curves) {
    public static final String FILE = "curve.json";
    public static final String KIND = "ablate-curve";

    /** A class's two curves and its rates without ablation. */
    @JsonPropertyOrder({"class", "output", "base_accuracy", "base_balanced_accuracy", "removed", "kept"})
    public record Curve(@JsonProperty("class") String className, int output, RateRecord baseAccuracy,
                        RateRecord baseBalancedAccuracy, List<Point> removed, List<Point> kept) {
    }

    /**
     * A point: {@code n} top units, the units ablated (the top N, listed) or how many (all but the top N).
     *
     * @param significant whether the balanced accuracy's interval is disjoint from no ablation's
     */
    @JsonPropertyOrder({"n", "units_removed", "units_removed_count", "accuracy", "balanced_accuracy", "significant"})
    public record Point(int n, @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> unitsRemoved,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Integer unitsRemovedCount, RateRecord accuracy,
                        RateRecord balancedAccuracy, boolean significant) {
    }

    public static CurveRecord of(CurveResult r, ClassifierIntervention ci, AblationSettings settings,
                                 Provenance provenance) {
        List<String> names = ci.mapping().classes();
        List<Curve> curves = new ArrayList<>();
        for (ClassifierIntervention.Curve c : r.curves()) {
            curves.add(new Curve(names.get(c.cls()), ci.mapping().output(c.cls()), RateRecord.of(c.baseAccuracy()),
                    RateRecord.of(c.baseBalancedAccuracy()), points(c.removed(), false), points(c.kept(), true)));
        }
        return new CurveRecord("jdissect", KIND, 1, provenance,
                settings.scoring(null, "held_out", r.images(), List.copyOf(r.ns())), List.copyOf(curves));
    }

    private static List<Point> points(List<ClassifierIntervention.Point> points, boolean kept) {
        List<Point> list = new ArrayList<>();
        for (ClassifierIntervention.Point p : points) {
            list.add(new Point(p.n(), kept ? null : ResultFiles.oneBased(p.ablated()), kept ? p.ablated().length : null,
                    RateRecord.of(p.accuracy()), RateRecord.of(p.balancedAccuracy()), p.significant()));
        }
        return List.copyOf(list);
    }

    /** Writes {@code dir/curve.json} and {@code dir/curve.csv}, each atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
        AtomicFiles.writeText(dir.resolve("curve.csv"), w -> {
            Csv.writeRow(w, List.of("class", "n", "ablated", "accuracy", "accuracy_lo", "accuracy_hi",
                    "balanced_accuracy", "ba_lo", "ba_hi", "base_accuracy", "base_balanced_accuracy", "significant"));
            for (Curve c : curves) {
                for (int k = 0; k < c.removed().size(); k++) {
                    row(w, c, "top_n", c.removed().get(k));
                    row(w, c, "all_but_top_n", c.kept().get(k));
                }
            }
        });
    }

    private static void row(Writer w, Curve c, String which, Point p) throws IOException {
        Csv.writeRow(w, List.of(c.className(), Integer.toString(p.n()), which, Csv.decimals(p.accuracy().valueOrNaN()),
                Csv.decimals(p.accuracy().lo()), Csv.decimals(p.accuracy().hi()),
                Csv.decimals(p.balancedAccuracy().valueOrNaN()), Csv.decimals(p.balancedAccuracy().lo()),
                Csv.decimals(p.balancedAccuracy().hi()), Csv.decimals(c.baseAccuracy().valueOrNaN()),
                Csv.decimals(c.baseBalancedAccuracy().valueOrNaN()), Boolean.toString(p.significant())));
    }

    /** Reads {@code dir/curve.json}; another tool's or another kind's file is an error naming it. */
    public static CurveRecord read(Path dir) {
        CurveRecord r = Json.read(dir.resolve(FILE), CurveRecord.class);
        ResultFiles.check(dir.resolve(FILE), r.tool(), r.kind(), KIND, r.settings());
        return r;
    }
}
