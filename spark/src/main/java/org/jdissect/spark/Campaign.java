package org.jdissect.spark;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import gg.jte.Content;

import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.LayerResult;
import org.jdissect.dissect.Summary;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.Words;
import org.jdissect.report.CategoryPalette;
import org.jdissect.report.Chart;
import org.jdissect.report.Charts;
import org.jdissect.report.HtmlReport;
import org.jdissect.report.ReportExtension;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Site;

/**
 * A campaign's summary: per model and layer, the figures of each layer's report.json summary (units, interpretable
 * units, unique concepts, interpretable units per category), as {@code OUT/campaign.csv} and a report,
 * {@code OUT/report/index.html}, with the paper's figure of concepts across layers and checkpoints: one row per model
 * and layer, its interpretable units stacked by category.
 */
final class Campaign {
    static final String CSV = "campaign.csv";
    /** The campaign's page: the report's index. */
    static final String HTML = "report/index.html";

    /** One dissected model's name (its folder under OUT) and result. */
    record Entry(String model, DissectionResult result) {
    }

    private Campaign() {
    }

    static void write(Path out, List<Entry> entries) {
        List<String> cats = entries.isEmpty() ? List.of() : entries.get(0).result().categories();
        AtomicFiles.writeText(out.resolve(CSV), w -> writeCsv(w, entries, cats));
        HtmlReport.builder(out).extension(new Pages(entries, cats)).write();
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

    /**
     * The campaign's page, drawn by the report's toolkit (templates, charts, figure files): each model's each layer a
     * row of its interpretable units stacked by category, as a share of the layer's units, with the counts beside.
     */
    /**
     * The link from the campaign's page (OUT/report/) to a model's own report (OUT/MODEL/report/), or null where none
     * will be: the command line writes it where the job left the model's activation cache (a local master on a path).
     */
    static String modelReport(Entry e) {
        Path dir = e.result().out();
        return DissectionOutput.hasCache(dir) ? "../" + dir.getFileName() + "/report/index.html" : null;
    }

    static final class Pages implements ReportExtension {
        private final List<Entry> entries;
        private final List<String> categories;

        Pages(List<Entry> entries, List<String> categories) {
            this.entries = entries;
            this.categories = categories;
        }

        @Override
        public Optional<String> indexTitle(Site site) {
            int layers = entries.stream().mapToInt(e -> e.result().layers().size()).sum();
            return Optional.of("Campaign: " + Words.counted(entries.size(), "model") + ", "
                    + Words.counted(layers, "layer") + " dissected");
        }

        @Override
        public List<ReportSection> indexSections(Site site) {
            CategoryPalette palette = new CategoryPalette(categories);
            List<Charts.Row> rows = new ArrayList<>();
            for (Entry e : entries) {
                for (LayerResult l : e.result().layers()) {
                    Summary s = l.record().summary();
                    List<Charts.Segment> segments = new ArrayList<>();
                    for (String c : categories) {
                        int n = s.unitsPerCategory().getOrDefault(c, 0);
                        segments.add(new Charts.Segment(n, palette.colour(c), e.model() + "/" + l.layer().name()
                                + ": " + Words.counted(n, "unit") + " detecting " + c + " concepts"));
                    }
                    rows.add(new Charts.Row(e.model() + "/" + l.layer().name(), modelReport(e), s.interpretable(),
                            s.units(), segments));
                }
            }
            Chart chart = Charts.stackedShares("Interpretable units per category, per model and layer (" + CSV
                    + " has the counts; each model's layers are in its folder)", "share of the layer's units", rows,
                    "no model has an interpretable unit in these layers");
            Content figure = site.figure("campaign", chart);
            // (a row links to its model's report, which jdissect dissect --models writes where the cache is local)
            Content legend = Charts.legend(palette);
            return List.of(new ReportSection("campaign", "Concepts across models and layers", out -> {
                figure.writeTo(out);
                legend.writeTo(out);
            }));
        }
    }
}
