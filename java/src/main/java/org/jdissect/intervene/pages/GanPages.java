package org.jdissect.intervene.pages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import gg.jte.Content;

import org.jdissect.JdissectException;
import org.jdissect.intervene.GanEdit;
import org.jdissect.intervene.GanEffect;
import org.jdissect.intervene.GanIntervention;
import org.jdissect.intervene.Rate;
import org.jdissect.intervene.RateRecord;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;
import org.jdissect.report.Folders;
import org.jdissect.report.Charts;
import org.jdissect.report.Format;
import org.jdissect.report.IndexedPng;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;
import org.jdissect.report.UnitCards;

/**
 * The pages of {@code gan-edit} and {@code gan-effect}: every folder under OUT with an {@code edit.json} gets a page
 * with its before/after grid ({@code edit.png}) and what was edited; every folder with an {@code effect.json} a page
 * with the removal curve (share of the concept's pixels removed against units ablated, and what replaces them) and
 * the insertion success rate by context class. Units link to their cards when the layer was dissected in OUT.
 */
public final class GanPages implements ReportExtension {
    static final String REMOVAL_COLOUR = "#d1495b";
    static final String INSERTION_COLOUR = "#3f9c4a";
    static final String BASELINE_COLOUR = "#8a94a0";

    private List<Experiment<GanEdit.Record>> edits = List.of();
    private List<Experiment<GanEffect.Record>> effects = List.of();

    /** A gan-edit or gan-effect output folder, its record and its page. */
    record Experiment<R>(Path dir, String where, String page, String layer, R record) {
    }

    @Override
    public void prepare(Site site) {
        edits = find(site, GanEdit.FILE, "edit-", GanEdit.Record::read, GanEdit.Record::layer,
                GanEdit.Record::provenance);
        effects = find(site, GanEffect.FILE, "effect-", GanEffect.Record::read, GanEffect.Record::layer,
                GanEffect.Record::provenance);
    }

    private static <R> List<Experiment<R>> find(Site site, String file, String prefix, Function<Path, R> read,
                                                Function<R, String> layer, Function<R, Provenance> provenance) {
        return Folders.find(site, file, prefix, dir -> {
            R r = read.apply(dir);
            Provenance p = provenance.apply(r);
            if (p == null || p.models() == null || p.models().isEmpty()) {
                throw new JdissectException("not a jdissect " + file + " (no provenance)");
            }
            return r;
        }).stream().map(f -> new Experiment<>(f.dir(), f.where(), f.page(), layer.apply(f.record()), f.record()))
                .toList();
    }

    @Override
    public void writePages(Site site) {
        for (Experiment<GanEdit.Record> e : edits) {
            site.writePage(e.page(), "Edit of " + e.layer(), editPage(site, e));
        }
        for (Experiment<GanEffect.Record> e : effects) {
            site.writePage(e.page(), "Effect of " + e.record().concept(), effectPage(site, e));
        }
    }

    @Override
    public List<ReportSection> indexSections(Site site) {
        return sections(edits, effects);
    }

    @Override
    public List<ReportSection> layerSections(Site site, String layer) {
        return sections(edits.stream().filter(e -> e.layer().equals(layer)).toList(),
                effects.stream().filter(e -> e.layer().equals(layer)).toList());
    }

    private static List<ReportSection> sections(List<Experiment<GanEdit.Record>> edits,
                                                List<Experiment<GanEffect.Record>> effects) {
        List<ReportSection> sections = new ArrayList<>();
        if (!edits.isEmpty()) {
            sections.add(new ReportSection("edits", "Edits", Templates.edits(edits)));
        }
        if (!effects.isEmpty()) {
            sections.add(new ReportSection("effects", "Causal effects", Templates.effects(effects)));
        }
        return sections;
    }

    /** The first 8 units, then how many there are: {@code 1, 2, 3, ... (12)}. */
    static String units(List<Integer> units) {
        List<String> u = units.stream().map(String::valueOf).toList();
        return u.size() <= 8 ? String.join(", ", u) : String.join(", ", u.subList(0, 8)) + ", \u2026 (" + u.size() + ")";
    }

    /** What an edit did, for the list of edits. */
    static String what(GanEdit.Record r) {
        return r.mode() + " " + (r.concept() != null ? "the top " + r.units().size() + " units for " + r.concept()
                : "units " + units(r.units()));
    }

    /** What an effect measured, for the list of effects. */
    static String parts(GanEffect.Record r) {
        List<String> parts = new ArrayList<>();
        if (r.removal() != null) {
            parts.add("removal curve");
        }
        if (r.insertion() != null) {
            parts.add("insertion by context");
        }
        return String.join(" and ", parts);
    }

