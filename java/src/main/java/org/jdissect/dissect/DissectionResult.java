package org.jdissect.dissect;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of a dissection: where it was written, the images it looked at, and one result per layer, in the
 * order asked.
 *
 * @param out        the output folder
 * @param categories category names, in the tally's order
 * @param rows       the source rows of the cached images, by cache position (a Broden index row, a file of the
 *                   folder, a sample)
 * @param skipped    candidate images skipped as malformed or unreadable
 * @param images     how to read the images back (for the report's thumbnails); null for generated samples
 */
public record DissectionResult(Path out, DissectionOptions options, List<String> categories, List<Integer> rows,
                               int skipped, List<LayerResult> layers, ImageStore images) {
}
