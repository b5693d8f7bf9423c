package org.jdissect.intervene.pages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import gg.jte.Content;

import org.jdissect.JdissectException;
import org.jdissect.intervene.AblationSettings;
import org.jdissect.intervene.CurveRecord;
import org.jdissect.intervene.RankRecord;
import org.jdissect.intervene.RateRecord;
import org.jdissect.intervene.UnitsRecord;
import org.jdissect.io.Json;
import org.jdissect.report.Folders;
import org.jdissect.report.Charts;
import org.jdissect.report.Format;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The pages of {@code jdissect ablate}: every folder under OUT that holds a {@code curve.json}, {@code rank.json} or
 * {@code units.json} gets a page with the decision-sparsity curves (log2 x axis, Wilson bands, chance and no-ablation
 * lines), the units ranked per class, and the units ablated together with each class's accuracy and balanced
 * accuracy without and with them; units link to their cards when the layer was dissected in OUT. The index and the
 * layer's page list them.
 */
public final class AblationPages implements ReportExtension {
    static final String TOP_N_COLOUR = "#d1495b";
    static final String ALL_BUT_COLOUR = "#2e86ab";
    static final String NO_ABLATION_COLOUR = GanPages.BASELINE_COLOUR;
    /** Ranked units shown per class; rank.csv has them all. */
    static final int RANKED = 15;

    private List<Ablation> ablations = List.of();

    /**
     * One ablate output folder: its curves, ranking and units ablated together (any may be absent, not all), the
     * layer, the page.
     */
    record Ablation(Path dir, String where, String page, CurveRecord curve, RankRecord rank, UnitsRecord units) {
        AblationSettings settings() {
            return curve != null ? curve.settings() : rank != null ? rank.settings() : units.settings();
        }

        /** What the folder holds, for the lists of ablations. */
        String what() {
            List<String> parts = new ArrayList<>();
            if (curve != null) {
                parts.add("decision-sparsity curves");
            }
            if (rank != null) {
                parts.add("units ranked per class");
            }
            if (units != null) {
                parts.add("units " + GanPages.units(units.settings().ablatedUnits()) + " ablated together");
            }
            return String.join(" and ", parts);
        }

        String layer() {
            return settings().layer();
        }
    }

    @Override
    public void prepare(Site site) {
        Map<Path, Object[]> byDir = new LinkedHashMap<>();
        List<String> files = List.of(CurveRecord.FILE, RankRecord.FILE, UnitsRecord.FILE);
        List<Function<Path, Object>> readers = List.of(CurveRecord::read, RankRecord::read, UnitsRecord::read);
        for (int f = 0; f < files.size(); f++) {
            for (Path file : site.find(files.get(f))) {
                Path dir = file.getParent();
                try {
                    Object r = readers.get(f).apply(dir);
                    byDir.computeIfAbsent(dir, k -> new Object[files.size()])[f] = r;
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
                    (CurveRecord) r[0], (RankRecord) r[1], (UnitsRecord) r[2]));
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
        return ReportSection.listing("interventions", "Interventions", ablations, Templates::ablations);
    }

    @Override
    public List<ReportSection> layerSections(Site site, String layer) {
        List<Ablation> mine = ablations.stream().filter(a -> a.layer().equals(layer)).toList();
        return ReportSection.listing("interventions", "Interventions", mine, Templates::ablations);
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
            // the units ablated together are listed linked, below
            if (!List.of("n", "mode", "ablated_units").contains(e.getKey())) {
                settings.add(Setting.of(e.getKey().replace('_', ' '), v.isValueNode() ? v.asText() : v.toString()));
            }
        }
        UnitsView units = null;
        if (a.units() != null) {
            AblationSettings us = a.units().settings();
            Content links = GanPages.unitLinks(site.cards(us.layer()).filter(c -> c.units() == us.units()),
                    us.ablatedUnits());
            settings.add(Setting.of("units ablated together", links));
            units = units(site, a, links);
        }
        return Templates.ablation(a, cards.orElse(null), a.curve() == null ? null : curves(site, a),
                a.rank() == null ? null : ranking(a.rank(), cards), units, settings);
    }

