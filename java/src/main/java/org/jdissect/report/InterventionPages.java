package org.jdissect.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.io.FileNames;

/**
 * The pages of {@code jdissect ablate}: every folder under OUT that holds a {@code curve.json} or {@code rank.json}
 * gets a page with the decision-sparsity curves (SVG, log2 x axis, Wilson bands, chance and no-ablation lines) and
 * the units ranked per class, each linked to its card when the layer was dissected in OUT.
 */
final class InterventionPages implements ReportExtension {
    static final String TOP_N_COLOUR = "#d1495b";
    static final String ALL_BUT_COLOUR = "#2e86ab";
    /** Ranked units shown per class; rank.csv has them all. */
    static final int RANKED = 15;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One ablate output folder: its curves and ranking (either may be absent), the layer, the page. */
    record Ablation(Path dir, String page, JsonNode curve, JsonNode rank, String layer) {
        JsonNode settings() {
            return (curve != null ? curve : rank).path("settings");
        }
    }

    static List<Ablation> find(Context c) {
        return c.once("ablations", () -> {
            Map<Path, JsonNode[]> byDir = new LinkedHashMap<>();
            for (String name : List.of("curve.json", "rank.json")) {
                for (Path file : c.find(name)) {
                    JsonNode root;
                    try {
                        root = JSON.readTree(file.toFile());
                    } catch (IOException e) {
                        c.log("report: " + file + " left out: " + e.getMessage());
                        continue;
                    }
                    String kind = name.equals("curve.json") ? "ablate-curve" : "ablate-rank";
                    if (!"jdissect".equals(root.path("tool").asText()) || !kind.equals(root.path("kind").asText())) {
                        c.log("report: " + file + " left out: not a jdissect ablate file (kind " + kind + ")");
                        continue;
                    }
                    byDir.computeIfAbsent(file.getParent(), k -> new JsonNode[2])[name.equals("curve.json") ? 0 : 1] = root;
                }
            }
            List<Path> dirs = new ArrayList<>(byDir.keySet());
            dirs.sort(null);
            List<String> stems = FileNames.fileSafe(dirs.stream().map(d -> stem(c.out(), d)).toList());
            List<Ablation> out = new ArrayList<>();
            for (int i = 0; i < dirs.size(); i++) {
                JsonNode[] j = byDir.get(dirs.get(i));
                JsonNode any = j[0] != null ? j[0] : j[1];
                out.add(new Ablation(dirs.get(i), "ablation-" + stems.get(i) + ".html", j[0], j[1],
                        any.path("settings").path("layer").asText()));
            }
            return out;
        });
    }

    static String stem(Path out, Path dir) {
        String rel = out.relativize(dir).toString().replace('\\', '/');
        return rel.isEmpty() ? "main" : rel.replace('/', '_');
    }

    /** The dissected layer the ablation cut at, when OUT has it with the same unit count. */
    static Optional<ReportLayer> layerOf(Context c, String name, int units) {
        return c.layers().stream().filter(l -> l.name().equals(name) && l.channels() == units).findFirst();
    }

    @Override
    public List<ReportSection> indexSections(Context c) {
        List<Ablation> all = find(c);
        if (all.isEmpty()) {
            return List.of();
        }
        for (Ablation a : all) {
            c.writePage(a.page(), "Ablation of " + a.layer(), h -> page(h, c, a));
        }
        return List.of(new ReportSection("interventions", "Interventions", h -> list(h, c, all)));
    }

    @Override
    public List<ReportSection> layerSections(Context c, ReportLayer layer) {
        List<Ablation> mine = find(c).stream().filter(a -> a.layer().equals(layer.name())).toList();
        if (mine.isEmpty()) {
            return List.of();
        }
        return List.of(new ReportSection("interventions", "Interventions", h -> list(h, c, mine)));
    }

    private static void list(Html h, Context c, List<Ablation> list) {
        h.raw("<p class=\"note\">Units of a layer switched off (jdissect ablate) and what the classifier loses.</p>"
                + "<ul class=\"links\">");
        for (Ablation a : list) {
            JsonNode s = a.settings();
            h.raw("<li><a" + Html.attr("href", a.page()) + ">").text(a.layer()).raw("</a> \u2014 ")
                    .text((a.curve() != null ? "decision-sparsity curves" + (a.rank() != null ? " and " : "") : "")
                            + (a.rank() != null ? "units ranked per class" : "") + "; " + s.path("classes").size()
                            + " classes, replaced by " + s.path("replace").asText() + "; ")
                    .raw("<span class=\"path\">").text(c.out().relativize(a.dir()).toString().isEmpty() ? "."
                            : c.out().relativize(a.dir()).toString()).raw("</span></li>");
        }
        h.raw("</ul>");
    }

