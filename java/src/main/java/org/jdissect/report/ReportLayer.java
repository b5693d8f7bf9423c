package org.jdissect.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One dissected layer as the report reads it back from {@code OUT/<dir>/report.json}.
 *
 * @param dir              the layer's folder name under OUT (file-safe, also used for page and image names)
 * @param name             the layer (tensor) name, as the model spells it: untrusted text, escape it
 * @param headline         "N/M units covering K concepts with IoU >= t", exactly as report.json states it
 * @param unitsPerCategory interpretable units per category, in the dissection's category order
 * @param units            every unit, in unit order
 */
public record ReportLayer(Path reportJson, String dir, String name, String op, int channels, int height, int width,
                          String headline, int interpretable, int uniqueConcepts,
                          Map<String, Integer> unitsPerCategory, List<Unit> units) {

    /** A unit: number 1-based as in tally.csv, its best label and category, and its top images, best first. */
    public record Unit(int unit, String label, String category, double iou, boolean interpretable, float threshold,
                       long maskPixels, List<TopImage> top) {
    }

    /** A top image: its path relative to the dataset's images folder and the unit's maximum on it. */
    public record TopImage(String image, float maxActivation) {
    }

    /** The page of this layer, relative to the report's folder. */
    public String page() {
        return "layer-" + dir + ".html";
    }
}
