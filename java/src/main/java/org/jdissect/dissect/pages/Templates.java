package org.jdissect.dissect.pages;

import java.util.List;

import gg.jte.Content;
import gg.jte.html.HtmlContent;

import org.jdissect.dissect.LayerRecord;
import org.jdissect.report.CardNote;
import org.jdissect.report.CategoryPalette;
import org.jdissect.report.ReportSection;
import org.jdissect.report.Setting;

/**
 * The one door to the dissection's templates ({@code src/main/jte/dissect}, precompiled by the build into the
 * {@code Jte*Generated} classes of this package; why jte: see {@code org.jdissect.report.Templates}). Each method
 * returns the markup as {@link Content}, which the report's page layout writes, escaping every value for its place.
 */
final class Templates {
    private Templates() {
    }

    /**
     * A unit's card: the unit, its category's colour, its pictures, its best label in each category, and the
     * concepts next after its label (from iou.csv; empty where the layer has none).
     */
    record Card(LayerRecord.Unit unit, String colour, CardPictures pictures, List<Concept> categories,
                List<Concept> runnerUps, List<CardNote> notes) {
    }

    /** A concept and the unit's IoU with it; a category (with its colour) where the concept is a category's best. */
    record Concept(String label, String category, String colour, double iou) {
    }

    static Content intro(boolean generated, String model, String labels, String images, String layers) {
        return (HtmlContent) o -> JteintroGenerated.render(o, null, generated, model, labels, images, layers);
    }

    static Content layersTable(List<DissectionPages.Layer> layers, CategoryPalette palette) {
        return (HtmlContent) o -> JtelayersGenerated.render(o, null, layers, palette);
    }

    static Content byLayer(String iouThreshold, Content legend, Content chart) {
        return (HtmlContent) o -> JtebylayerGenerated.render(o, null, iouThreshold, legend, chart);
    }

    static Content layerPage(LayerRecord layer, CategoryPalette palette, Content concepts, List<Card> cards,
                             List<ReportSection> sections, List<Setting> timings, boolean generated) {
        return (HtmlContent) o -> JtelayerGenerated.render(o, null, layer, palette, concepts, cards, sections, timings,
                generated);
    }
}
