package org.jdissect.intervene;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.intervene.ClassifierIntervention.UnitsResult;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * {@code units.json} of {@code jdissect ablate --mode units} (and, from the same record, {@code units.csv}): units
 * ablated together, and what accuracy and balanced accuracy, overall and per class, were before and after. Units are
 * 1-based, as in tally.csv.
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "settings", "overall", "classes"})
public record UnitsRecord(String tool, String kind, int format, Provenance provenance, AblationSettings settings,
                          Overall overall, List<PerClass> classes) {
    public static final String FILE = "units.json";
    public static final String KIND = "ablate-units";

    /** A rate before and after the ablation, its change, and whether the change is significant. */
    @JsonPropertyOrder({"base", "ablated", "change", "significant"})
    public record Change(RateRecord base, RateRecord ablated, double change, boolean significant) {
        static Change of(Rate base, Rate ablated) {
            return new Change(RateRecord.of(base), RateRecord.of(ablated), ablated.value() - base.value(),
                    ablated.differsFrom(base));
        }
    }

    @JsonPropertyOrder({"accuracy", "balanced_accuracy"})
    public record Overall(Change accuracy, Change balancedAccuracy) {
    }

    /** A class: its name, the model's output for it, its images, and its rates. */
    @JsonPropertyOrder({"class", "output", "images", "accuracy", "balanced_accuracy"})
    public record PerClass(@JsonProperty("class") String className, int output, int images, Change accuracy,
                           Change balancedAccuracy) {
    }

    public static UnitsRecord of(UnitsResult r, ClassifierIntervention ci, AblationSettings settings,
                                 Provenance provenance) {
        AblationSettings s = settings.scoring(ResultFiles.oneBased(r.units()),
                r.part().name().toLowerCase(Locale.ROOT), r.base().accuracy().n(), null);
        List<PerClass> classes = new ArrayList<>();
        List<String> names = ci.mapping().classes();
        for (int c = 0; c < names.size(); c++) {
            ClassScores.PerClass b = r.base().classes().get(c);
            ClassScores.PerClass a = r.ablated().classes().get(c);
            classes.add(new PerClass(names.get(c), ci.mapping().output(c), b.images(),
                    Change.of(b.accuracy(), a.accuracy()), Change.of(b.balancedAccuracy(), a.balancedAccuracy())));
        }
        return new UnitsRecord("jdissect", KIND, 1, provenance, s,
                new Overall(Change.of(r.base().accuracy(), r.ablated().accuracy()),
                        Change.of(r.base().balancedAccuracy(), r.ablated().balancedAccuracy())),
                List.copyOf(classes));
    }

    /** Writes {@code dir/units.json} and {@code dir/units.csv}, each atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
        AtomicFiles.writeText(dir.resolve("units.csv"), w -> {
            Csv.writeRow(w, List.of("class", "output", "images", "metric", "base", "base_lo", "base_hi", "ablated",
                    "ablated_lo", "ablated_hi", "change", "significant"));
            long all = overall.accuracy().base().n();
            row(w, "(all)", "", all, "accuracy", overall.accuracy());
            row(w, "(all)", "", all, "balanced_accuracy", overall.balancedAccuracy());
            for (PerClass c : classes) {
                String o = Integer.toString(c.output());
                row(w, c.className(), o, c.images(), "accuracy", c.accuracy());
                row(w, c.className(), o, c.images(), "balanced_accuracy", c.balancedAccuracy());
            }
        });
    }

    private static void row(Writer w, String cls, String output, long images, String metric, Change c)
            throws IOException {
        RateRecord b = c.base();
        RateRecord a = c.ablated();
        Csv.writeRow(w, List.of(cls, output, Long.toString(images), metric, Csv.decimals(b.valueOrNaN()),
                Csv.decimals(b.lo()), Csv.decimals(b.hi()), Csv.decimals(a.valueOrNaN()), Csv.decimals(a.lo()),
                Csv.decimals(a.hi()), Csv.decimals(c.change()), Boolean.toString(c.significant())));
    }

    /**
     * Reads {@code dir/units.json}; another tool's or another kind's file, or one without its parts, is an error
     * naming it.
     */
    public static UnitsRecord read(Path dir) {
        UnitsRecord r = Json.read(dir.resolve(FILE), UnitsRecord.class);
        // a file of the right kind without its parts is none either (its page would have nothing to show): the
        // check refuses a null content
        boolean whole = r.settings() != null && r.settings().ablatedUnits() != null && r.overall() != null
                && r.classes() != null;
        ResultFiles.check(dir.resolve(FILE), r.tool(), r.kind(), KIND, whole ? r.settings() : null);
        return r;
    }
}
