package org.jdissect.intervene;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jdissect.intervene.ClassifierIntervention.Curve;
import org.jdissect.intervene.ClassifierIntervention.CurveResult;
import org.jdissect.intervene.ClassifierIntervention.Point;
import org.jdissect.intervene.ClassifierIntervention.RankResult;
import org.jdissect.intervene.ClassifierIntervention.UnitsResult;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;
import org.jdissect.io.Csv;

/**
 * The files of {@code jdissect ablate}: {@code units.csv/json}, {@code rank.csv/json}, {@code curve.csv/json}.
 * Units are 1-based everywhere, as in tally.csv. The JSON files carry the data a plot needs and nothing
 * presentational: every rate as {@code {value, lo, hi, k, n}}.
 */
public final class InterventionReport {
    private InterventionReport() {
    }

    /** What every file records about the run. */
    public static Map<String, Object> settings(ClassifierIntervention ci, String mode, String replace) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", mode);
        s.put("model", ci.model().file().toString());
        s.put("model_sha256", ci.model().fingerprint());
        s.put("layer", ci.layer().name());
        s.put("units", ci.layer().channels());
        s.put("data", ci.data().description());
        s.put("data_fingerprint", ci.data().fingerprint());
        s.put("classes", ci.mapping().asMap());
        s.put("replace", replace);
        s.put("confidence", ci.confidence());
        s.put("interval", "Wilson score; balanced accuracy: mean of the Wilson intervals of recall and TNR, each at "
                + "1 - (1 - confidence) / 2; a change is significant when the intervals are disjoint");
        return s;
    }

    private static Map<String, Object> root(String kind, Map<String, Object> settings, Provenance provenance) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tool", "jdissect");
        r.put("kind", kind);
        r.put("format", 1);
        r.put("provenance", provenance);
        r.put("settings", settings);
        return r;
    }

    private static Map<String, Object> change(Rate base, Rate ablated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", base.json());
        m.put("ablated", ablated.json());
        m.put("change", ablated.value() - base.value());
        m.put("significant", ablated.differsFrom(base));
        return m;
    }

    // ---------------------------------------------------------------- units

    public static void writeUnits(Path out, UnitsResult r, ClassifierIntervention ci, Map<String, Object> settings,
                                  Provenance provenance) {
        settings.put("ablated_units", oneBased(r.units()));
        settings.put("part", r.part().name().toLowerCase(Locale.ROOT));
        settings.put("images", r.base().accuracy().n());
        Map<String, Object> root = root("ablate-units", settings, provenance);
        Map<String, Object> overall = new LinkedHashMap<>();
        overall.put("accuracy", change(r.base().accuracy(), r.ablated().accuracy()));
        overall.put("balanced_accuracy", change(r.base().balancedAccuracy(), r.ablated().balancedAccuracy()));
        root.put("overall", overall);
        List<Object> classes = new ArrayList<>();
        List<String> names = ci.mapping().classes();
        for (int c = 0; c < names.size(); c++) {
            ClassScores.PerClass b = r.base().classes().get(c);
            ClassScores.PerClass a = r.ablated().classes().get(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", names.get(c));
            m.put("output", ci.mapping().output(c));
            m.put("images", b.images());
            m.put("accuracy", change(b.accuracy(), a.accuracy()));
            m.put("balanced_accuracy", change(b.balancedAccuracy(), a.balancedAccuracy()));
            classes.add(m);
        }
        root.put("classes", classes);
        writeJson(out.resolve("units.json"), root);
        AtomicFiles.writeText(out.resolve("units.csv"), w -> {
            Csv.writeRow(w, List.of("class", "output", "images", "metric", "base", "base_lo", "base_hi", "ablated",
                    "ablated_lo", "ablated_hi", "change", "significant"));
            unitsRow(w, "(all)", "", r.base().accuracy().n(), "accuracy", r.base().accuracy(), r.ablated().accuracy());
            unitsRow(w, "(all)", "", r.base().accuracy().n(), "balanced_accuracy", r.base().balancedAccuracy(),
                    r.ablated().balancedAccuracy());
            for (int c = 0; c < names.size(); c++) {
                ClassScores.PerClass b = r.base().classes().get(c);
                ClassScores.PerClass a = r.ablated().classes().get(c);
                String o = Integer.toString(ci.mapping().output(c));
                unitsRow(w, names.get(c), o, b.images(), "accuracy", b.accuracy(), a.accuracy());
                unitsRow(w, names.get(c), o, b.images(), "balanced_accuracy", b.balancedAccuracy(), a.balancedAccuracy());
            }
        });
    }

    private static void unitsRow(Writer w, String cls, String output, long images, String metric, Rate b, Rate a)
            throws IOException {
        Csv.writeRow(w, List.of(cls, output, Long.toString(images), metric, num(b.value()), num(b.lo()), num(b.hi()),
                num(a.value()), num(a.lo()), num(a.hi()), num(a.value() - b.value()), Boolean.toString(a.differsFrom(b))));
    }

    // ---------------------------------------------------------------- rank

    public static void writeRank(Path out, RankResult r, ClassifierIntervention ci, Map<String, Object> settings,
                                 Provenance provenance) {
        settings.put("part", "train");
        settings.put("images", r.images());
        Map<String, Object> root = root("ablate-rank", settings, provenance);
        List<String> names = ci.mapping().classes();
        List<Object> classes = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            Map<String, Object> m = new LinkedHashMap<>();
            ClassScores.PerClass b = r.base().classes().get(c);
            m.put("class", names.get(c));
            m.put("output", ci.mapping().output(c));
            m.put("images", b.images());
            m.put("base_balanced_accuracy", b.balancedAccuracy().json());
            List<Object> units = new ArrayList<>();
            for (int k = 0; k < r.order()[c].length; k++) {
                int u = r.order()[c][k];
                Rate ba = r.perUnit()[u].classes().get(c).balancedAccuracy();
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("rank", k + 1);
                e.put("unit", u + 1);
                e.put("drop", r.drop(c, u));
                e.put("margin_drop", r.scoreDrop(c, u));
                e.put("balanced_accuracy", ba.json());
                e.put("significant", ba.differsFrom(b.balancedAccuracy()));
                units.add(e);
            }
            m.put("units", units);
            classes.add(m);
        }
        root.put("classes", classes);
        writeJson(out.resolve("rank.json"), root);
        AtomicFiles.writeText(out.resolve("rank.csv"), w -> {
            Csv.writeRow(w, List.of("class", "rank", "unit", "drop", "margin_drop", "balanced_accuracy", "ba_lo",
                    "ba_hi", "base_balanced_accuracy", "significant"));
            for (int c = 0; c < names.size(); c++) {
                Rate base = r.base().classes().get(c).balancedAccuracy();
                for (int k = 0; k < r.order()[c].length; k++) {
                    int u = r.order()[c][k];
                    Rate ba = r.perUnit()[u].classes().get(c).balancedAccuracy();
                    Csv.writeRow(w, List.of(names.get(c), Integer.toString(k + 1), Integer.toString(u + 1),
                            num(r.drop(c, u)), num(r.scoreDrop(c, u)), num(ba.value()), num(ba.lo()), num(ba.hi()), num(base.value()),
                            Boolean.toString(ba.differsFrom(base))));
                }
            }
        });
    }

    // ---------------------------------------------------------------- curve

    public static void writeCurve(Path out, CurveResult r, ClassifierIntervention ci, Map<String, Object> settings,
                                  Provenance provenance) {
        settings.put("part", "held_out");
        settings.put("images", r.images());
        settings.put("n", r.ns());
        Map<String, Object> root = root("ablate-curve", settings, provenance);
        List<String> names = ci.mapping().classes();
        List<Object> curves = new ArrayList<>();
        for (Curve c : r.curves()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", names.get(c.cls()));
            m.put("output", ci.mapping().output(c.cls()));
            m.put("base_accuracy", c.baseAccuracy().json());
            m.put("base_balanced_accuracy", c.baseBalancedAccuracy().json());
            m.put("removed", points(c.removed(), false));
            m.put("kept", points(c.kept(), true));
            curves.add(m);
        }
        root.put("curves", curves);
        writeJson(out.resolve("curve.json"), root);
        AtomicFiles.writeText(out.resolve("curve.csv"), w -> {
            Csv.writeRow(w, List.of("class", "n", "ablated", "accuracy", "accuracy_lo", "accuracy_hi",
                    "balanced_accuracy", "ba_lo", "ba_hi", "base_accuracy", "base_balanced_accuracy", "significant"));
            for (Curve c : r.curves()) {
                for (int k = 0; k < c.removed().size(); k++) {
                    curveRow(w, names.get(c.cls()), "top_n", c.removed().get(k), c);
                    curveRow(w, names.get(c.cls()), "all_but_top_n", c.kept().get(k), c);
                }
            }
        });
    }

    private static List<Object> points(List<Point> points, boolean kept) {
        List<Object> list = new ArrayList<>();
        for (Point p : points) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", p.n());
            if (kept) {
                m.put("units_removed_count", p.ablated().length);
            } else {
                m.put("units_removed", oneBased(p.ablated()));
            }
            m.put("accuracy", p.accuracy().json());
            m.put("balanced_accuracy", p.balancedAccuracy().json());
            m.put("significant", p.significant());
            list.add(m);
        }
        return list;
    }

    private static void curveRow(Writer w, String cls, String which, Point p, Curve c) throws IOException {
        Csv.writeRow(w, List.of(cls, Integer.toString(p.n()), which, num(p.accuracy().value()), num(p.accuracy().lo()),
                num(p.accuracy().hi()), num(p.balancedAccuracy().value()), num(p.balancedAccuracy().lo()),
                num(p.balancedAccuracy().hi()), num(c.baseAccuracy().value()), num(c.baseBalancedAccuracy().value()),
                Boolean.toString(p.significant())));
    }

    // ---------------------------------------------------------------- helpers

    static List<Integer> oneBased(int[] units) {
        List<Integer> l = new ArrayList<>(units.length);
        for (int u : units) {
            l.add(u + 1);
        }
        return l;
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    static void writeJson(Path file, Object value) {
        Json.write(file, value);
    }
}
