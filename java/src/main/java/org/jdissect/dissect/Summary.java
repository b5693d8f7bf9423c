package org.jdissect.dissect;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The figures NetDissect users read first: interpretable units (IoU at or above the cut-off), unique concepts
 * among them, and units per category.
 */
public record Summary(int units, int interpretable, int uniqueConcepts, Map<String, Integer> unitsPerCategory) {
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
        return new Summary(scores.size(), interpretable, concepts.size(), perCategory);
    }

    /** "N/M units covering K concepts with IoU >= t". */
    public String headline(double iouThreshold) {
        return interpretable + "/" + units + " units covering " + uniqueConcepts + " concepts with IoU >= "
                + iouThreshold;
    }
}
