package org.jdissect.dissect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.io.Csv;

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

    /** Reads an iou.csv; a missing or malformed file is an error naming it (and the line). */
    public static IouTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new JdissectException("missing " + file + " (every dissection writes it; is this a dissection's "
                    + "layer folder?)");
        }
        List<Csv.Row> rows = Csv.parse(Csv.readFile(file, "iou.csv"), file);
        if (rows.isEmpty()) {
            throw new JdissectException(file + " is empty");
        }
        List<String> header = rows.get(0).fields();
        List<String> concepts = List.copyOf(header.subList(1, header.size()));
        double[][] iou = new double[concepts.size()][rows.size() - 1];
        for (int r = 1; r < rows.size(); r++) {
            Csv.Row row = rows.get(r);
            if (row.fields().size() != header.size()) {
                throw new JdissectException(file + " line " + row.line() + ": " + row.fields().size()
                        + " fields, expected " + header.size());
            }
            for (int c = 0; c < concepts.size(); c++) {
                try {
                    iou[c][r - 1] = Double.parseDouble(row.fields().get(c + 1));
                } catch (NumberFormatException e) {
                    throw new JdissectException(file + " line " + row.line() + ": '" + row.fields().get(c + 1)
                            + "' is not a number");
                }
            }
        }
        return new IouTable(concepts, iou);
    }

    public List<String> concepts() {
        return concepts;
    }

    /** The units (0-based) in order of IoU with {@code concept}, best first; ties to the lower unit. */
    public int[] ranking(String concept) {
        int c = concepts.indexOf(concept);
        if (c < 0) {
            throw new JdissectException("no concept '" + concept + "' in the dissection; its concepts are "
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

    /** A concept and a unit's IoU with it. */
    public record Score(String concept, double iou) {
    }

    /**
     * The {@code n} concepts of highest IoU with {@code unit} (0-based) that are above 0, best first (ties: the
     * concept first in the file), leaving out {@code except} (a unit's own label, say; null for none).
     */
    public List<Score> top(int unit, int n, String except) {
        List<Score> best = new java.util.ArrayList<>(n + 1);
        for (int c = 0; c < concepts.size(); c++) {
            double v = iou[c][unit];
            if (!(v > 0) || concepts.get(c).equals(except)
                    || best.size() == n && v <= best.get(n - 1).iou()) {
                continue;
            }
            int at = best.size();
            while (at > 0 && best.get(at - 1).iou() < v) {
                at--;
            }
            best.add(at, new Score(concepts.get(c), v));
            if (best.size() > n) {
                best.remove(n);
            }
        }
        return best;
    }

    /** How many units the table has. */
    public int units() {
        return iou.length == 0 ? 0 : iou[0].length;
    }

    public Map<String, Double> row(int unit) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < concepts.size(); c++) {
            m.put(concepts.get(c), iou[c][unit]);
        }
        return m;
    }
}
