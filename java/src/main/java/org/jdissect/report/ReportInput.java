package org.jdissect.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.dissect.ActivationCache;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.io.FileNames;
import org.jdissect.dissect.LayerResult;

/**
 * What a dissection output holds for its report, read and checked: the run's settings, its categories, and per
 * layer the units with their labels, scores and top images, and the timings. A classifier's dissection is read from
 * each layer's report.json (or from the dissection still in memory), matched against the activation cache; a
 * gan-dissect output from its layers' report.json. The report draws and writes; this only reads.
 */
final class ReportInput {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Path out;
    /** The classifier dissection's activation cache; null for a gan-dissect output. */
    private final ActivationCache.Snapshot cache;
    private final JsonNode settings;
    private final List<String> categories;
    private final List<ReportLayer> layers;
    private final Map<ReportLayer, JsonNode> timings;
    private final boolean gan;

    private ReportInput(Path out, ActivationCache.Snapshot cache, JsonNode settings, List<ReportLayer> layers,
                        Map<ReportLayer, JsonNode> timings) {
        this.out = out;
        this.cache = cache;
        this.settings = settings;
        this.layers = List.copyOf(layers);
        this.timings = Map.copyOf(timings);
        this.gan = cache == null;
        List<String> cats = new ArrayList<>();
        settings.path("categories").forEach(c -> cats.add(c.asText()));
        this.categories = List.copyOf(cats);
    }

    /** The settings the run recorded (report.json's "settings"). */
    JsonNode settings() {
        return settings;
    }

    List<String> categories() {
        return categories;
    }

    List<ReportLayer> layers() {
        return layers;
    }

    /** Each layer's "timings_seconds". */
    Map<ReportLayer, JsonNode> timings() {
        return timings;
    }

    /** A gan-dissect output: top-sample strips instead of dataset images and masks. */
    boolean gan() {
        return gan;
    }