    private static void page(Html h, Context c, Ablation a) {
        JsonNode s = a.settings();
        Optional<ReportLayer> layer = layerOf(c, a.layer(), s.path("units").asInt());
        h.raw("<section class=\"intro\"><h1>Ablation of ").text(a.layer()).raw("</h1><p class=\"sub\">")
                .text(fileName(s.path("model").asText()) + " \u00b7 " + s.path("units").asInt() + " units \u00b7 "
                        + s.path("classes").size() + " classes \u00b7 ablated units replaced by "
                        + s.path("replace").asText() + " \u00b7 data: " + s.path("data").asText()).raw("</p>");
        if (layer.isPresent()) {
            h.raw("<p class=\"note\">Units link to their cards in the <a" + Html.attr("href", layer.get().page())
                    + ">dissection of this layer</a>.</p>");
        } else {
            h.raw("<p class=\"note\">This layer was not dissected in this output, so units are not linked to cards.</p>");
        }
        h.raw("</section>\n");
        if (a.curve() != null) {
            curves(h, a.curve(), s.path("classes").size());
        }
        if (a.rank() != null) {
            ranking(h, c, a.rank(), layer);
        }
        h.raw("<section id=\"settings\"><h2>Settings</h2><dl class=\"settings\">");
        h.element("dt", "folder").element("dd", a.dir().toString());
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) s::fields) {
            JsonNode v = e.getValue();
            if (!e.getKey().equals("n") && !e.getKey().equals("mode")) {
                h.element("dt", e.getKey().replace('_', ' ')).element("dd", v.isValueNode() ? v.asText() : v.toString());
            }
        }
        h.raw("</dl></section>\n");
    }

    private static void curves(Html h, JsonNode curve, int classes) {
        int images = curve.path("settings").path("images").asInt();
        h.raw("<section id=\"curves\"><h2>Decision-sparsity curves</h2><p class=\"note\">On the held-out part ("
                + images + " images), each class with its top-N units ablated (ranked on the training part) and, "
                + "separately, with all but its top-N ablated. Balanced accuracy is the mean of the class's recall "
                + "and true-negative rate (chance 0.5); accuracy is its recall (chance: one over the number of classes). Bands: 95% Wilson intervals; a filled "
                + "point differs significantly from no ablation (disjoint intervals).</p>");
        h.raw("<ul class=\"legend\"><li><span class=\"swatch\" style=\"background:" + TOP_N_COLOUR
                + "\"></span>top-N ablated</li><li><span class=\"swatch\" style=\"background:" + ALL_BUT_COLOUR
                + "\"></span>all but top-N ablated</li><li>- - no ablation</li><li>\u00b7\u00b7\u00b7 chance</li></ul>");
        h.raw("<div class=\"curves\">");
        int i = 0;
        for (JsonNode c : curve.path("curves")) {
            String cls = c.path("class").asText();
            JsonNode removed = c.path("removed");
            JsonNode kept = c.path("kept");
            h.raw("<article class=\"curve\" id=\"curve-" + (i++) + "\"" + Html.attr("data-class", cls)
                    + Html.attr("data-base-ba", c.path("base_balanced_accuracy").path("value").asText())
                    + Html.attr("data-base-acc", c.path("base_accuracy").path("value").asText()) + "><h3>").text(cls)
                    .raw(" <span class=\"base\">no ablation: balanced accuracy " + rate(c.path("base_balanced_accuracy"))
                            + ", accuracy " + rate(c.path("base_accuracy")) + "</span></h3><div class=\"plots\">");
            for (String metric : List.of("balanced_accuracy", "accuracy")) {
                String name = metric.equals("accuracy") ? "accuracy (recall)" : "balanced accuracy";
                List<Charts.Series> series = List.of(series("top-N ablated", TOP_N_COLOUR, removed, metric),
                        series("all but top-N ablated", ALL_BUT_COLOUR, kept, metric));
                double chance = metric.equals("accuracy") ? 1.0 / Math.max(1, classes) : 0.5;
                Charts.logCurve(h, cls + ": " + name + " against units ablated", "units ablated, N (log scale)", name,
                        series, List.of(new Charts.Reference("no ablation", c.path("base_" + metric).path("value")
                                .asDouble(), "5 3"), new Charts.Reference("chance", chance, "1 3")), 0, 1, false);
            }
            h.raw("</div><details><summary>numbers</summary><div class=\"tablewrap\"><table class=\"points\"><thead>"
                    + "<tr><th class=\"num\">N</th><th>top-N ablated: balanced acc.</th><th>accuracy</th>"
                    + "<th>all but top-N: balanced acc.</th><th>accuracy</th></tr></thead><tbody>");
            for (int k = 0; k < removed.size(); k++) {
                JsonNode r = removed.get(k);
                JsonNode p = kept.path(k);
                h.raw("<tr><td class=\"num\">" + r.path("n").asInt() + "</td><td>" + rate(r.path("balanced_accuracy"))
                        + (r.path("significant").asBoolean() ? " *" : "") + "</td><td>" + rate(r.path("accuracy"))
                        + "</td><td>" + rate(p.path("balanced_accuracy")) + (p.path("significant").asBoolean() ? " *" : "")
                        + "</td><td>" + rate(p.path("accuracy")) + "</td></tr>");
            }
            h.raw("</tbody></table></div><p class=\"note\">* significant: the interval is disjoint from no "
                    + "ablation's.</p></details></article>\n");
        }
        h.raw("</div></section>\n");
    }

    private static Charts.Series series(String name, String colour, JsonNode points, String metric) {
        int n = points.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        boolean[] filled = new boolean[n];
        String[] tips = new String[n];
        String label = metric.equals("accuracy") ? "accuracy" : "balanced accuracy";
        for (int i = 0; i < n; i++) {
            JsonNode p = points.get(i);
            JsonNode r = p.path(metric);
            x[i] = p.path("n").asDouble();
            y[i] = r.path("value").asDouble();
            lo[i] = r.path("lo").asDouble(Double.NaN);
            hi[i] = r.path("hi").asDouble(Double.NaN);
            filled[i] = p.path("significant").asBoolean();
            tips[i] = (name.startsWith("top") ? "top " + p.path("n").asInt() + " ablated" : "all but the top "
                    + p.path("n").asInt() + " ablated") + ": " + label + " " + rate(r)
                    + (filled[i] ? ", significant" : "");
        }
        return new Charts.Series(name, colour, x, y, lo, hi, filled, tips);
    }

    private static void ranking(Html h, Context c, JsonNode rank, Optional<ReportLayer> layer) {
        int images = rank.path("settings").path("images").asInt();
        h.raw("<section id=\"ranking\"><h2>Units ranked per class</h2><p class=\"note\">Each unit ablated alone on "
                + "the training part (" + images + " images); per class, units ordered by how much the class's "
                + "balanced accuracy drops. The first " + RANKED + " of each class; rank.csv beside rank.json lists "
                + "them all. * significant.</p><div class=\"ranks\">");
        for (JsonNode cls : rank.path("classes")) {
            String name = cls.path("class").asText();
            h.raw("<article class=\"rank\"" + Html.attr("data-class", name) + "><h3>").text(name)
                    .raw(" <span class=\"base\">balanced accuracy " + rate(cls.path("base_balanced_accuracy"))
                            + "</span></h3><ol>");
            int k = 0;
            for (JsonNode u : cls.path("units")) {
                if (k++ == RANKED) {
                    break;
                }
                int unit = u.path("unit").asInt();
                h.raw("<li" + Html.attr("data-unit", Integer.toString(unit)) + Html.attr("data-drop",
                        u.path("drop").asText()) + ">");
                Optional<ReportLayer.Unit> card = layer.flatMap(l -> unit >= 1 && unit <= l.units().size()
                        ? Optional.of(l.units().get(unit - 1)) : Optional.empty());
                if (card.isPresent() && card.get().unit() == unit) {
                    ReportLayer.Unit cu = card.get();
                    h.raw("<a" + Html.attr("href", c.unitLink(layer.get(), unit)) + ">unit " + unit + "</a> <span class=\"chip"
                            + (cu.interpretable() ? "" : " weak") + "\" style=\"--c:" + c.categoryColour(cu.category())
                            + "\"" + Html.attr("title", cu.category() + ", IoU " + Html.fixed(cu.iou(), 3)) + ">")
                            .text(cu.label()).raw("</span>");
                } else {
                    h.raw("unit " + unit);
                }
                double drop = u.path("drop").asDouble();
                h.raw(" <span class=\"drop\"" + Html.attr("title", "balanced accuracy with this unit ablated: "
                        + rate(u.path("balanced_accuracy"))) + ">" + (drop > 0 ? "\u2212" : "+")
                        + Html.fixed(Math.abs(drop), 3) + "</span>"
                        + (u.path("significant").asBoolean() ? " *" : "") + "</li>");
            }
            h.raw("</ol></article>");
        }
        h.raw("</div></section>\n");
    }

    static String rate(JsonNode r) {
        if (!r.has("value")) {
            return "\u2013";
        }
        return Html.fixed(r.path("value").asDouble(), 3) + " [" + Html.fixed(r.path("lo").asDouble(), 3) + ", "
                + Html.fixed(r.path("hi").asDouble(), 3) + "]";
    }

    static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
