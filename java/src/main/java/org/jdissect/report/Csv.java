package org.jdissect.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 output: a field with a comma, quote or line break is quoted, quotes doubled. */
public final class Csv {
    private Csv() {
    }

    public static void writeRow(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(quote(fields.get(i)));
        }
        w.write('\n');
    }

    public static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** A score as Python's repr would print it, so files compare with NetDissect-Lite's. */
    public static String number(double v) {
        String s = Double.toString(v);
        double abs = Math.abs(v);
        if (abs == 0.0 || (abs >= 1e-4 && abs < 1e16)) {
            s = new java.math.BigDecimal(s).toPlainString();
            return s.indexOf('.') < 0 ? s + ".0" : s;
        }
        return s;
    }
}
