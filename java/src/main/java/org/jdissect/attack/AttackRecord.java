package org.jdissect.attack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.JdissectException;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * {@code attack.json} of {@code jdissect attack} (and, from the same record, {@code attack.csv}, one line per image,
 * and {@code units.csv}, one line per unit): the attacks, what they changed in the layer's units, and whether holding
 * units stops them. Units are 1-based, as in tally.csv.
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "settings", "summary", "groups", "defences", "units",
    "images"})
public record AttackRecord(String tool, String kind, int format, Provenance provenance, Settings settings,
                           Summary summary, Groups groups, List<Defence> defences, List<UnitChange> units,
                           List<AttackedImage> images) {
    public static final String FILE = "attack.json";
    public static final String KIND = "attack";

    /**
     * @param epsilon       the budget as a fraction of 255
     * @param epsilonLevels the same in 8-bit levels (what the attack uses)
     * @param to            a class, or {@code any}
     * @param top           how many of a class's ranked units are its experts
     * @param ranking       where the class rankings came from (a rank.json)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"method", "model", "model_sha256", "layer", "units", "data", "data_fingerprint", "classes",
        "from", "to", "epsilon", "epsilon_levels", "queries", "seed", "images", "top", "ranking", "dissection",
        "activation", "tests"})
    public record Settings(String method, String model, String modelSha256, String layer, int units, String data,
                           String dataFingerprint, Map<String, Integer> classes, String from, String to, double epsilon,
                           int epsilonLevels, int queries, long seed, int images, int top, String ranking,
                           String dissection, String activation, String tests) {
    }

    /**
     * @param attacked      images attacked (correctly classified images of the source class)
     * @param misclassified images of the source class skipped because the model already gets them wrong
     * @param succeeded     attacks whose saved PNG is classified as wanted
     * @param successRate   succeeded / attacked, with its Wilson interval
     * @param medianQueries over the successful attacks (NaN when none)
     * @param queries       asked over all images (a resumed run counts the images it found finished too)
     * @param queriesThisRun asked by this run, in {@code seconds} (choosing the images, attacking, scoring the PNGs)
     * @param pngAgreement  attacks whose PNG, read back, gives the outcome the attack found in memory
     */
    @JsonPropertyOrder({"attacked", "misclassified", "succeeded", "success_rate", "success_lo", "success_hi",
        "median_queries", "mean_queries", "queries", "queries_this_run", "seconds", "queries_per_second",
        "png_agreement"})
    public record Summary(int attacked, int misclassified, int succeeded, double successRate, double successLo,
                          double successHi, double medianQueries, double meanQueries, long queries,
                          long queriesThisRun, double seconds, double queriesPerSecond, int pngAgreement) {
    }

    /** A class the model gives: its output, name, and its probability, the source's and the target's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"output", "class", "probability", "p_source", "p_target"})
    public record Prediction(int output, @JsonProperty("class") String className, double probability,
                             double pSource, Double pTarget) {
    }

    /**
     * One attacked image.
     *
     * @param linf in 8-bit levels
     * @param l2   over every value, pixels scaled to 0..1
     * @param png  the adversarial image, relative to the attack's folder
     * @param cleanPng the clean image as it was attacked (8-bit RGB), beside it
     */
    @JsonPropertyOrder({"n", "id", "success", "queries", "linf", "l2", "clean", "adversarial", "png", "clean_png"})
    public record AttackedImage(int n, String id, boolean success, int queries, int linf, double l2,
                                Prediction clean, Prediction adversarial, String png, String cleanPng) {
    }

    /**
     * A unit's change over the successful attacks: of its map's mean ({@code change}) and maximum ({@code maxChange}),
     * adversarial minus clean, averaged over the attacks; how many attacks raised and lowered its mean.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"unit", "label", "category", "iou", "mean_clean", "mean_adversarial", "change", "max_change",
        "rose", "fell", "source_rank", "target_rank"})
    public record UnitChange(int unit, String label, String category, Double iou, double meanClean,
                             double meanAdversarial, double change, double maxChange, int rose, int fell,
                             Integer sourceRank, Integer targetRank) {
    }

    /**
     * The paper's claim as numbers: per successful attack, the mean change of the source class's top units, of the
     * target class's top units (the class the attack reached), and of every other unit; paired across the attacks.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"attacks", "source_top", "target_top", "source_change", "target_change", "rest_change",
        "source_vs_rest", "target_vs_rest"})
    public record Groups(int attacks, List<Integer> sourceTop, List<Integer> targetTop, double sourceChange,
                         double targetChange, double restChange, Test sourceVsRest, Test targetVsRest) {
    }

    /**
     * A paired comparison: the mean of the per-attack differences, and two two-sided p-values (Student's paired t
     * test, Wilcoxon's signed-rank test), NaN when there are fewer than two attacks.
     */
    @JsonPropertyOrder({"mean_difference", "t", "p_t", "p_wilcoxon"})
    public record Test(double meanDifference, double t, double pT, double pWilcoxon) {
    }

    /**
     * A defence by units: the successful attacks re-run with {@code units} held, and how many no longer succeed.
     *
     * @param units    1-based; for {@code restore-source-top} and {@code restore-random} those held at their clean
     *                 maps, for {@code ablate-raised} those set to zero
     * @param attacks  successful attacks whose split model, unedited, agrees that they succeed (the base)
     * @param undone   of those, how many no longer succeed with the units held
     * @param toSource of those, how many are classified as the source class again
     */
    @JsonPropertyOrder({"name", "description", "units", "attacks", "undone", "to_source"})
    public record Defence(String name, String description, List<Integer> units, int attacks, int undone,
                          int toSource) {
    }

    /** Writes attack.json, attack.csv and units.csv into {@code dir}, each atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
        AtomicFiles.writeText(dir.resolve("attack.csv"), w -> {
            Csv.writeRow(w, List.of("n", "id", "success", "queries", "linf", "l2", "clean_class", "clean_p",
                    "adversarial_class", "adversarial_p", "adversarial_p_source", "adversarial_p_target", "png",
                    "clean_png"));
            for (AttackedImage i : images) {
                Csv.writeRow(w, List.of(Integer.toString(i.n()), i.id(), Boolean.toString(i.success()),
                        Integer.toString(i.queries()), Integer.toString(i.linf()), Csv.decimals(i.l2()), i.clean().className(),
                        Csv.decimals(i.clean().probability()), i.adversarial().className(), Csv.decimals(i.adversarial().probability()),
                        Csv.decimals(i.adversarial().pSource()),
                        i.adversarial().pTarget() == null ? "" : Csv.decimals(i.adversarial().pTarget()), i.png(),
                        i.cleanPng()));
            }
        });
        AtomicFiles.writeText(dir.resolve("units.csv"), w -> {
            Csv.writeRow(w, List.of("unit", "label", "category", "iou", "mean_clean", "mean_adversarial", "change",
                    "max_change", "rose", "fell", "source_rank", "target_rank"));
            for (UnitChange u : units) {
                Csv.writeRow(w, List.of(Integer.toString(u.unit()), u.label() == null ? "" : u.label(),
                        u.category() == null ? "" : u.category(), u.iou() == null ? "" : Csv.decimals(u.iou()),
                        Csv.decimals(u.meanClean()), Csv.decimals(u.meanAdversarial()), Csv.decimals(u.change()), Csv.decimals(u.maxChange()),
                        Integer.toString(u.rose()), Integer.toString(u.fell()),
                        u.sourceRank() == null ? "" : u.sourceRank().toString(),
                        u.targetRank() == null ? "" : u.targetRank().toString()));
            }
        });
    }

    /** The file of every attacked image's every unit, clean and adversarial: see {@link #writeActivations}. */
    public static final String ACTIVATIONS = "activations.csv";

    /**
     * Writes {@code dir/activations.csv} atomically: per attacked image {@code n} (as in attack.csv) and unit
     * (1-based), the mean and the maximum of the unit's map on the clean and on the adversarial image. Arrays are
     * {@code [image][unit]}.
     */
    public static void writeActivations(Path dir, List<AttackedImage> images, double[][] cleanMean, double[][] advMean,
                                        double[][] cleanMax, double[][] advMax) {
        AtomicFiles.writeText(dir.resolve(ACTIVATIONS), w -> {
            Csv.writeRow(w, List.of("n", "unit", "success", "clean_mean", "adversarial_mean", "clean_max",
                    "adversarial_max"));
            for (int i = 0; i < images.size(); i++) {
                for (int u = 0; u < cleanMean[i].length; u++) {
                    Csv.writeRow(w, List.of(Integer.toString(images.get(i).n()), Integer.toString(u + 1),
                            Boolean.toString(images.get(i).success()), Csv.number(cleanMean[i][u]),
                            Csv.number(advMean[i][u]), Csv.number(cleanMax[i][u]), Csv.number(advMax[i][u])));
                }
            }
        });
    }

    /** Whether {@code dir} holds an attack.json. */
    public static boolean isIn(Path dir) {
        return java.nio.file.Files.isRegularFile(dir.resolve(FILE));
    }

    /** Reads {@code dir/attack.json}; another tool's or another kind's file, or one without its parts, is an error. */
    public static AttackRecord read(Path dir) {
        Path file = dir.resolve(FILE);
        AttackRecord r = Json.read(file, AttackRecord.class);
        if (!"jdissect".equals(r.tool()) || !KIND.equals(r.kind()) || r.settings() == null || r.summary() == null
                || r.images() == null || r.units() == null || r.defences() == null) {
            throw new JdissectException(file + " is not a jdissect attack file (tool " + r.tool() + ", kind "
                    + r.kind() + ")");
        }
        return r;
    }
}
