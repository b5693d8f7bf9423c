package org.jdissect.data;

import org.jdissect.JdissectException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV dialect of Broden's files: comma-separated, double quotes around fields that need them (a doubled quote
 * inside is one quote), LF or CRLF line ends. Records remember the line they start on, so that every error about
 * a row can name its line as an editor shows it.
 */
final class Csv {
    private Csv() {
    }

    /** One record and the 1-based line of the file it starts on. */
    record Row(int line, List<String> fields) {
    }

    /** The bytes of a file, or an error naming it (missing files are the commonest user mistake). */
    static byte[] readFile(Path file, String what) {
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
    static List<Row> parse(byte[] bytes, Path file) {
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

    /** One CSV line (with its newline), quoting only the fields that need it, as Python's csv module does. */
    static String format(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.append('\n').toString();
    }
}
