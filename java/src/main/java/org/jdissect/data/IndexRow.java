package org.jdissect.data;

import java.util.List;

/**
 * One row of index.csv, restricted to the chosen categories.
 *
 * @param line   1-based line of index.csv the row starts on (for error messages)
 * @param image  image path, relative to the dataset's images folder
 * @param split  split name, e.g. {@code train} or {@code val}
 * @param ih     image height as index.csv states it
 * @param iw     image width as index.csv states it
 * @param sh     label-map height
 * @param sw     label-map width
 * @param cells  per chosen category (in the dataset's category order), the cell's {@code ;}-separated values:
 *               PNG paths relative to the images folder, or decimal label numbers; an empty list for an empty cell
 */
public record IndexRow(int line, String image, String split, int ih, int iw, int sh, int sw, List<List<String>> cells) {
    public IndexRow {
        cells = cells.stream().map(List::copyOf).toList();
    }
}