    /** A unit of a list, linked to its card where its layer was dissected here. */
    record UnitLink(int unit, String href, String title) {
    }

    private static Content unitLinks(Site site, String layer, List<Integer> units) {
        return unitLinks(site.cards(layer), units);
    }

    /** Units, each linked to its card among {@code cards} where it has one; the other experiments' pages use it too. */
    static Content unitLinks(Optional<UnitCards> cards, List<Integer> units) {
        List<UnitLink> links = new ArrayList<>();
        for (int u : units) {
            Optional<UnitCards.Card> card = cards.flatMap(c -> c.card(u));
            links.add(card.map(c -> new UnitLink(u, c.link(), c.label() + " (" + c.category() + "), IoU "
                    + Format.fixed(c.iou(), 3))).orElse(new UnitLink(u, null, null)));
        }
        return Templates.unitLinks(links);
    }

    /** The generator's file name, as the intro names it. */
    static String generator(Provenance p) {
        return Format.fileName(p.models().get(0).path());
    }

    private static Content editPage(Site site, Experiment<GanEdit.Record> e) {
        GanEdit.Record r = e.record();
        Path png = e.dir().resolve("edit.png");
        String link = null;
        int[] size = null;
        String problem = null;
        if (Files.isRegularFile(png)) {
            try {
                size = IndexedPng.size(png);
                link = site.copyImage(png, "edits/" + e.page().replace(".html", ".png"));
                int scale = Math.max(1, Math.min(Math.min(8, 256 / Math.max(1, size[1])), 1200 / Math.max(1, size[0])));
                size = new int[] {size[0] * scale, size[1] * scale};
            } catch (IOException | RuntimeException ex) {
                problem = "edit.png cannot be shown: " + ex.getMessage();
                link = null;
            }
        } else {
            problem = "no edit.png in " + e.dir();
        }
        List<Setting> settings = new ArrayList<>();
        settings.add(Setting.of("units", unitLinks(site, e.layer(), r.units())));
        JsonNode tree = Json.mapper().valueToTree(r);
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (!List.of("units", "tool", "kind", "format", "provenance").contains(f.getKey()) && !v.isNull()) {
                settings.add(Setting.of(f.getKey().replace('_', ' '), v.isValueNode() ? v.asText() : v.toString()));
            }
        }
        settings.add(Setting.of("folder", e.dir().toString()));
        String title = (r.mode().equals("insert") ? "Insertion" : "Ablation")
                + (r.concept() != null ? " of " + r.concept() + " units" : " of units " + units(r.units()));
        return Templates.edit(e, title, link, size, problem, settings);
    }

    private static Content effectPage(Site site, Experiment<GanEffect.Record> e) {
        GanEffect.Record r = e.record();
        GanEffect.Baseline base = r.baseline();
        String concept = r.concept();
        Content removal = null;
        if (r.removal() != null && !r.removal().isEmpty()) {
            List<Charts.Series> series = new ArrayList<>();
            series.add(removalSeries("top units for " + concept, REMOVAL_COLOUR, r.removal(), concept));
            if (base != null && base.removal() != null) {
                series.add(removalSeries("as many random units", BASELINE_COLOUR, base.removal(), concept));
            }
            removal = site.figure(stem(e) + "-removal", Charts.logCurve("Share of the " + concept
                    + " pixels removed against units ablated", "units ablated (log scale)", "share of pixels removed",
                    series, List.of(), 0, 1, true));
        }
        Content insertion = null;
        Content insertedUnits = null;
        if (r.insertion() != null) {
            List<Charts.Share> bars = new ArrayList<>();
            for (Map.Entry<String, long[]> f : r.insertion().byContext().entrySet()) {
                RateRecord rate = interval(r.insertion(), f.getKey(), f.getValue());
                Charts.Share random = null;
                if (base != null && base.insertion() != null && base.insertion().byContext().containsKey(f.getKey())) {
                    long[] b = base.insertion().byContext().get(f.getKey());
                    RateRecord br = interval(base.insertion(), f.getKey(), b);
                    random = new Charts.Share(null, br.valueOrNaN(), br.lo(), br.hi(), f.getKey() + ", as many random "
                            + "units: " + b[1] + " of " + b[0] + " succeed (" + pct(br) + ")", BASELINE_COLOUR,
                            "random", null);
                }
                bars.add(new Charts.Share(f.getKey(), rate.valueOrNaN(), rate.lo(), rate.hi(), f.getKey() + ": "
                        + f.getValue()[1] + " of " + f.getValue()[0] + " insertions succeed (" + pct(rate) + ")",
                        INSERTION_COLOUR, "(" + f.getValue()[0] + " trials)", random));
            }
            insertion = site.figure(stem(e) + "-insertion", Charts.shareBars("Insertion success rate by context"
                    + (base != null && base.insertion() != null ? ", against as many random units" : ""),
                    "insertions that succeed (95% Wilson intervals)", bars));
            insertedUnits = unitLinks(site, e.layer(), r.insertion().units());
        }
        List<Setting> settings = new ArrayList<>(List.of(Setting.of("generator", r.provenance().models().get(0).path()),
                Setting.of("layer", r.layer()), Setting.of("concept", concept), Setting.of("seed",
                        Long.toString(r.seed())), Setting.of("samples", Integer.toString(r.samples())),
                Setting.of("folder", e.dir().toString())));
        Content randomUnits = null;
        if (base != null) {
            randomUnits = unitLinks(site, e.layer(), base.units());
            settings.add(Setting.of("baseline", base.kind() + ", drawn with seed " + base.seed()));
        }
        return Templates.effect(e, removal, insertion, insertedUnits, randomUnits, rows(r), settings);
    }

    /** A row of the insertion table: a context, and its rates for the top units and for the random ones. */
    record InsertionRow(String context, long trials, long successes, RateRecord rate, RateRecord random) {
    }

    private static List<InsertionRow> rows(GanEffect.Record r) {
        List<InsertionRow> rows = new ArrayList<>();
        if (r.insertion() == null) {
            return rows;
        }
        GanEffect.InsertionRecord base = r.baseline() == null ? null : r.baseline().insertion();
        for (Map.Entry<String, long[]> f : r.insertion().byContext().entrySet()) {
            long[] b = base == null ? null : base.byContext().get(f.getKey());
            rows.add(new InsertionRow(f.getKey(), f.getValue()[0], f.getValue()[1],
                    interval(r.insertion(), f.getKey(), f.getValue()), b == null ? null : interval(base, f.getKey(), b)));
        }
        return rows;
    }

    /** A context's rate with its Wilson interval: from the record, or (format 1) from its counts. */
    private static RateRecord interval(GanEffect.InsertionRecord ins, String context, long[] counts) {
        if (ins.intervals() != null && ins.intervals().containsKey(context)) {
            return ins.intervals().get(context);
        }
        return RateRecord.of(Rate.wilson(counts[1], counts[0], GanEffect.CONFIDENCE));
    }

    /** {@code 9.4% [7.2, 12.1]}. */
    static String pct(RateRecord r) {
        if (r == null || r.value() == null) {
            return "\u2013";
        }
        return Format.fixed(100 * r.value(), 1) + "% [" + Format.fixed(100 * r.lo(), 1) + ", "
                + Format.fixed(100 * r.hi(), 1) + "]";
    }

    private static Charts.Series removalSeries(String name, String colour, List<GanIntervention.Removal> curve,
                                               String concept) {
        int n = curve.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] none = new double[n];
        boolean[] filled = new boolean[n];
        String[] tips = new String[n];
        for (int i = 0; i < n; i++) {
            GanIntervention.Removal p = curve.get(i);
            x[i] = p.units();
            y[i] = p.removedShare();
            none[i] = Double.NaN;
            filled[i] = true;
            tips[i] = name + ", " + p.units() + " ablated: " + Format.fixed(100 * y[i], 1) + "% of the " + concept
                    + " pixels removed (" + p.pixelsBefore() + " \u2192 " + p.pixelsAfter() + "); replaced by "
                    + replacedBy(p.replacedBy(), 3);
        }
        return new Charts.Series(name, colour, x, y, none, none, filled, tips);
    }

    /** A page's name without {@code .html}: the stem of its figures' names. */
    static String stem(Experiment<?> e) {
        return e.page().substring(0, e.page().length() - ".html".length());
    }

    /** What the segmenter sees where the concept was, by share: {@code sky 60%, wall 30%, ...}. */
    static String replacedBy(Map<String, Long> map, int most) {
        if (map == null) {
            return "\u2013";
        }
        long total = 0;
        for (long v : map.values()) {
            total += v;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> f : map.entrySet()) {
            if (parts.size() == most) {
                parts.add("\u2026");
                break;
            }
            parts.add(f.getKey() + " " + Format.fixed(100.0 * f.getValue() / Math.max(1, total), 0) + "%");
        }
        return parts.isEmpty() ? "\u2013" : String.join(", ", parts);
    }
}
