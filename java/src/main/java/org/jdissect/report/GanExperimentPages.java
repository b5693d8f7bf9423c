package org.jdissect.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jdissect.io.FileNames;

/**
 * The pages of {@code gan-edit} and {@code gan-effect}: every folder under OUT with an {@code edit.json} gets a page
 * with its before/after grid ({@code edit.png}) and what was edited; every folder with an {@code effect.json} a page
 * with the removal curve (share of the concept's pixels removed against units ablated, and what replaces them) and
 * the insertion success rate by context class. Units link to their cards when the layer was dissected in OUT.
 */
final class GanExperimentPages implements ReportExtension {
    static final String REMOVAL_COLOUR = "#d1495b";
    static final String INSERTION_COLOUR = "#3f9c4a";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A gan-edit or gan-effect output folder, its JSON and its page. */
    record Experiment(Path dir, String page, JsonNode json) {
        String layer() {
            return json.path("layer").asText();
        }
    }

    static List<Experiment> find(Context c, String file, String prefix) {
        return c.once(file, () -> {
            List<Path> dirs = new ArrayList<>();
            List<JsonNode> roots = new ArrayList<>();
            for (Path f : c.find(file)) {
                try {
                    JsonNode root = JSON.readTree(f.toFile());
                    if (!"jdissect".equals(root.path("tool").asText()) || !root.has("layer")
                            || !root.path("provenance").path("models").isArray()) {
                        c.log("report: " + f + " left out: not a jdissect " + file + " (no tool, layer or provenance)");
                        continue;
                    }
                    dirs.add(f.getParent());
                    roots.add(root);
                } catch (IOException e) {
                    c.log("report: " + f + " left out: " + e.getMessage());
                }
            }
            List<String> stems = FileNames.fileSafe(dirs.stream().map(d -> InterventionPages.stem(c.out(), d)).toList());
            List<Experiment> out = new ArrayList<>();
            for (int i = 0; i < dirs.size(); i++) {
                out.add(new Experiment(dirs.get(i), prefix + stems.get(i) + ".html", roots.get(i)));
            }
            return out;
        });
    }

    @Override
    public List<ReportSection> indexSections(Context c) {
        List<Experiment> edits = find(c, "edit.json", "edit-");
        List<Experiment> effects = find(c, "effect.json", "effect-");
        List<ReportSection> sections = new ArrayList<>();
        if (!edits.isEmpty()) {
            for (Experiment e : edits) {
                c.writePage(e.page(), "Edit of " + e.layer(), h -> editPage(h, c, e));
            }
            sections.add(new ReportSection("edits", "Edits", h -> editList(h, c, edits)));
        }
        if (!effects.isEmpty()) {
            for (Experiment e : effects) {
                c.writePage(e.page(), "Effect of " + e.json().path("concept").asText(), h -> effectPage(h, c, e));
            }
            sections.add(new ReportSection("effects", "Causal effects", h -> effectList(h, c, effects)));
        }
        return sections;
    }

    @Override
    public List<ReportSection> layerSections(Context c, ReportLayer layer) {
        List<Experiment> edits = find(c, "edit.json", "edit-").stream().filter(e -> e.layer().equals(layer.name()))
                .toList();
        List<Experiment> effects = find(c, "effect.json", "effect-").stream()
                .filter(e -> e.layer().equals(layer.name())).toList();
        List<ReportSection> sections = new ArrayList<>();
        if (!edits.isEmpty()) {
            sections.add(new ReportSection("edits", "Edits", h -> editList(h, c, edits)));
        }
        if (!effects.isEmpty()) {
            sections.add(new ReportSection("effects", "Causal effects", h -> effectList(h, c, effects)));
        }
        return sections;
    }

    private static String where(Context c, Path dir) {
        String rel = c.out().relativize(dir).toString();
        return rel.isEmpty() ? "." : rel;
    }

    private static String units(JsonNode list) {
        List<String> u = new ArrayList<>();
        list.forEach(n -> u.add(n.asText()));
        return u.size() <= 8 ? String.join(", ", u) : String.join(", ", u.subList(0, 8)) + ", \u2026 (" + u.size() + ")";
    }

    private static void editList(Html h, Context c, List<Experiment> edits) {
        h.raw("<p class=\"note\">Units switched off (ablate) or on (insert) between the generator's head and tail "
                + "(jdissect gan-edit): the same samples before and after.</p><ul class=\"links\">");
        for (Experiment e : edits) {
            JsonNode j = e.json();
            String what = j.path("concept").isTextual() ? "the top " + j.path("units").size() + " units for "
                    + j.path("concept").asText() : "units " + units(j.path("units"));
            h.raw("<li><a" + Html.attr("href", e.page()) + ">").text(j.path("mode").asText() + " " + what)
                    .raw("</a> \u2014 ").text(e.layer()).raw(" <span class=\"path\">").text(where(c, e.dir()))
                    .raw("</span></li>");
        }
        h.raw("</ul>");
    }

