package org.jdissect.dissect;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The figures NetDissect users read first: interpretable units (IoU at or above the cut-off), unique concepts
 * among them, and units per category.
 *
 * @param headline "N/M units covering K concepts with IoU >= t"
 */
@JsonPropertyOrder({"headline", "units", "interpretable", "unique_concepts", "units_per_category"})
public record Summary(String headline, int units, int interpretable, int uniqueConcepts,
                      Map<String, Integer> unitsPerCategory) {
    public static Summary of(List<Scoring.UnitScore> scores, List<String> categories, double iouThreshold) {
        int interpretable = 0;
        Set<Integer> concepts = new LinkedHashSet<>();
        Map<String, Integer> perCategory = new LinkedHashMap<>();
        for (String c : categories) {
            perCategory.put(c, 0);
        }
        for (Scoring.UnitScore s : scores) {
            if (s.iou() >= iouThreshold) {
                interpretable++;
                concepts.add(s.label());
                perCategory.merge(categories.get(s.category()), 1, Integer::sum);
            }
        }
        String headline = interpretable + "/" + scores.size() + " units covering " + concepts.size()
                + " concepts with IoU >= " + iouThreshold;
        return new Summary(headline, scores.size(), interpretable, concepts.size(), perCategory);
    }
}
