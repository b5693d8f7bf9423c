package org.jdissect.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.LayerResult;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.dissect.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, and the paper's phenomena it must show (MODELS.md records the figures): at the high layer a
 * majority of units interpretable, at least 15 concepts, object and part units outnumbering colour and texture
 * units; at the low layer the reverse.
 */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theDemoShowsTheLayerPhenomena() {
        DissectionResult result = Demo.run(tmp, ProgressListener.NONE, Invocation.current());
        assertThat(result.layers()).extracting(l -> l.layer().name()).containsExactlyElementsOf(Demo.LAYERS);
        Summary low = summary(result, "conv1");
        Summary high = summary(result, "conv5");

        assertThat(2 * high.interpretable()).isGreaterThan(high.units());
        assertThat(high.uniqueConcepts()).isGreaterThanOrEqualTo(15);
        assertThat(objectsAndParts(high)).isGreaterThan(coloursAndTextures(high));
        assertThat(coloursAndTextures(low)).isGreaterThan(objectsAndParts(low));
        assertThat(tmp.resolve("dissection/conv5/tally.csv")).isRegularFile();
    }

    private static Summary summary(DissectionResult result, String layer) {
        for (LayerResult l : result.layers()) {
            if (l.layer().name().equals(layer)) {
                return l.record().summary();
            }
        }
        throw new AssertionError("no layer " + layer);
    }

    private static int objectsAndParts(Summary s) {
        Map<String, Integer> c = s.unitsPerCategory();
        return c.get("object") + c.get("part");
    }

    private static int coloursAndTextures(Summary s) {
        Map<String, Integer> c = s.unitsPerCategory();
        return c.get("color") + c.get("texture");
    }
}
