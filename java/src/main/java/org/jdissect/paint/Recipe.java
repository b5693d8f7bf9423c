package org.jdissect.paint;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.jdissect.JdissectException;
import org.jdissect.io.Json;

/**
 * A painted edit as a file ({@code "kind": "paint-recipe"}): the generator by its sha256, the sample, the layer, and
 * every edit resolved to what the generator needs, units (1-based), their values and the mask at the layer's
 * resolution, with the strokes that made the mask. {@code gan-edit --recipe FILE} replays it from these alone (no
 * dissection needed) to the same bytes the editor showed.
 *
 * @param range the generator's output range mapped to 0..255
 */
@JsonPropertyOrder({"tool", "kind", "format", "generator", "generator_sha256", "layer", "seed", "sample", "range",
    "layer_height", "layer_width", "edits"})
public record Recipe(String tool, String kind, int format, String generator, String generatorSha256, String layer,
                     long seed, int sample, float[] range, int layerHeight, int layerWidth, List<Edit> edits) {
    public static final String KIND = "paint-recipe";

    /**
     * One edit, applied after the ones before it: {@code x = x * (1 - a) + r * a} at the mask's locations for each
     * unit, {@code r} the unit's value (0 to remove).
     *
     * @param mask    {@code layer_height} strings of {@code layer_width} characters, {@code 1} where the edit applies
     * @param values  per unit of {@code units}, the value it is set to
     * @param concept the concept the units were chosen for, when they were
     * @param strokes what was painted (for the record; the mask is what is applied)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"mode", "concept", "units", "values", "mask", "strokes"})
    public record Edit(String mode, String concept, List<Integer> units, List<Float> values, List<String> mask,
                       List<Strokes.Stroke> strokes) {
    }

    /** Reads a recipe; another kind of file, or one whose parts do not fit together, is one line naming it. */
    public static Recipe read(Path file) {
        Recipe r = Json.read(file, Recipe.class);
        if (!"jdissect".equals(r.tool()) || !KIND.equals(r.kind()) || r.edits() == null || r.layer() == null
                || r.generatorSha256() == null || r.range() == null || r.range().length != 2) {
            throw new JdissectException(file + " is not a jdissect paint recipe (tool " + r.tool() + ", kind "
                    + r.kind() + ")");
        }
        for (int i = 0; i < r.edits().size(); i++) {
            Edit e = r.edits().get(i);
            if (e.units() == null || e.values() == null || e.units().size() != e.values().size() || e.mask() == null
                    || e.mask().size() != r.layerHeight()
                    || e.mask().stream().anyMatch(row -> row == null || row.length() != r.layerWidth()
                    || !row.matches("[01]*"))) {
                throw new JdissectException(file + ": edit " + (i + 1) + " is malformed (units and values of one "
                        + "length, a mask of " + r.layerHeight() + " rows of " + r.layerWidth()
                        + " characters 0 or 1)");
            }
        }
        return r;
    }

    public void write(Path file) {
        Json.write(file, this);
    }
}
