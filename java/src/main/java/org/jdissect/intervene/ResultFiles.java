package org.jdissect.intervene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jdissect.JdissectException;

/** What the intervention files share: numbers in CSV cells, 1-based units, how a JSON file is known for ours. */
final class ResultFiles {
    private ResultFiles() {
    }

    /** Six decimals, an empty cell for no value. */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** 0-based units as the files number them, from 1 as in tally.csv. */
    static List<Integer> oneBased(int[] units) {
        List<Integer> l = new ArrayList<>(units.length);
        for (int u : units) {
            l.add(u + 1);
        }
        return l;
    }

    /** Refuses a file that is not jdissect's {@code expected} file, naming it. */
    static void check(Path file, String tool, String kind, String expected, Object settings) {
        if (!"jdissect".equals(tool) || !expected.equals(kind) || settings == null) {
            throw new JdissectException(file + " is not a jdissect " + expected + " file (tool " + tool + ", kind "
                    + kind + ")");
        }
    }
}
