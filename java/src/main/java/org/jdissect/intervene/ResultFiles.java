package org.jdissect.intervene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jdissect.JdissectException;

/** What the intervention files share: 1-based units, how a JSON file is known for ours (numbers: Csv.decimals). */
final class ResultFiles {
    private ResultFiles() {
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