    private static void effectList(Html h, Context c, List<Experiment> effects) {
        h.raw("<p class=\"note\">The average causal effect of a concept's units, measured with the segmenter "
                + "(jdissect gan-effect).</p><ul class=\"links\">");
        for (Experiment e : effects) {
            JsonNode j = e.json();
            List<String> parts = new ArrayList<>();
            if (j.has("removal")) {
                parts.add("removal curve");
            }
            if (j.has("insertion")) {
                parts.add("insertion by context");
            }
            h.raw("<li><a" + Html.attr("href", e.page()) + ">").text(j.path("concept").asText()).raw("</a> \u2014 ")
                    .text(String.join(" and ", parts) + ", " + e.layer()).raw(" <span class=\"path\">")
                    .text(where(c, e.dir())).raw("</span></li>");
        }
        h.raw("</ul>");
    }

    /** Links to the units' cards where the layer was dissected here, plain numbers otherwise. */
    private static void unitLinks(Html h, Context c, String layerName, JsonNode units) {
        Optional<ReportLayer> layer = c.layers().stream().filter(l -> l.name().equals(layerName)).findFirst();
        int i = 0;
        h.raw("<span class=\"unitlinks\">");
        for (JsonNode n : units) {
            int u = n.asInt();
            h.raw(i++ == 0 ? "" : ", ");
            if (layer.isPresent() && u >= 1 && u <= layer.get().units().size()) {
                ReportLayer.Unit card = layer.get().units().get(u - 1);
                h.raw("<a" + Html.attr("href", c.unitLink(layer.get(), u))
                        + Html.attr("title", card.label() + " (" + card.category() + "), IoU " + Html.fixed(card.iou(), 3))
                        + ">" + u + "</a>");
            } else {
                h.raw(Integer.toString(u));
            }
        }
        h.raw("</span>");
    }

    private static void intro(Html h, String title, JsonNode j, String sub) {
        h.raw("<section class=\"intro\"><h1>").text(title).raw("</h1><p class=\"sub\">")
                .text(InterventionPages.fileName(j.path("provenance").path("models").path(0).path("path").asText()) + " \u00b7 layer " + j.path("layer").asText()
                        + " \u00b7 seed " + j.path("seed").asText() + " \u00b7 " + sub).raw("</p></section>\n");
    }