    /** The units ablated together: their links, both metrics drawn per class, and the rows of the table. */
    record UnitsView(UnitsRecord record, Content links, List<Content> plots, List<UnitsRow> rows) {
    }

    /** A row of the table: a class, or all of them ({@code className} null), its rates without and with. */
    record UnitsRow(String className, Integer output, long images, UnitsRecord.Change accuracy,
                    UnitsRecord.Change balancedAccuracy) {
    }

    private static UnitsView units(Site site, Ablation a, Content links) {
        UnitsRecord u = a.units();
        List<UnitsRow> rows = new ArrayList<>();
        rows.add(new UnitsRow(null, null, u.overall().accuracy().base().n(), u.overall().accuracy(),
                u.overall().balancedAccuracy()));
        for (UnitsRecord.PerClass c : u.classes()) {
            rows.add(new UnitsRow(c.className(), c.output(), c.images(), c.accuracy(), c.balancedAccuracy()));
        }
        String stem = a.page().substring(0, a.page().length() - ".html".length());
        String ablated = "units " + GanPages.units(u.settings().ablatedUnits());
        List<Content> plots = new ArrayList<>();
        for (boolean accuracy : new boolean[] {false, true}) {
            String metric = accuracy ? "accuracy (recall)" : "balanced accuracy";
            List<Charts.Share> bars = new ArrayList<>();
            for (UnitsRow r : rows) {
                UnitsRecord.Change c = accuracy ? r.accuracy() : r.balancedAccuracy();
                String name = r.className() == null ? "all classes" : r.className();
                // a class without images has no rate: an empty bar, and its tooltip says so
                Charts.Share base = new Charts.Share(null, orZero(c.base()), c.base().lo(), c.base().hi(),
                        name + ", no ablation: " + metric + " " + rate(c.base()), NO_ABLATION_COLOUR, "no ablation",
                        null);
                bars.add(new Charts.Share(name, orZero(c.ablated()), c.ablated().lo(), c.ablated().hi(),
                        name + ", " + ablated + " ablated: " + metric + " " + rate(c.ablated()) + ", change "
                                + change(c), TOP_N_COLOUR, points(c), base));
            }
            plots.add(site.figure(stem + (accuracy ? "-units-accuracy" : "-units-balanced-accuracy"),
                    Charts.shareBars("Per class " + metric + " with " + ablated + " ablated, against no ablation",
                            metric + " (" + Format.fixed(100 * u.settings().confidence(), 0)
                                    + "% Wilson intervals)", bars)));
        }
        return new UnitsView(u, links, plots, rows);
    }

    /** The images a units.json scored, as its page says it: {@code all}, {@code the held-out part's}, .... */
    static String part(String part) {
        return switch (part == null ? "" : part) {
            case "all" -> "all";
            case "train" -> "the training part's";
            case "held_out" -> "the held-out part's";
            default -> "the";
        };
    }

    private static double orZero(RateRecord r) {
        return r.value() == null ? 0 : r.value();
    }

    /** A change in percentage points, as the bars show it: {@code (−41.2 points) *}. */
    static String points(UnitsRecord.Change c) {
        if (c.base().value() == null || c.ablated().value() == null) {
            return "(no images)";
        }
        return "(" + (c.change() < 0 ? "\u2212" : "+") + Format.fixed(100 * Math.abs(c.change()), 1) + " points)"
                + (c.significant() ? " *" : "");
    }

    /** A change of a rate, signed, three decimals, {@code *} when significant: {@code −0.412 *}. */
    static String change(UnitsRecord.Change c) {
        if (c.base().value() == null || c.ablated().value() == null) {
            return "\u2013";
        }
        return (c.change() < 0 ? "\u2212" : "+") + Format.fixed(Math.abs(c.change()), 3)
                + (c.significant() ? "\u00a0*" : ""); // kept on the number's line
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
