package org.jdissect.dissect.pages;

import java.util.ArrayList;
import java.util.List;

import gg.jte.Content;

import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.dissect.Summary;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;
import org.jdissect.io.Words;
import org.jdissect.report.CategoryPalette;
import org.jdissect.report.Charts;
import org.jdissect.report.Format;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;
import org.jdissect.report.Site;

/** The dissection's sections of the index page: what ran on what, its layers, units per category by layer, settings. */
final class IndexSections {
    private IndexSections() {
    }

    static List<ReportSection> of(Site site, DissectionOutput output, List<DissectionPages.Layer> layers,
                                  CategoryPalette palette, DissectionPages.Summary drawn) {
        double reportSeconds = site.elapsedSeconds();
        LayerRecord first = output.first();
        List<ReportSection> sections = new ArrayList<>();
        sections.add(ReportSection.intro(intro(first, layers.size())));
        sections.add(new ReportSection("layers", "Layers", Templates.layersTable(layers, palette)));
        List<Charts.Row> rows = new ArrayList<>();
        for (DissectionPages.Layer l : layers) {
            Summary s = l.record().summary();
            int units = l.record().layer().units();
            List<Charts.Segment> segments = new ArrayList<>();
            for (String c : palette.categories()) {
                int n = s.unitsPerCategory().getOrDefault(c, 0);
                segments.add(new Charts.Segment(n, palette.colour(c), c + ": " + n + " of " + units + " units ("
                        + Format.fixed(100.0 * n / units, 1) + "%)"));
            }
            rows.add(new Charts.Row(l.name(), l.page(), s.interpretable(), units, segments));
        }
        sections.add(new ReportSection("by-layer", "Units per category by layer", Templates.byLayer(
                Double.toString(first.settings().iouThreshold()), Charts.legend(palette),
                site.figure("units-per-category-by-layer", Charts.stackedShares(
                        "Interpretable units per category by layer", "interpretable units, % of the layer's units",
                        rows, "No layer has a unit at or above the IoU cut-off.")))));
        sections.add(new ReportSection("settings", "Settings", ReportSection.Place.END,
                Setting.list(settings(first, palette, drawn, output.dissectionSeconds(), reportSeconds))));
        return sections;
    }

    private static Content intro(LayerRecord first, int layers) {
        List<Provenance.Model> models = first.provenance().models();
        String layerCount = layers + (layers == 1 ? " layer" : " layers");
        if (first.source() instanceof LayerRecord.Source.Generated g) {
            return Templates.intro(true, Format.fileName(models.get(0).path()), Format.fileName(models.get(1).path()),
                    g.images() + " samples of seed " + g.seed(), layerCount);
        }
        String data = first.source() instanceof LayerRecord.Source.Broden br ? br.dataset()
                : ((LayerRecord.Source.SegmentedImages) first.source()).folder();
        return Templates.intro(false, Format.fileName(models.get(0).path()), Format.fileName(data),
                first.source().images() + " images", layerCount);
    }

    private static List<Setting> settings(LayerRecord first, CategoryPalette palette, DissectionPages.Summary drawn,
                                          double dissection, double report) {
        List<Setting> s = new ArrayList<>();
        for (Provenance.Model m : first.provenance().models()) {
            s.add(Setting.of(m.role(), m.path()));
            s.add(Setting.of(m.role() + " sha256", m.sha256()));
            if (m.preprocessing() != null) {
                s.add(Setting.of(m.role() + " preprocessing", Json.text(m.preprocessing()).replaceAll("\\s+", " ")));
            }
        }
        if (first.source() instanceof LayerRecord.Source.Generated g) {
            s.add(Setting.of("segmenter labels", g.segmenterLabels()));
            s.add(Setting.of("output range", g.outputRange().toString()));
            s.add(Setting.of("samples", Integer.toString(g.images())));
            s.add(Setting.of("seed", Long.toString(g.seed())));
        } else if (first.source() instanceof LayerRecord.Source.Broden br) {
            s.add(Setting.of("dataset", br.dataset()));
            s.add(Setting.of("dataset fingerprint", br.fingerprint()));
            s.add(Setting.of("images", br.images() + " (" + br.skippedImages() + " skipped)"));
        } else if (first.source() instanceof LayerRecord.Source.SegmentedImages si) {
            s.add(Setting.of("image folder", si.folder()));
            s.add(Setting.of("folder fingerprint", si.fingerprint()));
            s.add(Setting.of("segmenter labels", si.segmenterLabels()));
            s.add(Setting.of("images", si.images() + " (" + si.skippedImages() + " skipped)"));
        }
        LayerRecord.Settings st = first.settings();
        s.add(Setting.of("categories", String.join(", ", palette.categories())));
        s.add(Setting.of("quantile", st.quantile() + " (" + st.thresholdMethod() + ")"));
        s.add(Setting.of("IoU cut-off", Double.toString(st.iouThreshold())));
        s.add(Setting.of("top images per unit", Integer.toString(st.topk())));
        // a picture per unit and top image, but an image among several units' top images is one image
        s.add(Setting.of("on the cards", Words.counted(drawn.pictures(), "picture") + " of "
                + Words.counted(drawn.images(), "distinct " + drawn.noun()) + " (" + Words.counted(drawn.units(), "unit")
                + " in " + Words.counted(drawn.layers(), "layer") + ")"));
        s.add(Setting.of("upsampling", st.upsampling()));
        s.add(Setting.of("backend", st.backend()));
        s.add(Setting.of("jdissect", first.provenance().version() + " (" + first.provenance().commit() + ")"));
        s.add(Setting.of("time", "dissection " + Format.fixed(dissection, 1) + " s; this report "
                + Format.fixed(report, 1) + " s"));
        return s;
    }
}
