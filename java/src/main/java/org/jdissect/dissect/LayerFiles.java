package org.jdissect.dissect;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Provenance;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * A layer's files: {@code tally.csv} (NetDissect-Lite's columns and order), {@code report.json} (the
 * {@link LayerRecord}), {@code thresholds.csv}, {@code topk.csv} and {@code iou.csv} (every unit against every
 * concept). Each is written atomically.
 */
final class LayerFiles {
    /** Every unit's IoU with every concept. */
    static final String IOU = "iou.csv";

    private LayerFiles() {
    }

    /** The record of a computed layer. */
    static LayerRecord record(LayerResult r, Naming naming, Provenance provenance, LayerRecord.Source source,
                              LayerRecord.Settings settings, long[] nonFinite) {
        List<String> cats = naming.categories();
        UnitStats st = r.stats();
        List<LayerRecord.Unit> units = new ArrayList<>(r.scores().size());
        for (Scoring.UnitScore s : r.scores()) {
            int u = s.unit();
            Map<String, LayerRecord.CategoryBest> per = new LinkedHashMap<>();
            for (int c = 0; c < cats.size(); c++) {
                Scoring.CategoryScore cs = s.perCategory().get(c);
                per.put(cats.get(c), new LayerRecord.CategoryBest(naming.labelName().apply(cs.label()), cs.iou(),
                        cs.truth(), cs.activation(), cs.intersect()));
            }
            List<LayerRecord.TopImage> top = new ArrayList<>(st.topImages()[u].length);
            for (int k = 0; k < st.topImages()[u].length; k++) {
                top.add(new LayerRecord.TopImage(naming.imageName().apply(st.topImages()[u][k]),
                        st.topValues()[u][k]));
            }
            units.add(new LayerRecord.Unit(u + 1, naming.labelName().apply(s.label()), cats.get(s.category()),
                    s.iou(), s.iou() >= settings.iouThreshold(), st.thresholds()[u], r.counts().maskPixels()[u],
                    nonFinite[u], per, top));
        }
        var l = r.layer();
        return new LayerRecord("jdissect", LayerRecord.KIND, LayerRecord.FORMAT, provenance,
                new LayerRecord.Layer(l.name(), l.op(), l.channels(), l.height(), l.width()), source,
                Summary.of(r.scores(), cats, settings.iouThreshold()), settings, r.timings(), units);
    }

    static void write(LayerResult r, int[] primaryCategory, Naming naming) {
        Path dir = r.directory();
        AtomicFiles.writeText(dir.resolve("tally.csv"), w -> writeTally(w, r, naming));
        AtomicFiles.writeText(dir.resolve("thresholds.csv"), w -> writeThresholds(w, r.stats()));
        AtomicFiles.writeText(dir.resolve("topk.csv"), w -> writeTopk(w, r.stats(), naming));
        AtomicFiles.writeText(dir.resolve(IOU), w -> writeIou(w, r.counts(), primaryCategory, naming));
        r.record().write(dir);
    }

    /** tally.csv exactly as NetDissect-Lite lays it out: units 1-based, rows by score, descending. */
    static void writeTally(Writer w, LayerResult r, Naming naming) throws IOException {
        List<String> cats = naming.categories();
        List<String> header = new ArrayList<>(List.of("unit", "category", "label", "score"));
        for (String c : cats) {
            header.addAll(List.of(c + "-label", c + "-truth", c + "-activation", c + "-intersect", c + "-iou"));
        }
        Csv.writeRow(w, header);
        for (Scoring.UnitScore s : Scoring.ranked(r.scores())) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(s.unit() + 1));
            row.add(cats.get(s.category()));
            row.add(naming.labelName().apply(s.label()));
            row.add(Csv.number(s.iou()));
            for (Scoring.CategoryScore c : s.perCategory()) {
                row.add(naming.labelName().apply(c.label()));
                row.add(Long.toString(c.truth()));
                row.add(Csv.number(c.activation())); // a float in NetDissect-Lite's file (a product with onehot)
                row.add(Long.toString(c.intersect()));
                row.add(Csv.number(c.iou()));
            }
            Csv.writeRow(w, row);
        }
    }

    static void writeThresholds(Writer w, UnitStats stats) throws IOException {
        Csv.writeRow(w, List.of("unit", "threshold"));
        float[] t = stats.thresholds();
        for (int u = 0; u < t.length; u++) {
            Csv.writeRow(w, List.of(Integer.toString(u + 1), Float.toString(t[u])));
        }
    }

    static void writeTopk(Writer w, UnitStats st, Naming naming) throws IOException {
        Csv.writeRow(w, List.of("unit", "rank", "image", "index_line", "max_activation"));
        for (int u = 0; u < st.topImages().length; u++) {
            for (int r = 0; r < st.topImages()[u].length; r++) {
                int image = st.topImages()[u][r];
                Csv.writeRow(w, List.of(Integer.toString(u + 1), Integer.toString(r + 1),
                        naming.imageName().apply(image), Integer.toString(naming.imageLine().applyAsInt(image)),
                        Float.toString(st.topValues()[u][r])));
            }
        }
    }

    /** A row per unit, a column per concept (labels with a primary category), the IoU as the tally defines it. */
    static void writeIou(Writer w, TallyCounts counts, int[] primary, Naming naming) throws IOException {
        List<Integer> labels = new ArrayList<>();
        for (int l = 1; l < counts.numLabels(); l++) {
            if (primary[l] >= 0) {
                labels.add(l);
            }
        }
        List<String> header = new ArrayList<>(List.of("unit"));
        labels.forEach(l -> header.add(naming.labelName().apply(l)));
        Csv.writeRow(w, header);
        for (int u = 0; u < counts.units(); u++) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(u + 1)));
            for (int l : labels) {
                row.add(Csv.number(Scoring.iou(counts.intersection(u, l), counts.activation(u, primary[l]),
                        counts.labelPixels()[l])));
            }
            Csv.writeRow(w, row);
        }
    }
}
