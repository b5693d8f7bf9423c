package org.jdissect.io;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jdissect.JdissectException;

/**
 * The one CSV dialect jdissect reads and writes (Broden's files, NetDissect-Lite's tally.csv, every result table):
 * comma-separated, double quotes around fields that need them (a doubled quote inside is one quote), LF or CRLF
 * line ends on reading, LF on writing. Read records remember the line they start on, so that every error about a row
 * can name its line as an editor shows it; written fields are quoted only where needed, as Python's csv module does,
 * so files compare with NetDissect-Lite's byte for byte.
 */
public final class Csv {
    private Csv() {
    }

    /** One record and the 1-based line of the file it starts on. */
    public record Row(int line, List<String> fields) {
    }

    /** The bytes of a file, or an error naming it (missing files are the commonest user mistake). */
    public static byte[] readFile(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JdissectException("missing " + what + ": " + file);
        } catch (IOException e) {
            throw new JdissectException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a whole file. Blank lines are skipped (a trailing newline is not a row). A quote left open at the end
     * of the file is an error naming the line where the field began.
     */
    public static List<Row> parse(byte[] bytes, Path file) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        boolean inQuotes = false;
        boolean rowHasContent = false;
        int n = text.length();
        for (int i = start; i < n; i++) {
            char c = text.charAt(i);
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    inQuotes = true;
                    quoteLine = line;
                    rowHasContent = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    rowHasContent = true;
                }
                case '\r' -> {
                    // part of CRLF; a lone CR is dropped as well
                }
                case '\n' -> {
                    if (rowHasContent || field.length() > 0) {
                        fields.add(field.toString());
                        rows.add(new Row(rowLine, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    rowHasContent = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    field.append(c);
                    rowHasContent = true;
                }
            }
        }
        if (inQuotes) {
            throw new JdissectException(file + " line " + quoteLine + ": quoted field is never closed");
        }
        if (rowHasContent || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }

    /** A field as written: quoted only when it holds a comma, a quote or a line break. */
    public static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** One CSV line, with its newline. */
    public static String format(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i)));
        }
        return sb.append('\n').toString();
    }

    /** Writes one CSV line. */
    public static void writeRow(Writer w, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(quote(fields.get(i)));
        }
        w.write('\n');
    }

    /**
     * A measure in six decimals ({@code 0.125000}), and an empty cell for no value (NaN): the result files of the
     * experiments (ablation, explanation, attack) write their rates and changes so.
     */
    public static String decimals(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.6f", v);
    }

    /**
     * A score as Python's repr would print it, so files compare with NetDissect-Lite's: plain from 1e-4 to 1e16, else
     * {@code 2.4e-05}, {@code 1e+16} (a signed exponent of at least two digits, no {@code .0} before it), where Java
     * writes {@code 2.4E-5} and {@code 1.0E16}.
     */
    public static String number(double v) {
        if (v == 0.0) {
            return "0.0"; // as below for either zero (most of an iou.csv)
        }
        String s = Double.toString(v);
        double abs = Math.abs(v);
        // From 1e-3 to 1e7 Java already writes plain digits without trailing zeros ("0.2361", "12.0", "100.0"):
        // the BigDecimal below would give the same string, at a few microseconds a number under C1 (the 1,000-image
        // case writes about 60,000 numbers)
        if (abs >= 1e-3 && abs < 1e7 && (s.charAt(s.length() - 1) != '0' || s.indexOf('.') == s.length() - 2)) {
            return s;
        }
        if (abs >= 1e-4 && abs < 1e16) {
            s = new BigDecimal(s).stripTrailingZeros().toPlainString(); // "1.0E-4" is 0.0001, not 0.00010
            return s.indexOf('.') < 0 ? s + ".0" : s;
        }
        int e = s.indexOf('E');
        if (e < 0) {
            return s; // NaN, Infinity: no score is either
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        int exponent = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
