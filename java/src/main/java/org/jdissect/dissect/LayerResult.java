package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jdissect.model.LayerInfo;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * Everything a dissection found for one layer.
 *
 * @param layer      the layer (tensor name, op, C x H x W)
 * @param directory  where its outputs were written
 * @param stats      thresholds and top images (image indexes into {@code rows})
 * @param counts     the tally
 * @param scores     per unit, in unit order
 * @param timings    seconds per stage
 */
public record LayerResult(LayerInfo layer, Path directory, UnitStats stats, TallyCounts counts,
                          List<Scoring.UnitScore> scores, Map<String, Double> timings) {
}
