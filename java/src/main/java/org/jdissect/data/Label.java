package org.jdissect.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of label.csv: a concept, with the statistics reports show next to it.
 *
 * @param number          global label number (the value R + 256 * G in label maps)
 * @param name            the concept's name
 * @param categoryCounts  per category the label occurs in, its count there (number of images), in file order
 * @param frequency       number of images that contain the label
 * @param coverage        the label's total pixel area in units of whole images
 * @param syns            synonyms
 */
public record Label(int number, String name, Map<String, Integer> categoryCounts, int frequency, double coverage,
                    List<String> syns) {
    public Label {
        categoryCounts = Collections.unmodifiableMap(new LinkedHashMap<>(categoryCounts));
        syns = List.copyOf(syns);
    }
}
