package org.jdissect.intervene.pages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import gg.jte.Content;

import org.jdissect.JdissectException;
import org.jdissect.intervene.AblationSettings;
import org.jdissect.intervene.CurveRecord;
import org.jdissect.intervene.RankRecord;
import org.jdissect.intervene.RateRecord;
import org.jdissect.io.Json;
import org.jdissect.report.Charts;
import org.jdissect.report.Format;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The pages of {@code jdissect ablate}: every folder under OUT that holds a {@code curve.json} or {@code rank.json}
 * gets a page with the decision-sparsity curves (log2 x axis, Wilson bands, chance and no-ablation lines) and the
 * units ranked per class, each linked to its card when the layer was dissected in OUT; the index and the layer's
 * page list them.
 */
public final class AblationPages implements ReportExtension {
    static final String TOP_N_COLOUR = "#d1495b";
    static final String ALL_BUT_COLOUR = "#2e86ab";
    /** Ranked units shown per class; rank.csv has them all. */
    static final int RANKED = 15;

    private List<Ablation> ablations = List.of();

    /** One ablate output folder: its curves and ranking (either may be absent), the layer, the page. */
    record Ablation(Path dir, String where, String page, CurveRecord curve, RankRecord rank) {
        AblationSettings settings() {
            return curve != null ? curve.settings() : rank.settings();
        }

        String layer() {
            return settings().layer();
        }
    }