    /** The layers of a gan-dissect output. */
    static ReportInput readGan(Path out, Consumer<String> log) {
        JsonNode settings = null;
        Map<ReportLayer, JsonNode> timings = new HashMap<>();
        List<ReportLayer> layers = new ArrayList<>();
        for (Path dir : ganLayerDirs(out)) {
            Path file = dir.resolve("report.json");
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new JdissectException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!"jdissect".equals(root.path("tool").asText()) || !root.path("settings").has("generator")) {
                log.accept("report: " + dir + " left out: its report.json is not a jdissect gan-dissect report");
                continue;
            }
            if (settings == null) {
                settings = root.path("settings");
            }
            ReportLayer layer = parseLayer(file, dir.getFileName().toString(), root);
            timings.put(layer, root.path("timings_seconds"));
            layers.add(layer);
        }
        if (layers.isEmpty()) {
            throw new JdissectException("nothing to report in " + out + ": no gan-dissect layer report.json");
        }
        return new ReportInput(out, null, settings, layers, timings);
    }

    /** The folders of a gan-dissect output's layers: each holds report.json beside iou.csv. */
    static List<Path> ganLayerDirs(Path out) {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(out)) {
            return list.filter(d -> Files.isRegularFile(d.resolve("report.json")) && Files.isRegularFile(d.resolve("iou.csv")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out + ": " + e.getMessage(), e);
        }
    }

    /** The layers of a classifier's dissection: each layer of the activation cache with a report.json of its run. */
    static ReportInput readDissection(Path out, DissectionResult dissection, ActivationCache.Snapshot cache,
                                      Consumer<String> log) {
        JsonNode settings = null;
        Map<ReportLayer, JsonNode> timings = new HashMap<>();
        List<String> names = cache.layers();
        List<String> dirs = FileNames.fileSafe(names);
        List<ReportLayer> layers = new ArrayList<>();
        Map<String, LayerResult> inMemory = new HashMap<>();
        if (dissection != null) {
            for (LayerResult lr : dissection.layers()) {
                inMemory.put(lr.layer().name(), lr);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            Path file = out.resolve(dirs.get(i)).resolve("report.json");
            LayerResult lr = inMemory.get(names.get(i));
            JsonNode root;
            if (lr != null) { // the same values report.json holds, without a round trip through a JSON tree
                ReportContext ctx = dissection.info().reportContext();
                JsonNode s = JSON.valueToTree(ctx.settings());
                if (!sameRun(s, cache)) {
                    log.accept("report: layer " + names.get(i) + " left out: the dissection in memory is not the "
                            + "run of the activation cache");
                    continue;
                }
                if (settings == null) {
                    settings = s;
                }
                ReportLayer layer = fromResult(file, dirs.get(i), lr, ctx);
                timings.put(layer, JSON.valueToTree(lr.timings()));
                layers.add(layer);
                continue;
            } else if (!Files.isRegularFile(file)) {
                log.accept("report: layer " + names.get(i) + " left out: " + file + " is missing");
                continue;
            } else {
                try {
                    root = JSON.readTree(file.toFile());
                } catch (IOException e) {
                    throw new JdissectException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
            if (!"jdissect".equals(root.path("tool").asText())) {
                throw new JdissectException(file + " is not a jdissect report.json (no \"tool\": \"jdissect\")");
            }
            JsonNode s = root.path("settings");
            if (!sameRun(s, cache)) {
                log.accept("report: layer " + names.get(i) + " left out: " + file
                        + " is from another run than the activation cache (model or dataset differ)");
                continue;
            }
            if (settings == null) {
                settings = s;
            }
            ReportLayer layer = parseLayer(file, dirs.get(i), root);
            timings.put(layer, root.path("timings_seconds"));
            layers.add(layer);
        }
        if (layers.isEmpty()) {
            throw new JdissectException("nothing to report in " + out + ": no layer of the activation cache ("
                    + String.join(", ", names) + ") has a report.json from the same run");
        }
        return new ReportInput(out, cache, settings, layers, timings);
    }

    /** Whether recorded settings are from the run that wrote the activation cache: the same model and dataset. */
    private static boolean sameRun(JsonNode settings, ActivationCache.Snapshot cache) {
        return settings.path("model_sha256").asText().equals(String.valueOf(cache.key().get("model")))
                && settings.path("dataset_fingerprint").asText().equals(String.valueOf(cache.key().get("dataset")));
    }

    /** A layer as {@link #parseLayer} reads it from report.json, taken from the dissection's results instead. */
    private static ReportLayer fromResult(Path file, String dir, LayerResult lr, ReportContext ctx) {
        List<String> cats = ctx.categories();
        org.jdissect.dissect.Summary sum = org.jdissect.dissect.Summary.of(lr.scores(), cats, ctx.iouThreshold());
        org.jdissect.stats.UnitStats st = lr.stats();
        List<ReportLayer.Unit> units = new ArrayList<>(lr.scores().size());
        for (org.jdissect.dissect.Scoring.UnitScore s : lr.scores()) {
            int u = s.unit();
            int[] topImages = st.topImages()[u];
            List<ReportLayer.TopImage> top = new ArrayList<>(topImages.length);
            for (int r = 0; r < topImages.length; r++) {
                top.add(new ReportLayer.TopImage(ctx.imageName().apply(topImages[r]), st.topValues()[u][r]));
            }
            units.add(new ReportLayer.Unit(u + 1, ctx.labelName().apply(s.label()), cats.get(s.category()), s.iou(),
                    s.iou() >= ctx.iouThreshold(), st.thresholds()[u], lr.counts().maskPixels()[u], List.copyOf(top)));
        }
        units.sort(Comparator.comparingInt(ReportLayer.Unit::unit));
        var l = lr.layer();
        return new ReportLayer(file, dir, l.name(), l.op(), l.channels(), l.height(), l.width(),
                sum.headline(ctx.iouThreshold()), sum.interpretable(), sum.uniqueConcepts(),
                new LinkedHashMap<>(sum.unitsPerCategory()), List.copyOf(units));
    }

    private static ReportLayer parseLayer(Path file, String dir, JsonNode root) {
        JsonNode layer = root.path("layer");
        JsonNode sum = root.path("summary");
        Map<String, Integer> perCategory = new LinkedHashMap<>();
        sum.path("units_per_category").fields().forEachRemaining(e -> perCategory.put(e.getKey(), e.getValue().asInt()));
        List<ReportLayer.Unit> units = new ArrayList<>();
        for (JsonNode u : root.path("units")) {
            List<ReportLayer.TopImage> top = new ArrayList<>();
            for (JsonNode t : u.path("top_images")) {
                top.add(new ReportLayer.TopImage(t.path("image").asText(), exactFloat(t.path("max_activation"))));
            }
            units.add(new ReportLayer.Unit(u.path("unit").asInt(), u.path("label").asText(),
                    u.path("category").asText(), u.path("iou").asDouble(), u.path("interpretable").asBoolean(),
                    exactFloat(u.path("threshold")), u.path("mask_pixels").asLong(), List.copyOf(top)));
        }
        units.sort(Comparator.comparingInt(ReportLayer.Unit::unit)); // sprites and links count on unit order
        ReportLayer result = new ReportLayer(file, dir, layer.path("name").asText(), layer.path("op").asText(),
                layer.path("units").asInt(), layer.path("height").asInt(), layer.path("width").asInt(),
                sum.path("headline").asText(), sum.path("interpretable").asInt(), sum.path("unique_concepts").asInt(),
                perCategory, List.copyOf(units));
        if (result.units().size() != result.channels() || result.height() < 1 || result.width() < 1) {
            throw new JdissectException(file + " is inconsistent: " + result.units().size() + " unit entries for "
                    + result.channels() + " units of " + result.height() + " x " + result.width());
        }
        return result;
    }

    /** The float report.json was written from: parsed from its decimal text, not rounded twice through a double. */
    private static float exactFloat(JsonNode n) {
        return n.isNumber() ? Float.parseFloat(n.decimalValue().toString()) : Float.parseFloat(n.asText("NaN"));
    }

    /**
     * The dataset the dissection read: {@code data} where it has moved (else where report.json says it was), checked
     * against the fingerprint report.json records; the one in memory where the dissection just ran.
     */
    BrodenDataset openDataset(Path data, DissectionResult dissection) {
        if (dissection != null && data == null) {
            return dissection.info().dataset();
        }
        String recorded = settings.path("dataset").asText();
        Path dir = data != null ? data : Path.of(recorded);
        Path where = layers.get(0).reportJson();
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("index.csv"))) {
            if (data != null) {
                throw new JdissectException("no Broden dataset in " + dir + " (index.csv is missing)");
            }
            throw new JdissectException("the dataset " + recorded + " that " + where + " names is not there (moved "
                    + "or deleted?); to draw the unit images, say where it is now: jdissect report " + out
                    + " --data DIR");
        }
        boolean skipBad = Boolean.TRUE.equals(cache.key().get("skipBad"));
        BrodenDataset ds = BrodenDataset.open(dir, categories, skipBad);
        String expected = settings.path("dataset_fingerprint").asText();
        if (!ds.fingerprint().equals(expected)) {
            throw new JdissectException("the dataset in " + dir + " is not the one dissected: its index.csv, "
                    + "label.csv or category.csv differ (fingerprint " + ds.fingerprint() + ", " + where
                    + " records " + expected + ")" + (data == null ? "; give the right one with --data DIR" : ""));
        }
        return ds;
    }

    /** The dissection's time from its timings: inference once (every layer records the shared pass), then each layer's statistics. */
    double dissectionSeconds() {
        double total = 0;
        boolean inference = false;
        for (ReportLayer l : layers) {
            JsonNode t = timings.get(l);
            for (Map.Entry<String, JsonNode> e : iterable(t)) {
                if (e.getKey().startsWith("inference")) {
                    if (!inference) {
                        total += e.getValue().asDouble();
                        inference = true;
                    }
                } else {
                    total += e.getValue().asDouble();
                }
            }
        }
        return total;
    }

    static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
        return n::fields;
    }
}
