package org.jdissect.spark;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.LayerResult;
import org.jdissect.dissect.Summary;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.report.CategoryPalette;

/**
 * A campaign's summary: per model and layer, the figures of each layer's report.json summary (units, interpretable
 * units, unique concepts, interpretable units per category), as {@code OUT/campaign.csv} and a page,
 * {@code OUT/campaign.html}, with the paper's figure of concepts across layers and checkpoints: one bar per model and
 * layer, its interpretable units stacked by category.
 */
final class Campaign {
    static final String CSV = "campaign.csv";
    static final String HTML = "campaign.html";

    /** One dissected model's name (its folder under OUT) and result. */
    record Entry(String model, DissectionResult result) {
    }

    private Campaign() {
    }

    static void write(Path out, List<Entry> entries) {
        List<String> cats = entries.isEmpty() ? List.of() : entries.get(0).result().categories();
        AtomicFiles.writeText(out.resolve(CSV), w -> writeCsv(w, entries, cats));
        AtomicFiles.writeText(out.resolve(HTML), w -> writeHtml(w, entries, cats));
    }

    private static void writeCsv(Writer w, List<Entry> entries, List<String> cats) throws IOException {
        List<String> header = new ArrayList<>(List.of("model", "layer", "units", "interpretable", "concepts"));
        header.addAll(cats);
        Csv.writeRow(w, header);
        for (Entry e : entries) {
            for (LayerResult l : e.result().layers()) {
                Summary s = l.record().summary();
                List<String> row = new ArrayList<>(List.of(e.model(), l.layer().name(), Integer.toString(s.units()),
                        Integer.toString(s.interpretable()), Integer.toString(s.uniqueConcepts())));
                for (String c : cats) {
                    row.add(Integer.toString(s.unitsPerCategory().getOrDefault(c, 0)));
                }
                Csv.writeRow(w, row);
            }
        }
    }

    private static void writeHtml(Writer w, List<Entry> entries, List<String> cats) throws IOException {
        CategoryPalette palette = new CategoryPalette(cats);
        int bars = entries.stream().mapToInt(e -> e.result().layers().size()).sum();
        int max = 1;
        for (Entry e : entries) {
            for (LayerResult l : e.result().layers()) {
                max = Math.max(max, l.record().summary().units());
            }
        }
        int barWidth = 28;
        int gap = 10;
        int height = 220;
        int left = 40;
        int width = left + bars * (barWidth + gap) + 20;
        w.write("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jdissect campaign</title>\n"
                + "<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #ddd}td:first-child,td:nth-child(2),"
                + "th:first-child,th:nth-child(2){text-align:left}</style></head><body>\n");
        w.write("<h1>Campaign: " + entries.size() + " models</h1>\n");
        w.write("<p>Interpretable units (IoU at or above each layer's cut-off) per category, for every model and "
                + "layer; each model's layers are in OUT/&lt;model&gt;/&lt;layer&gt;/.</p>\n");
        // the figure: one bar per model and layer, interpretable units stacked by category, on a scale of the
        // largest layer's units
        w.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + (height + 90)
                + "\" role=\"img\" aria-label=\"interpretable units per category, per model and layer\">\n");
        int x = left;
        for (Entry e : entries) {
            for (LayerResult l : e.result().layers()) {
                Summary s = l.record().summary();
                double y = height;
                for (String c : cats) {
                    int n = s.unitsPerCategory().getOrDefault(c, 0);
                    double h = height * (double) n / max;
                    y -= h;
                    w.write(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                            + "fill=\"%s\"><title>%s</title></rect>\n", x, y, barWidth, h, palette.colour(c),
                            escape(e.model() + " " + l.layer().name() + ": " + n + " " + c)));
                }
                w.write("<text x=\"" + (x + barWidth / 2) + "\" y=\"" + (height + 12) + "\" font-size=\"10\" "
                        + "transform=\"rotate(60 " + (x + barWidth / 2) + " " + (height + 12) + ")\">"
                        + escape(e.model() + "/" + l.layer().name()) + "</text>\n");
                x += barWidth + gap;
            }
        }
        w.write("<line x1=\"" + left + "\" y1=\"" + height + "\" x2=\"" + x + "\" y2=\"" + height
                + "\" stroke=\"#444\"/>\n<text x=\"0\" y=\"10\" font-size=\"10\">" + max + " units</text>\n</svg>\n");
        w.write("<p>");
        for (String c : cats) {
            w.write("<span style=\"color:" + palette.colour(c) + "\">&#9632;</span> " + escape(c) + " &nbsp; ");
        }
        w.write("</p>\n<table><tr><th>model</th><th>layer</th><th>units</th><th>interpretable</th><th>concepts</th>");
        for (String c : cats) {
            w.write("<th>" + escape(c) + "</th>");
        }
        w.write("</tr>\n");
        for (Entry e : entries) {
            for (LayerResult l : e.result().layers()) {
                Summary s = l.record().summary();
                w.write("<tr><td>" + escape(e.model()) + "</td><td>" + escape(l.layer().name()) + "</td><td>"
                        + s.units() + "</td><td>" + s.interpretable() + "</td><td>" + s.uniqueConcepts() + "</td>");
                for (String c : cats) {
                    w.write("<td>" + s.unitsPerCategory().getOrDefault(c, 0) + "</td>");
                }
                w.write("</tr>\n");
            }
        }
        w.write("</table>\n</body></html>\n");
    }

    /** Text for HTML: model, layer and category names come from files and options. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