    @Override
    public void prepare(Site site) {
        Map<Path, Object[]> byDir = new LinkedHashMap<>();
        for (String name : List.of(CurveRecord.FILE, RankRecord.FILE)) {
            for (Path file : site.find(name)) {
                Path dir = file.getParent();
                try {
                    Object r = name.equals(CurveRecord.FILE) ? CurveRecord.read(dir) : RankRecord.read(dir);
                    byDir.computeIfAbsent(dir, k -> new Object[2])[name.equals(CurveRecord.FILE) ? 0 : 1] = r;
                } catch (JdissectException e) {
                    site.warn("report: " + file + " left out: " + e.getMessage());
                }
            }
        }
        List<Path> dirs = new ArrayList<>(byDir.keySet());
        dirs.sort(null);
        List<String> pages = Folders.pages(site.out(), dirs, "ablation-");
        List<Ablation> found = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Object[] r = byDir.get(dirs.get(i));
            found.add(new Ablation(dirs.get(i), Folders.where(site.out(), dirs.get(i)), pages.get(i),
                    (CurveRecord) r[0], (RankRecord) r[1]));
        }
        ablations = List.copyOf(found);
    }

    @Override
    public void writePages(Site site) {
        for (Ablation a : ablations) {
            site.writePage(a.page(), "Ablation of " + a.layer(), page(site, a));
        }
    }

    @Override
    public List<ReportSection> indexSections(Site site) {
        return ablations.isEmpty() ? List.of() : List.of(new ReportSection("interventions", "Interventions",
                Templates.ablations(ablations)));
    }

    @Override
    public List<ReportSection> layerSections(Site site, String layer) {
        List<Ablation> mine = ablations.stream().filter(a -> a.layer().equals(layer)).toList();
        return mine.isEmpty() ? List.of() : List.of(new ReportSection("interventions", "Interventions",
                Templates.ablations(mine)));
    }

    private static Content page(Site site, Ablation a) {
        AblationSettings s = a.settings();
        Optional<UnitCards> cards = site.cards(s.layer()).filter(c -> c.units() == s.units());
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.of("folder", a.dir().toString()));
        JsonNode tree = Json.mapper().valueToTree(s);
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!e.getKey().equals("n") && !e.getKey().equals("mode")) {
                settings.add(Setting.of(e.getKey().replace('_', ' '), v.isValueNode() ? v.asText() : v.toString()));
            }
        }
        return Templates.ablation(a, cards.orElse(null), a.curve() == null ? null : curves(site, a),
                a.rank() == null ? null : ranking(a.rank(), cards), settings);
    }

    /** A class's curves: both metrics drawn, and the numbers. */
    record ClassCurves(int index, CurveRecord.Curve curve, List<Content> plots) {
    }

    private static List<ClassCurves> curves(Site site, Ablation a) {
        CurveRecord curve = a.curve();
        String stem = a.page().substring(0, a.page().length() - ".html".length());
        int classes = curve.settings().classes().size();
        List<ClassCurves> out = new ArrayList<>();
        for (CurveRecord.Curve c : curve.curves()) {
            List<Content> plots = new ArrayList<>();
            for (boolean accuracy : new boolean[] {false, true}) {
                String name = accuracy ? "accuracy (recall)" : "balanced accuracy";
                RateRecord base = accuracy ? c.baseAccuracy() : c.baseBalancedAccuracy();
                double chance = accuracy ? 1.0 / Math.max(1, classes) : 0.5;
                // figures are named by the class's place, not its name (a name from the data is not file-safe)
                String figure = stem + "-class" + (out.size() + 1) + (accuracy ? "-accuracy" : "-balanced-accuracy");
                plots.add(site.figure(figure, Charts.logCurve(c.className() + ": " + name + " against units ablated",
                        "units ablated, N (log scale)", name,
                        List.of(series("top-N ablated", TOP_N_COLOUR, c.removed(), accuracy),
                                series("all but top-N ablated", ALL_BUT_COLOUR, c.kept(), accuracy)),
                        List.of(new Charts.Reference("no ablation", base.value() == null ? 0 : base.value(), "5 3"),
                                new Charts.Reference("chance", chance, "1 3")), 0, 1, false)));
            }
            out.add(new ClassCurves(out.size(), c, plots));
        }
        return out;
    }

    private static Charts.Series series(String name, String colour, List<CurveRecord.Point> points, boolean accuracy) {
        int n = points.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        boolean[] filled = new boolean[n];
        String[] tips = new String[n];
        String label = accuracy ? "accuracy" : "balanced accuracy";
        for (int i = 0; i < n; i++) {
            CurveRecord.Point p = points.get(i);
            RateRecord r = accuracy ? p.accuracy() : p.balancedAccuracy();
            x[i] = p.n();
            y[i] = r.value() == null ? 0 : r.value();
            lo[i] = r.lo();
            hi[i] = r.hi();
            filled[i] = p.significant();
            tips[i] = (name.startsWith("top") ? "top " + p.n() + " ablated" : "all but the top " + p.n() + " ablated")
                    + ": " + label + " " + rate(r) + (filled[i] ? ", significant" : "");
        }
        return new Charts.Series(name, colour, x, y, lo, hi, filled, tips);
    }

    /** A class's first ranked units, with their cards where the layer was dissected here. */
    record ClassRanking(RankRecord.PerClass ranking, List<RankedUnit> units) {
    }

    record RankedUnit(RankRecord.Ranked ranked, UnitCards.Card card) {
    }

    private static List<ClassRanking> ranking(RankRecord rank, Optional<UnitCards> cards) {
        List<ClassRanking> out = new ArrayList<>();
        for (RankRecord.PerClass c : rank.classes()) {
            List<RankedUnit> units = new ArrayList<>();
            for (RankRecord.Ranked u : c.units().subList(0, Math.min(RANKED, c.units().size()))) {
                units.add(new RankedUnit(u, cards.flatMap(l -> l.card(u.unit())).orElse(null)));
            }
            out.add(new ClassRanking(c, units));
        }
        return out;
    }

    /** A rate and its interval, three decimals: {@code 0.812 [0.771, 0.848]}. */
    static String rate(RateRecord r) {
        if (r == null || r.value() == null) {
            return "\u2013";
        }
        return Format.fixed(r.value(), 3) + " [" + Format.fixed(r.lo(), 3) + ", " + Format.fixed(r.hi(), 3) + "]";
    }
}
