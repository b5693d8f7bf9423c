package org.jdissect.report;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.jdissect.dissect.LayerResult;
import org.jdissect.dissect.Scoring;
import org.jdissect.dissect.Summary;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.stats.UnitStats;

/**
 * A layer's files: {@code tally.csv} (NetDissect-Lite's columns and order), {@code report.json} (everything,
 * machine-readable), {@code thresholds.csv} and {@code topk.csv}.
 */
public final class LayerReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LayerReport() {
    }

    public static void write(LayerResult result, ReportContext info) {
        AtomicFiles.writeText(result.directory().resolve("tally.csv"), w -> writeTally(w, result, info));
        AtomicFiles.writeText(result.directory().resolve("thresholds.csv"), w -> writeThresholds(w, result));
        AtomicFiles.writeText(result.directory().resolve("topk.csv"), w -> writeTopk(w, result, info));
        AtomicFiles.write(result.directory().resolve("report.json"),
                out -> JSON.writeValue(out, reportJson(result, info)));
    }

    /** tally.csv exactly as NetDissect-Lite lays it out: units 1-based, rows by score, descending. */
    static void writeTally(Writer w, LayerResult result, ReportContext info) throws IOException {
        List<String> cats = info.categories();
        List<String> header = new ArrayList<>(List.of("unit", "category", "label", "score"));
        for (String c : cats) {
            header.addAll(List.of(c + "-label", c + "-truth", c + "-activation", c + "-intersect", c + "-iou"));
        }
        Csv.writeRow(w, header);
        for (Scoring.UnitScore s : Scoring.ranked(result.scores())) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(s.unit() + 1));
            row.add(cats.get(s.category()));
            row.add(info.labelName().apply(s.label()));
            row.add(Csv.number(s.iou()));
            for (Scoring.CategoryScore c : s.perCategory()) {
                row.add(info.labelName().apply(c.label()));
                row.add(Long.toString(c.truth()));
                row.add(Csv.number(c.activation())); // a float in NetDissect-Lite's file (a product with onehot)
                row.add(Long.toString(c.intersect()));
                row.add(Csv.number(c.iou()));
            }
            Csv.writeRow(w, row);
        }
    }

    static void writeThresholds(Writer w, LayerResult result) throws IOException {
        Csv.writeRow(w, List.of("unit", "threshold"));
        float[] t = result.stats().thresholds();
        for (int u = 0; u < t.length; u++) {
            Csv.writeRow(w, List.of(Integer.toString(u + 1), Float.toString(t[u])));
        }
    }

    static void writeTopk(Writer w, LayerResult result, ReportContext info) throws IOException {
        Csv.writeRow(w, List.of("unit", "rank", "image", "index_line", "max_activation"));
        UnitStats st = result.stats();
        for (int u = 0; u < st.topImages().length; u++) {
            for (int r = 0; r < st.topImages()[u].length; r++) {
                int image = st.topImages()[u][r];
                Csv.writeRow(w, List.of(Integer.toString(u + 1), Integer.toString(r + 1),
                        info.imageName().apply(image), Integer.toString(info.imageLine().applyAsInt(image)),
                        Float.toString(st.topValues()[u][r])));
            }
        }
    }

    static Map<String, Object> reportJson(LayerResult result, ReportContext info) {
        List<String> cats = info.categories();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "jdissect");
        root.put("format", 1);
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("name", result.layer().name());
        layer.put("op", result.layer().op());
        layer.put("units", result.layer().channels());
        layer.put("height", result.layer().height());
        layer.put("width", result.layer().width());
        root.put("layer", layer);
        Summary summary = Summary.of(result.scores(), cats, info.iouThreshold());
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("headline", summary.headline(info.iouThreshold()));
        sum.put("units", summary.units());
        sum.put("interpretable", summary.interpretable());
        sum.put("unique_concepts", summary.uniqueConcepts());
        sum.put("units_per_category", summary.unitsPerCategory());
        root.put("summary", sum);
        root.put("settings", info.settings());
        root.put("timings_seconds", result.timings());
        List<Object> units = new ArrayList<>();
        UnitStats st = result.stats();
        for (Scoring.UnitScore s : result.scores()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("unit", s.unit() + 1);
            u.put("label", info.labelName().apply(s.label()));
            u.put("category", cats.get(s.category()));
            u.put("iou", s.iou());
            u.put("interpretable", s.iou() >= info.iouThreshold());
            u.put("threshold", st.thresholds()[s.unit()]);
            u.put("mask_pixels", result.counts().maskPixels()[s.unit()]);
            Map<String, Object> per = new LinkedHashMap<>();
            for (int c = 0; c < cats.size(); c++) {
                Scoring.CategoryScore cs = s.perCategory().get(c);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", info.labelName().apply(cs.label()));
                m.put("iou", cs.iou());
                m.put("truth", cs.truth());
                m.put("activation", cs.activation());
                m.put("intersect", cs.intersect());
                per.put(cats.get(c), m);
            }
            u.put("categories", per);
            List<Object> top = new ArrayList<>();
            for (int r = 0; r < st.topImages()[s.unit()].length; r++) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("image", info.imageName().apply(st.topImages()[s.unit()][r]));
                t.put("max_activation", st.topValues()[s.unit()][r]);
                top.add(t);
            }
            u.put("top_images", top);
            units.add(u);
        }
        root.put("units", units);
        return root;
    }
}