    private static void editPage(Html h, Context c, Experiment e) {
        JsonNode j = e.json();
        String concept = j.path("concept").isTextual() ? j.path("concept").asText() : null;
        intro(h, (j.path("mode").asText().equals("insert") ? "Insertion" : "Ablation")
                + (concept != null ? " of " + concept + " units" : " of units " + units(j.path("units"))), j,
                "samples " + j.path("samples").path(0).asText() + " to " + j.path("samples").path(1).asText());
        h.raw("<section id=\"grid\"><h2>Before and after</h2><p class=\"note\">Top row: the samples as generated; "
                + "bottom row: the same samples with the units "
                + (j.path("mode").asText().equals("insert") ? "switched on" : "switched off")
                + (j.path("region").isArray() ? ", only over the outlined region" : "") + ".</p>");
        Path png = e.dir().resolve("edit.png");
        if (Files.isRegularFile(png)) {
            try {
                int[] size = HtmlReport.pngSize(png);
                String link = c.copyImage(png, "edits/" + e.page().replace(".html", ".png"));
                int scale = Math.max(1, Math.min(Math.min(8, 256 / Math.max(1, size[1])), 1200 / Math.max(1, size[0])));
                h.raw("<div class=\"imgs\"><img class=\"gen grid\"" + Html.attr("src", link) + " width=\""
                        + size[0] * scale + "\" height=\"" + size[1] * scale + "\""
                        + Html.attr("alt", "before and after, " + where(c, e.dir())) + "></div>");
            } catch (IOException | RuntimeException ex) {
                h.raw("<p class=\"empty\">").text("edit.png cannot be shown: " + ex.getMessage()).raw("</p>");
            }
        } else {
            h.raw("<p class=\"empty\">").text("no edit.png in " + e.dir()).raw("</p>");
        }
        h.raw("</section>\n<section id=\"settings\"><h2>What was edited</h2><dl class=\"settings\">");
        h.raw("<dt>units</dt><dd>");
        unitLinks(h, c, e.layer(), j.path("units"));
        h.raw("</dd>");
        for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) j::fields) {
            if (!List.of("units", "tool", "kind", "format", "provenance").contains(f.getKey()) && !f.getValue().isNull()) {
                JsonNode v = f.getValue();
                h.element("dt", f.getKey().replace('_', ' ')).element("dd", v.isValueNode() ? v.asText() : v.toString());
            }
        }
        h.element("dt", "folder").element("dd", e.dir().toString());
        h.raw("</dl></section>\n");
    }

    private static void effectPage(Html h, Context c, Experiment e) {
        JsonNode j = e.json();
        String concept = j.path("concept").asText();
        intro(h, "Causal effect of the " + concept + " units", j, j.path("samples").asText() + " samples per measurement");
        JsonNode removal = j.path("removal");
        if (removal.isArray() && removal.size() > 0) {
            h.raw("<section id=\"removal\"><h2>Removal</h2><p class=\"note\">The top units for ").text(concept)
                    .raw(" (by IoU) ablated, 1, 2, 4, \u2026 at a time: the share of the concept's pixels (as the "
                            + "segmenter sees them) that goes, and what the segmenter sees there instead.</p>");
            int n = removal.size();
            double[] x = new double[n];
            double[] y = new double[n];
            double[] none = new double[n];
            boolean[] filled = new boolean[n];
            String[] tips = new String[n];
            for (int i = 0; i < n; i++) {
                JsonNode r = removal.get(i);
                x[i] = r.path("units").asDouble();
                y[i] = r.path("removed_share").asDouble();
                none[i] = Double.NaN;
                filled[i] = true;
                tips[i] = r.path("units").asInt() + " units ablated: " + Html.fixed(100 * y[i], 1) + "% of the "
                        + concept + " pixels removed (" + r.path("pixels_before").asLong() + " \u2192 "
                        + r.path("pixels_after").asLong() + "); replaced by " + replacedBy(r.path("replaced_by"), 3);
            }
            h.raw("<div class=\"chartwrap\">");
            Charts.logCurve(h, "Share of the " + concept + " pixels removed against units ablated",
                    "units ablated (log scale)", "share of pixels removed", List.of(new Charts.Series("removed",
                            REMOVAL_COLOUR, x, y, none, none, filled, tips)), List.of(), 0, 1, true);
            h.raw("</div><div class=\"tablewrap\"><table class=\"removal\"><thead><tr><th class=\"num\">units ablated</th>"
                    + "<th class=\"num\">pixels before</th><th class=\"num\">after</th><th class=\"num\">removed</th>"
                    + "<th>replaced by</th></tr></thead><tbody>");
            for (JsonNode r : removal) {
                h.raw("<tr" + Html.attr("data-units", r.path("units").asText())
                        + Html.attr("data-removed", r.path("removed_share").asText()) + "><td class=\"num\">"
                        + r.path("units").asInt() + "</td><td class=\"num\">" + r.path("pixels_before").asLong()
                        + "</td><td class=\"num\">" + r.path("pixels_after").asLong() + "</td><td class=\"num\">"
                        + Html.fixed(100 * r.path("removed_share").asDouble(), 1) + "%</td><td>")
                        .text(replacedBy(r.path("replaced_by"), 5)).raw("</td></tr>");
            }
            h.raw("</tbody></table></div></section>\n");
        }
        JsonNode ins = j.path("insertion");
        if (ins.isObject()) {
            h.raw("<section id=\"insertion\"><h2>Insertion by context</h2><p class=\"note\">The top units (");
            unitLinks(h, c, e.layer(), ins.path("units"));
            h.raw(") switched on at each feature location in turn; an insertion succeeds when the concept's share of "
                    + "the location's pixels rises by at least " + Html.fixed(100 * ins.path("success_share").asDouble(), 0)
                    + "%. Success rate by the class the segmenter saw there before.</p>");
            List<Charts.Bar> bars = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) ins.path("by_context")::fields) {
                long trials = f.getValue().path(0).asLong();
                long successes = f.getValue().path(1).asLong();
                double rate = trials == 0 ? 0 : (double) successes / trials;
                bars.add(new Charts.Bar(f.getKey(), rate, f.getKey() + ": " + successes + " of " + trials
                        + " insertions succeed (" + Html.fixed(100 * rate, 1) + "%)", INSERTION_COLOUR,
                        "(" + trials + " trials)"));
            }
            h.raw("<div class=\"chartwrap\">");
            Charts.shareBars(h, "Insertion success rate by context", "insertions that succeed", bars);
            h.raw("</div></section>\n");
        }
        h.raw("<section id=\"settings\"><h2>Settings</h2><dl class=\"settings\">");
        h.element("dt", "generator").element("dd", j.path("provenance").path("models").path(0).path("path").asText());
        for (String k : List.of("layer", "concept", "seed", "samples")) {
            h.element("dt", k).element("dd", j.path(k).asText());
        }
        h.element("dt", "folder").element("dd", e.dir().toString());
        h.raw("</dl></section>\n");
    }

    private static String replacedBy(JsonNode map, int most) {
        long total = 0;
        for (JsonNode v : map) {
            total += v.asLong();
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            if (parts.size() == most) {
                parts.add("\u2026");
                break;
            }
            parts.add(f.getKey() + " " + Html.fixed(100.0 * f.getValue().asLong() / Math.max(1, total), 0) + "%");
        }
        return parts.isEmpty() ? "\u2013" : String.join(", ", parts);
    }
}
