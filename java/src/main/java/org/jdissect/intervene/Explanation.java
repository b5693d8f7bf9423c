package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.jdissect.JdissectException;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.SplitRunner;
import org.jdissect.stats.Backend;

/**
 * A concept-level account of one decision: the predicted class, the units of the layer that fire on the image
 * (the maximum of the unit's map exceeds its dissection threshold), their concept labels from the dissection's
 * {@code report.json}, and what ablating each alone (replaced by zero) does to the prediction.
 *
 * @param probability softmax of the model's first output at the predicted class
 * @param withoutAll  the prediction with every firing unit ablated at once, and its probability of the original
 *                    class
 */
public record Explanation(String image, String layer, int predicted, String predictedName, double probability,
                          List<FiringUnit> units, int withoutAllPredicted, String withoutAllName,
                          double withoutAllProbability) {

    /**
     * @param unit       1-based
     * @param probability the original class's probability with this unit ablated
     * @param predicted  the class predicted with this unit ablated
     */
    public record FiringUnit(int unit, String label, String category, double iou, boolean interpretable,
                             float maxActivation, double threshold, double probability, double drop, int predicted,
                             String predictedName) {
    }

    /** One unit of a dissection's report.json. */
    record Dissected(String label, String category, double iou, boolean interpretable, double threshold) {
    }

    public static Explanation explain(Path modelFile, String layer, Path imageFile, Path dissection, Path classesFile,
                                      Preprocessing pre, int threads, Backend backend) {
        List<Dissected> units = readDissection(dissection, layer);
        BufferedImage image = LabelledImages.readImage(imageFile);
        try (OnnxModel model = OnnxModel.load(modelFile)) {
            LayerInfo info = model.layer(layer, pre);
            if (info.channels() != units.size()) {
                throw new JdissectException("the dissection of '" + layer + "' in " + dissection + " has "
                        + units.size() + " units, but the layer has " + info.channels() + "; was it made with another model?");
            }
            try (SplitRunner runner = SplitRunner.open(model, layer, threads)) {
                HeadCache cache = HeadCache.build(runner, info, model.inputName(), new long[] {3, pre.height(), pre.width()},
                        1, (i, dst, off) -> pre.apply(image, dst, off), 1, 0, images -> { });
                Ablator ablator = new Ablator(runner, cache, backend, 1);
                int[] one = {0};
                float[] zero = new float[info.channels()];
                double[] base = softmax(ablator.outputs(one, null, null)[0]);
                String[] names = outputNames(classesFile, base.length);
                int predicted = argmax(base);
                float[] maxima = cache.unitMaxima(0);
                List<FiringUnit> firing = new ArrayList<>();
                List<Integer> firingIdx = new ArrayList<>();
                for (int u = 0; u < info.channels(); u++) {
                    Dissected d = units.get(u);
                    if (!(maxima[u] > d.threshold())) {
                        continue;
                    }
                    firingIdx.add(u);
                    double[] p = softmax(ablator.outputs(one, ablator.alphaFor(u), zero)[0]);
                    int after = argmax(p);
                    firing.add(new FiringUnit(u + 1, d.label(), d.category(), d.iou(), d.interpretable(), maxima[u],
                            d.threshold(), p[predicted], base[predicted] - p[predicted], after, names[after]));
                }
                firing.sort(Comparator.comparingDouble(FiringUnit::drop).reversed()
                        .thenComparingInt(FiringUnit::unit));
                double[] none = firingIdx.isEmpty() ? base : softmax(ablator.outputs(one,
                        ablator.alphaFor(firingIdx.stream().mapToInt(Integer::intValue).toArray()), zero)[0]);
                int noneArg = argmax(none);
                return new Explanation(imageFile.toString(), layer, predicted, names[predicted], base[predicted],
                        List.copyOf(firing), noneArg, names[noneArg], none[predicted]);
            }
        }
    }

    static String[] outputNames(Path classesFile, int outputs) {
        String[] names = new String[outputs];
        for (int o = 0; o < outputs; o++) {
            names[o] = "output " + o;
        }
        if (classesFile == null) {
            return names;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(classesFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JdissectException("cannot read class mapping " + classesFile + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int comma = line.lastIndexOf(',');
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.replace(" ", "").equalsIgnoreCase("class,index"))) {
                continue;
            }
            int o;
            try {
                o = comma <= 0 ? -1 : Integer.parseInt(line.substring(comma + 1).strip());
            } catch (NumberFormatException e) {
                o = -1;
            }
            if (o < 0 || o >= outputs) {
                throw new JdissectException(classesFile + " line " + (i + 1) + ": expected class,index with index in 0.."
                        + (outputs - 1) + ", found '" + line + "'");
            }
            names[o] = line.substring(0, comma).strip();
        }
        return names;
    }

    /** The units of the layer's report.json, found in {@code dir} itself or one of its subfolders. */
    static List<Dissected> readDissection(Path dir, String layer) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new JdissectException("dissection directory " + dir + " does not exist (give the --out of jdissect dissect)");
        }
        List<Path> reports = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("report.json"))) {
            reports.add(dir.resolve("report.json"));
        }
        try (Stream<Path> sub = Files.list(dir)) {
            sub.filter(Files::isDirectory).sorted().map(d -> d.resolve("report.json")).filter(Files::isRegularFile)
                    .forEach(reports::add);
        } catch (IOException e) {
            throw new JdissectException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (reports.isEmpty()) {
            throw new JdissectException(dir + " holds no dissection (no report.json in it or its folders); run "
                    + "jdissect dissect --layer " + layer + " --out " + dir + " first");
        }
        List<String> found = new ArrayList<>();
        for (Path r : reports) {
            JsonNode root;
            try {
                root = InterventionReport.JSON.readTree(r.toFile());
            } catch (IOException e) {
                throw new JdissectException("cannot read dissection report " + r + ": " + e.getMessage(), e);
            }
            String name = root.path("layer").path("name").asText("");
            found.add(name);
            if (!name.equals(layer)) {
                continue;
            }
            int count = root.path("layer").path("units").asInt(0);
            Dissected[] units = new Dissected[count];
            for (JsonNode u : root.path("units")) {
                int k = u.path("unit").asInt(0) - 1;
                if (k < 0 || k >= count) {
                    throw new JdissectException(r + ": unit " + (k + 1) + " outside 1.." + count);
                }
                units[k] = new Dissected(u.path("label").asText(), u.path("category").asText(),
                        u.path("iou").asDouble(), u.path("interpretable").asBoolean(), u.path("threshold").asDouble());
            }
            for (int k = 0; k < count; k++) {
                if (units[k] == null) {
                    throw new JdissectException(r + ": unit " + (k + 1) + " is missing");
                }
            }
            return List.of(units);
        }
        throw new JdissectException(dir + " has no dissection of layer '" + layer + "'; it has: "
                + String.join(", ", found));
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The explanation as JSON-ready maps. */
    public Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "jdissect");
        root.put("kind", "explain");
        root.put("format", 1);
        root.put("image", image);
        root.put("layer", layer);
        root.put("predicted", Map.of("output", predicted, "class", predictedName, "probability", probability));
        List<Object> list = new ArrayList<>();
        for (FiringUnit f : units) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("unit", f.unit());
            m.put("label", f.label());
            m.put("category", f.category());
            m.put("iou", f.iou());
            m.put("interpretable", f.interpretable());
            m.put("max_activation", f.maxActivation());
            m.put("threshold", f.threshold());
            m.put("probability_after_ablation", f.probability());
            m.put("drop", f.drop());
            m.put("predicted_after_ablation", Map.of("output", f.predicted(), "class", f.predictedName()));
            m.put("changes_prediction", f.predicted() != predicted);
            list.add(m);
        }
        root.put("firing_units", list);
        root.put("all_firing_ablated", Map.of("output", withoutAllPredicted, "class", withoutAllName,
                "probability_of_predicted", withoutAllProbability));
        return root;
    }

    /** Writes explain.json and explain.csv into {@code dir}. */
    public void write(Path dir) {
        InterventionReport.writeJson(dir.resolve("explain.json"), json());
        org.jdissect.report.AtomicFiles.writeText(dir.resolve("explain.csv"), w -> {
            org.jdissect.report.Csv.writeRow(w, List.of("unit", "label", "category", "iou", "max_activation",
                    "threshold", "probability_after_ablation", "drop", "predicted_after_ablation", "changes_prediction"));
            for (FiringUnit f : units) {
                org.jdissect.report.Csv.writeRow(w, List.of(Integer.toString(f.unit()), f.label(), f.category(),
                        InterventionReport.num(f.iou()), Float.toString(f.maxActivation()),
                        Double.toString(f.threshold()), InterventionReport.num(f.probability()),
                        InterventionReport.num(f.drop()), f.predictedName(), Boolean.toString(f.predicted() != predicted)));
            }
        });
    }

}
