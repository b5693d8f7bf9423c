package org.jdissect.dissect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;

/**
 * Every unit's IoU with every concept ({@code iou.csv}: a row per unit, a column per concept), so that units can
 * be ranked for any concept, not only the one they are best at.
 */
public final class IouTable {
    /** The file in a layer's folder. */
    public static final String FILE = LayerFiles.IOU;

    private final List<String> concepts;
    private final double[][] iou; // [concept][unit]

    private IouTable(List<String> concepts, double[][] iou) {
        this.concepts = concepts;
        this.iou = iou;
    }

    public static IouTable read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty()) {
                throw new JdissectException(file + " is empty");
            }
            List<String> header = Arrays.asList(lines.get(0).split(",", -1));
            List<String> concepts = List.copyOf(header.subList(1, header.size()));
            double[][] iou = new double[concepts.size()][lines.size() - 1];
            for (int r = 1; r < lines.size(); r++) {
                String[] f = lines.get(r).split(",", -1);
                if (f.length != header.size()) {
                    throw new JdissectException(file + " line " + (r + 1) + ": " + f.length + " fields, expected "
                            + header.size());
                }
                for (int c = 0; c < concepts.size(); c++) {
                    iou[c][r - 1] = Double.parseDouble(f[c + 1]);
                }
            }
            return new IouTable(concepts, iou);
        } catch (IOException e) {
            throw new JdissectException("cannot read " + file + " (written by every dissection since format 2; run it again): " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new JdissectException(file + ": " + e.getMessage(), e);
        }
    }

    public List<String> concepts() {
        return concepts;
    }

    /** The units (0-based) in order of IoU with {@code concept}, best first; ties to the lower unit. */
    public int[] ranking(String concept) {
        int c = concepts.indexOf(concept);
        if (c < 0) {
            throw JdissectException.usage("no concept '" + concept + "' in the dissection; its concepts are "
                    + concepts);
        }
        double[] v = iou[c];
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted(Comparator.comparingDouble((Integer u) -> -v[u]).thenComparingInt(u -> u))
                .mapToInt(Integer::intValue).toArray();
    }

    public double iou(String concept, int unit) {
        return iou[concepts.indexOf(concept)][unit];
    }

    public Map<String, Double> row(int unit) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < concepts.size(); c++) {
            m.put(concepts.get(c), iou[c][unit]);
        }
        return m;
    }
}
