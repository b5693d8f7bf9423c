package org.jdissect.intervene;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What every file of {@code jdissect ablate} records about its run, under {@code "settings"}: the model and layer,
 * the data, the class mapping, how units were replaced, the confidence of the intervals; then what the file is of.
 *
 * @param mode         the mode the file was written for: units, rank or curve
 * @param units        the layer's unit count
 * @param classes      class name to the model's output index
 * @param ablatedUnits 1-based, for units.json
 * @param part         the images scored: all, train, held_out
 * @param images       how many
 * @param n            the numbers of top units of the curves, for curve.json
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"mode", "model", "model_sha256", "layer", "units", "data", "data_fingerprint", "classes", "replace",
    "confidence", "interval", "ablated_units", "part", "images", "n"})
public record AblationSettings(String mode, String model, String modelSha256, String layer, int units, String data,
                               String dataFingerprint, Map<String, Integer> classes, String replace, double confidence,
                               String interval, List<Integer> ablatedUnits, String part, Long images,
                               List<Integer> n) {
    public static final String INTERVAL = "Wilson score; balanced accuracy: mean of the Wilson intervals of recall and "
            + "TNR, each at 1 - (1 - confidence) / 2; a change is significant when the intervals are disjoint";

    public static AblationSettings of(ClassifierIntervention ci, String mode, String replace) {
        return new AblationSettings(mode, ci.model().file().toString(), ci.model().fingerprint(), ci.layer().name(),
                ci.layer().channels(), ci.data().description(), ci.data().fingerprint(), ci.mapping().asMap(), replace,
                ci.confidence(), INTERVAL, null, null, null, null);
    }

    /** These settings for a file of {@code images} images of {@code part}. */
    AblationSettings scoring(List<Integer> ablated, String part, long images, List<Integer> ns) {
        return new AblationSettings(mode, model, modelSha256, layer, units, data, dataFingerprint, classes, replace,
                confidence, interval, ablated, part, images, ns);
    }
}
