package org.jdissect.intervene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.intervene.ClassifierIntervention.RankResult;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * {@code rank.json} of {@code jdissect ablate --mode rank} and {@code --mode curve} (and, from the same record,
 * {@code rank.csv}): every unit ablated alone on the training part, and per class the units from the largest drop of
 * the class's balanced accuracy to the smallest. Units are 1-based, as in tally.csv.
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "settings", "classes"})
public record RankRecord(String tool, String kind, int format, Provenance provenance, AblationSettings settings,
                         List<PerClass> classes) {
    public static final String FILE = "rank.json";
    public static final String KIND = "ablate-rank";

    /** A class, its balanced accuracy without ablation, and its ranking. */
    @JsonPropertyOrder({"class", "output", "images", "base_balanced_accuracy", "units"})
    public record PerClass(@JsonProperty("class") String className, int output, int images,
                           RateRecord baseBalancedAccuracy, List<Ranked> units) {
    }

    /**
     * A unit of a class's ranking.
     *
     * @param drop       of the class's balanced accuracy when the unit is ablated alone
     * @param marginDrop of the class's mean margin on its own images (what breaks ties)
     */
    @JsonPropertyOrder({"rank", "unit", "drop", "margin_drop", "balanced_accuracy", "significant"})
    public record Ranked(int rank, int unit, double drop, double marginDrop, RateRecord balancedAccuracy,
                         boolean significant) {
    }

    public static RankRecord of(RankResult r, ClassifierIntervention ci, AblationSettings settings,
                                Provenance provenance) {
        List<String> names = ci.mapping().classes();
        List<PerClass> classes = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            ClassScores.PerClass b = r.base().classes().get(c);
            List<Ranked> units = new ArrayList<>();
            for (int k = 0; k < r.order()[c].length; k++) {
                int u = r.order()[c][k];
                Rate ba = r.perUnit()[u].classes().get(c).balancedAccuracy();
                units.add(new Ranked(k + 1, u + 1, r.drop(c, u), r.scoreDrop(c, u), RateRecord.of(ba),
                        ba.differsFrom(b.balancedAccuracy())));
            }
            classes.add(new PerClass(names.get(c), ci.mapping().output(c), b.images(),
                    RateRecord.of(b.balancedAccuracy()), List.copyOf(units)));
        }
        return new RankRecord("jdissect", KIND, 1, provenance, settings.scoring(null, "train", r.images(), null),
                List.copyOf(classes));
    }

    /** Writes {@code dir/rank.json} and {@code dir/rank.csv}, each atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
        AtomicFiles.writeText(dir.resolve("rank.csv"), w -> {
            Csv.writeRow(w, List.of("class", "rank", "unit", "drop", "margin_drop", "balanced_accuracy", "ba_lo",
                    "ba_hi", "base_balanced_accuracy", "significant"));
            for (PerClass c : classes) {
                for (Ranked u : c.units()) {
                    RateRecord ba = u.balancedAccuracy();
                    Csv.writeRow(w, List.of(c.className(), Integer.toString(u.rank()), Integer.toString(u.unit()),
                            Csv.decimals(u.drop()), Csv.decimals(u.marginDrop()), Csv.decimals(ba.valueOrNaN()),
                            Csv.decimals(ba.lo()), Csv.decimals(ba.hi()),
                            Csv.decimals(c.baseBalancedAccuracy().valueOrNaN()), Boolean.toString(u.significant())));
                }
            }
        });
    }

    /** Reads {@code dir/rank.json}; another tool's or another kind's file is an error naming it. */
    public static RankRecord read(Path dir) {
        RankRecord r = Json.read(dir.resolve(FILE), RankRecord.class);
        ResultFiles.check(dir.resolve(FILE), r.tool(), r.kind(), KIND, r.settings());
        return r;
    }
}
