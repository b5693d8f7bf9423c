package org.jdissect.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.JdissectException;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * {@code compose.json} of {@code jdissect compose} (and, from the same record, {@code compose.csv}), in the dissected
 * layer's folder: per unit its best formula with the counts behind its IoU, and its best single concept by the same
 * IoU, so the gain of composing is read off directly.
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "settings", "units"})
public record ComposeRecord(String tool, String kind, int format, Provenance provenance, Settings settings,
                            List<Unit> units) {
    public static final String FILE = "compose.json";
    public static final String CSV = "compose.csv";
    public static final String KIND = "compose";

    /**
     * @param concepts the labels with at least one pixel in the categories searched
     * @param pixels   the label pixels of the probe, over which every IoU is counted
     */
    @JsonPropertyOrder({"layer", "length", "beam", "categories", "concepts", "images", "pixels", "iou", "seconds"})
    public record Settings(String layer, int length, int beam, List<String> categories, int concepts, int images,
                           long pixels, String iou, double seconds) {
    }

    /** A concept of a formula; {@code op} is null for the first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"op", "label", "name", "category"})
    public record Term(String op, int label, String name, String category) {
    }

    @JsonPropertyOrder({"text", "length", "terms", "iou", "intersection", "formula_pixels"})
    public record Explained(String text, int length, List<Term> terms, double iou, long intersection,
                            long formulaPixels) {
    }

    /**
     * @param unit   1-based
     * @param gain   the formula's IoU less the single concept's
     */
    @JsonPropertyOrder({"unit", "unit_pixels", "formula", "single", "gain"})
    public record Unit(int unit, long unitPixels, Explained formula, Explained single, double gain) {
    }

    static ComposeRecord of(Provenance provenance, Composition.Spec spec, LayerRecord layer, List<String> categories,
                            int concepts, long pixels, int[] units, BeamSearch.Result[] results,
                            IntFunction<String> names, IntFunction<String> categoryOf, double seconds) {
        List<Unit> list = new ArrayList<>();
        for (int i = 0; i < units.length; i++) {
            BeamSearch.Result r = results[i];
            Explained best = explained(r.best(), names, categoryOf);
            Explained single = explained(r.single(), names, categoryOf);
            list.add(new Unit(units[i] + 1, r.unitPixels(), best, single, best.iou() - single.iou()));
        }
        return new ComposeRecord("jdissect", KIND, 1, provenance, new Settings(layer.layer().name(), spec.length(),
                spec.beam(), categories, concepts, layer.source().images(), pixels,
                "|unit AND formula| / |unit OR formula| over every label pixel", seconds), List.copyOf(list));
    }

    private static Explained explained(BeamSearch.Scored s, IntFunction<String> names, IntFunction<String> categoryOf) {
        Formula f = s.formula();
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(null, f.first(), names.apply(f.first()), categoryOf.apply(f.first())));
        for (Formula.Term t : f.terms()) {
            terms.add(new Term(t.op().text(), t.label(), names.apply(t.label()), categoryOf.apply(t.label())));
        }
        return new Explained(f.text(names), f.length(), List.copyOf(terms), s.iou(), s.intersection(),
                s.formulaPixels());
    }

    /** The units, those that gain most from a formula first (ties: the lower unit). */
    public List<Unit> byGain() {
        List<Unit> sorted = new ArrayList<>(units);
        sorted.sort(java.util.Comparator.comparingDouble((Unit u) -> -u.gain()).thenComparingInt(Unit::unit));
        return List.copyOf(sorted);
    }

    /** How many units gain at least {@link Composition#GAIN} IoU from a formula. */
    public long gaining() {
        return units.stream().filter(u -> u.gain() >= Composition.GAIN).count();
    }

    /** Writes {@code dir/compose.json} and {@code dir/compose.csv}, each atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
        AtomicFiles.writeText(dir.resolve(CSV), w -> {
            Csv.writeRow(w, List.of("unit", "formula", "iou", "length", "label", "label_iou", "gain"));
            for (Unit u : units) {
                Csv.writeRow(w, List.of(Integer.toString(u.unit()), u.formula().text(), Csv.number(u.formula().iou()),
                        Integer.toString(u.formula().length()), u.single().text(), Csv.number(u.single().iou()),
                        Csv.number(u.gain())));
            }
        });
    }

    /** Reads {@code dir/compose.json}; another tool's or kind's file is one line naming it. */
    public static ComposeRecord read(Path dir) {
        ComposeRecord r = Json.read(dir.resolve(FILE), ComposeRecord.class);
        if (!"jdissect".equals(r.tool()) || !KIND.equals(r.kind()) || r.units() == null || r.settings() == null) {
            throw new JdissectException(dir.resolve(FILE) + " is not a jdissect compose record");
        }
        return r;
    }
}
