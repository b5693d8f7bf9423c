package org.jdissect.intervene;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * {@code explain.json} of {@code jdissect explain --out} (and, from the same record, {@code explain.csv}): one
 * decision in concepts, as {@link Explanation} found it. The field names are those explain.json had when a map
 * wrote it, so files written before this record read as well. Units are 1-based, as in tally.csv.
 *
 * @param image the image explained, as an absolute path where the run saw it (files of earlier runs: as given)
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "image", "layer", "predicted", "firing_units",
    "decisive_units", "all_firing_ablated"})
public record ExplainRecord(String tool, String kind, int format, Provenance provenance, String image, String layer,
                           Prediction predicted, List<Unit> firingUnits, List<Unit> decisiveUnits,
                           AllAblated allFiringAblated) {
    public static final String FILE = "explain.json";
    public static final String KIND = "explain";

    /** The class the model predicts on the image: its output, its name, and its softmax probability. */
    @JsonPropertyOrder({"output", "class", "probability"})
    public record Prediction(int output, @JsonProperty("class") String className, double probability) {
    }

    /** The prediction with a unit ablated: its output and name. */
    @JsonPropertyOrder({"output", "class"})
    public record Predicted(int output, @JsonProperty("class") String className) {
    }

    /** What the model predicts with every firing unit ablated at once, and its probability of the original class. */
    @JsonPropertyOrder({"output", "class", "probability_of_predicted"})
    public record AllAblated(int output, @JsonProperty("class") String className, double probabilityOfPredicted) {
    }

    /**
     * A unit: its concept from the dissection, whether it fires on the image, and the decision with it ablated alone.
     *
     * @param probabilityAfterAblation the originally predicted class's probability with this unit ablated
     * @param drop                     the probability without ablation minus that
     */
    @JsonPropertyOrder({"unit", "label", "category", "iou", "interpretable", "fires", "max_activation", "threshold",
        "probability_after_ablation", "drop", "predicted_after_ablation", "changes_prediction"})
    public record Unit(int unit, String label, String category, double iou, boolean interpretable, boolean fires,
                       float maxActivation, double threshold, double probabilityAfterAblation, double drop,
                       Predicted predictedAfterAblation, boolean changesPrediction) {
    }

    public static ExplainRecord of(Explanation e) {
        return new ExplainRecord("jdissect", KIND, 1, e.provenance(), e.image(), e.layer(),
                new Prediction(e.predicted(), e.predictedName(), e.probability()), units(e, e.units()),
                units(e, e.decisive()), new AllAblated(e.withoutAllPredicted(), e.withoutAllName(),
                e.withoutAllProbability()));
    }

    private static List<Unit> units(Explanation e, List<Explanation.UnitEffect> effects) {
        return effects.stream().map(f -> new Unit(f.unit(), f.label(), f.category(), f.iou(), f.interpretable(),
                f.fires(), f.maxActivation(), f.threshold(), f.probability(), f.drop(),
                new Predicted(f.predicted(), f.predictedName()), f.predicted() != e.predicted())).toList();
    }

    /** Writes {@code dir/explain.json} and {@code dir/explain.csv} (the firing and the decisive units, each once). */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
        AtomicFiles.writeText(dir.resolve("explain.csv"), w -> {
            Csv.writeRow(w, List.of("unit", "label", "category", "iou", "fires", "decisive_rank", "max_activation",
                    "threshold", "probability_after_ablation", "drop", "predicted_after_ablation",
                    "changes_prediction"));
            LinkedHashSet<Unit> rows = new LinkedHashSet<>(firingUnits);
            rows.addAll(decisiveUnits);
            for (Unit f : rows) {
                int rank = decisiveUnits.indexOf(f);
                Csv.writeRow(w, List.of(Integer.toString(f.unit()), f.label(), f.category(), Csv.decimals(f.iou()),
                        Boolean.toString(f.fires()), rank < 0 ? "" : Integer.toString(rank + 1),
                        Float.toString(f.maxActivation()), Double.toString(f.threshold()),
                        Csv.decimals(f.probabilityAfterAblation()), Csv.decimals(f.drop()),
                        f.predictedAfterAblation().className(), Boolean.toString(f.changesPrediction())));
            }
        });
    }

    /** Reads {@code dir/explain.json}; another tool's or another kind's file, or one without its parts, is an error. */
    public static ExplainRecord read(Path dir) {
        Path file = dir.resolve(FILE);
        ExplainRecord r = Json.read(file, ExplainRecord.class);
        // a file of the right kind without its parts is no explanation either: the check refuses a null content
        boolean whole = r.layer() != null && r.predicted() != null && r.firingUnits() != null
                && r.decisiveUnits() != null && r.allFiringAblated() != null;
        ResultFiles.check(file, r.tool(), r.kind(), KIND, whole ? r : null);
        return r;
    }
}
