package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jdissect.model.LayerInfo;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * Everything a dissection found for one layer: the raw statistics and, as written to report.json, the record.
 *
 * @param layer     the layer (tensor name, op, C x H x W)
 * @param directory where its outputs were written
 * @param stats     thresholds and top images (image indexes are cache positions)
 * @param counts    the tally
 * @param scores    per unit, in unit order
 * @param timings   seconds per stage
 * @param record    report.json's contents
 */
public record LayerResult(LayerInfo layer, Path directory, UnitStats stats, TallyCounts counts,
                          List<Scoring.UnitScore> scores, Map<String, Double> timings, LayerRecord record) {
}
