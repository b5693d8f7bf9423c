package org.jdissect.dissect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import org.jdissect.JdissectException;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;

/**
 * A dissected layer as {@code OUT/<layer>/report.json} holds it: the one definition of that file, written by the
 * dissection and read by the report, {@code explain} and the GAN commands through this class alone. Everything a
 * reader needs is here: what ran (provenance), the layer, where the images and labels came from, the settings,
 * the summary, and per unit its label, category, IoU, threshold, best label per category with the counts behind its
 * IoU, and its top images.
 *
 * @param tool    "jdissect"
 * @param kind    {@link #KIND}
 * @param format  {@link #FORMAT}; a file of another format is refused with a line saying so
 * @param units   every unit, in unit order
 */
@JsonPropertyOrder({"tool", "kind", "format", "provenance", "layer", "source", "summary", "settings",
    "timings_seconds", "units"})
public record LayerRecord(String tool, String kind, int format, Provenance provenance, Layer layer, Source source,
                          Summary summary, Settings settings, Map<String, Double> timingsSeconds, List<Unit> units) {
    /** The file name in each layer's folder. */
    public static final String FILE = "report.json";
    public static final String KIND = "dissection-layer";
    /** 2: provenance and source added, settings typed (format 1 had neither and kept models in its settings). */
    public static final int FORMAT = 2;

    /**
     * @param name the layer (tensor) name as the model spells it: untrusted text
     * @param op   the producing operator
     */
    public record Layer(String name, String op, int units, int height, int width) {
    }

    /** Where the dissected images and their concept labels came from; see {@link Probe}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({@JsonSubTypes.Type(value = Source.Broden.class, name = "broden"),
        @JsonSubTypes.Type(value = Source.SegmentedImages.class, name = "segmented-images"),
        @JsonSubTypes.Type(value = Source.Generated.class, name = "generated")})
    public sealed interface Source permits Source.Broden, Source.SegmentedImages, Source.Generated {
        /** Images dissected (those skipped as unreadable not counted). */
        int images();

        /**
         * A Broden dataset.
         *
         * @param dataset       the folder, as given
         * @param fingerprint   of its index.csv, label.csv and category.csv
         * @param skippedImages rows and images skipped as malformed or unreadable
         * @param skipBad       whether malformed rows were skipped rather than refused
         */
        record Broden(String dataset, String fingerprint, int images, int skippedImages, boolean skipBad)
                implements Source {
        }

        /**
         * A folder of images labelled by a segmenter.
         *
         * @param folder          as given
         * @param fingerprint     of its listing (relative paths and sizes)
         * @param segmenterLabels the segmenter's classes file
         */
        record SegmentedImages(String folder, String fingerprint, int images, int skippedImages,
                               String segmenterLabels) implements Source {
        }

        /**
         * A generator's samples labelled by a segmenter.
         *
         * @param images          samples
         * @param seed            the latents' seed: sample i of seed s is always the same image
         * @param outputRange     the generator's output values mapped to 0 and 255
         * @param segmenterLabels the segmenter's classes file
         */
        record Generated(int images, long seed, List<Float> outputRange, String segmenterLabels) implements Source {
        }
    }

    /**
     * @param categories      category names, in the order of the tally's columns
     * @param thresholdMethod how thresholds are computed
     * @param upsampling      how maps are resized to the label size
     * @param backend         where the statistics ran
     * @param precision       how the activation cache held values, {@code fp16} or {@code fp32} (absent in files
     *                        written before it was recorded: fp16)
     */
    public record Settings(List<String> categories, double quantile, String thresholdMethod, String upsampling,
                           double iouThreshold, int topk, String backend, String precision) {
        /** The precision, {@code fp16} where the file predates the field. */
        public String precisionOrDefault() {
            return precision == null ? "fp16" : precision;
        }
    }

    /**
     * One unit.
     *
     * @param unit       1-based, as in tally.csv
     * @param label      the best label of its best category
     * @param categories per category (in the tally's order), its best label there and the counts behind the IoU
     * @param topImages  best first
     * @param nonFinite  how many of its activations were NaN or infinite (left out of the statistics); written only
     *                   when there were any
     */
    @JsonPropertyOrder({"unit", "label", "category", "iou", "interpretable", "threshold", "mask_pixels",
        "non_finite", "categories", "top_images"})
    public record Unit(int unit, String label, String category, double iou, boolean interpretable, float threshold,
                       long maskPixels, @JsonInclude(JsonInclude.Include.NON_DEFAULT) long nonFinite,
                       Map<String, CategoryBest> categories, List<TopImage> topImages) {
    }

    /** A category's best label for a unit: IoU = intersect / (activation + truth - intersect). */
    @JsonPropertyOrder({"label", "iou", "truth", "activation", "intersect"})
    public record CategoryBest(String label, double iou, long truth, long activation, long intersect) {
    }

    /** A top image: its name (a dataset path, a file under the folder, or a sample) and the unit's maximum on it. */
    public record TopImage(String image, float maxActivation) {
    }

    /** Writes the record as {@code dir/report.json}, atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
    }

    /** Whether {@code dir} holds a layer's report.json. */
    public static boolean isIn(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** The layer's record, found in {@code dir} itself or one of its subfolders. */
    public static LayerRecord find(Path dir, String layer) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new JdissectException("dissection directory " + dir + " does not exist (give the --out of jdissect dissect)");
        }
        List<Path> folders = new ArrayList<>();
        if (LayerRecord.isIn(dir)) {
            folders.add(dir);
        }
        try (Stream<Path> sub = Files.list(dir)) {
            sub.filter(Files::isDirectory).sorted().filter(LayerRecord::isIn).forEach(folders::add);
        } catch (IOException e) {
            throw new JdissectException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (folders.isEmpty()) {
            throw new JdissectException(dir + " holds no dissection (no report.json in it or its folders); run "
                    + "jdissect dissect --layer " + layer + " --out " + dir + " first");
        }
        List<String> found = new ArrayList<>();
        for (Path f : folders) {
            LayerRecord r = read(f);
            found.add(r.layer().name());
            if (r.layer().name().equals(layer)) {
                return r;
            }
        }
        throw new JdissectException(dir + " has no dissection of layer '" + layer + "'; it has: "
                + String.join(", ", found));
    }

    /**
     * Reads {@code dir/report.json}; a missing file, another tool's file, another format or an inconsistent file is
     * an error naming it.
     */
    public static LayerRecord read(Path dir) {
        Path file = dir.resolve(FILE);
        var tree = Json.tree(file);
        if (!"jdissect".equals(tree.path("tool").asText())) {
            throw new JdissectException(file + " is not a jdissect report.json (no \"tool\": \"jdissect\")");
        }
        if (tree.path("format").asInt() != FORMAT || !KIND.equals(tree.path("kind").asText())) {
            throw new JdissectException(file + " was written by " + (tree.has("kind") ? "another" : "an older")
                    + " version of jdissect (format " + tree.path("format").asText() + ", this one reads "
                    + FORMAT + "); run the dissection again to rewrite it");
        }
        LayerRecord r;
        try {
            r = Json.mapper().treeToValue(tree, LayerRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JdissectException("cannot read " + file + ": " + e.getOriginalMessage(), e);
        }
        if (r.layer() == null || r.units() == null || r.settings() == null || r.source() == null
                || r.units().size() != r.layer().units() || r.layer().height() < 1 || r.layer().width() < 1) {
            throw new JdissectException(file + " is inconsistent: " + (r.units() == null ? 0 : r.units().size())
                    + " unit entries for " + (r.layer() == null ? "no layer" : r.layer().units() + " units of "
                    + r.layer().height() + " x " + r.layer().width()));
        }
        for (int i = 0; i < r.units().size(); i++) {
            if (r.units().get(i).unit() != i + 1) {
                throw new JdissectException(file + " is inconsistent: entry " + (i + 1) + " is unit "
                        + r.units().get(i).unit() + " (units are listed in order, from 1)");
            }
        }
        return r;
    }
}
