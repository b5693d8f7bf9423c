package org.jdissect.data;

import org.jdissect.JdissectException;
import org.jdissect.io.Csv;
import org.jdissect.io.Hashing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reading and checking Broden's CSV files (category.csv, label.csv, c_&lt;cat&gt;.csv, index.csv): every malformed row
 * is an error naming its file and line, or under --skip-bad a skipped row. {@link BrodenDataset#open} uses it.
 */
final class BrodenFiles {
    /** Label maps hold R + 256 * G, so no label number in a map can reach this. */
    static final int MAX_LABELS = 1 << 16;
    private static final List<String> INDEX_FIXED = List.of("image", "split", "ih", "iw", "sh", "sw");

    private BrodenFiles() {
    }

    static Map<String, Integer> header(Csv.Row head, Path file, List<String> required) {
        Map<String, Integer> columns = new HashMap<>();
        for (int k = 0; k < head.fields().size(); k++) {
            columns.putIfAbsent(head.fields().get(k).trim(), k);
        }
        for (String r : required) {
            if (!columns.containsKey(r)) {
                throw new JdissectException(file + " line " + head.line() + ": header lacks column '" + r
                        + "' (expected " + String.join(",", required) + ", found " + String.join(",", head.fields()) + ")");
            }
        }
        return columns;
    }

    static String field(Csv.Row row, Map<String, Integer> columns, String name) {
        Integer k = columns.get(name);
        return k == null || k >= row.fields().size() ? "" : row.fields().get(k).trim();
    }

    static List<String> readCategoryNames(Path file, byte[] bytes) {
        List<Csv.Row> rows = Csv.parse(bytes, file);
        if (rows.isEmpty()) {
            throw new JdissectException(file + " is empty (expected header name,first,last,count,frequency)");
        }
        Map<String, Integer> columns = header(rows.get(0), file, List.of("name"));
        List<String> names = new ArrayList<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            String name = field(row, columns, "name");
            if (name.isEmpty()) {
                throw new JdissectException(file + " line " + row.line() + ": empty category name");
            }
            if (names.contains(name)) {
                throw new JdissectException(file + " line " + row.line() + ": category '" + name + "' listed twice");
            }
            names.add(name);
        }
        return names;
    }

    static List<String> choose(Path dir, List<String> all, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return all;
        }
        Set<String> seen = new HashSet<>();
        for (String c : requested) {
            if (!all.contains(c)) {
                throw new JdissectException("unknown category '" + c + "' for dataset " + dir
                        + "; valid categories: " + String.join(", ", all));
            }
            if (!seen.add(c)) {
                throw new JdissectException("category '" + c + "' requested twice");
            }
        }
        return List.copyOf(requested);
    }

    static List<Label> readLabels(Path file, byte[] bytes) {
        List<Csv.Row> rows = Csv.parse(bytes, file);
        if (rows.isEmpty()) {
            throw new JdissectException(file + " is empty (expected header number,name,category,frequency,coverage,syns)");
        }
        Map<String, Integer> columns = header(rows.get(0), file, List.of("number", "name"));
        List<Label> labels = new ArrayList<>();
        Set<Integer> numbers = new HashSet<>();
        for (Csv.Row row : rows.subList(1, rows.size())) {
            String where = file + " line " + row.line();
            int number = parseInt(field(row, columns, "number"), where, "label number");
            if (number < 0 || number >= MAX_LABELS) {
                throw new JdissectException(where + ": label number " + number + " outside 0.." + (MAX_LABELS - 1)
                        + " (label maps store R + 256 * G)");
            }
            if (!numbers.add(number)) {
                throw new JdissectException(where + ": label number " + number + " listed twice");
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            String cats = field(row, columns, "category");
            if (!cats.isEmpty() && !cats.equals("-")) {
                for (String part : cats.split(";")) {
                    part = part.trim();
                    if (part.isEmpty()) {
                        continue;
                    }
                    int open = part.indexOf('(');
                    if (open <= 0 || !part.endsWith(")")) {
                        throw new JdissectException(where + ": category field '" + cats
                                + "' is not of the form name(count);name(count)");
                    }
                    counts.put(part.substring(0, open), parseInt(part.substring(open + 1, part.length() - 1), where,
                            "category count"));
                }
            }
            String freq = field(row, columns, "frequency");
            String cov = field(row, columns, "coverage");
            String syns = field(row, columns, "syns");
            List<String> synList = new ArrayList<>();
            for (String s : syns.split(";")) {
                if (!s.isEmpty()) {
                    synList.add(s);
                }
            }
            labels.add(new Label(number, field(row, columns, "name"), counts,
                    freq.isEmpty() ? 0 : parseInt(freq, where, "frequency"),
                    cov.isEmpty() ? 0.0 : parseDouble(cov, where, "coverage"), synList));
        }
        return labels;
    }

    static int[] primaryCategories(Path dir, DatasetPaths paths, List<String> chosen, int numLabels) {
        int[] primary = new int[numLabels];
        double[] best = new double[numLabels];
        Arrays.fill(primary, -1);
        for (int ci = 0; ci < chosen.size(); ci++) {
            String cat = chosen.get(ci);
            Path file = dir.resolve("c_" + cat + ".csv");
            byte[] bytes = paths.read("c_" + cat + ".csv", "c_" + cat + ".csv of the dataset (per-category label "
                    + "codes and coverage, needed to find each label's primary category)");
            List<Csv.Row> rows = Csv.parse(bytes, file);
            if (rows.isEmpty()) {
                throw new JdissectException(file + " is empty (expected header code,number,name,frequency,coverage)");
            }
            Map<String, Integer> columns = header(rows.get(0), file, List.of("number", "coverage"));
            for (Csv.Row row : rows.subList(1, rows.size())) {
                String where = file + " line " + row.line();
                int number = parseInt(field(row, columns, "number"), where, "label number");
                if (number == 0) {
                    continue;
                }
                if (number < 0 || number >= numLabels) {
                    throw new JdissectException(where + ": label number " + number + " is not in label.csv (numbers go up to "
                            + (numLabels - 1) + ")");
                }
                double coverage = parseDouble(field(row, columns, "coverage"), where, "coverage");
                if (primary[number] < 0 || coverage >= best[number]) {
                    primary[number] = ci;
                    best[number] = coverage;
                }
            }
        }
        return primary;
    }

    static int parseInt(String s, String where, String what) {
        String t = s.trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            // "289.0" is an integer that went through a float somewhere (pandas does that); accept it
            try {
                double d = Double.parseDouble(t);
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new JdissectException(where + ": " + what + " '" + s + "' is not an integer");
        }
    }

    static double parseDouble(String s, String where, String what) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new JdissectException(where + ": " + what + " '" + s + "' is not a number");
        }
    }

    static String fingerprint(byte[]... files) {
        return Hashing.sha256Of(files).substring(0, 16);
    }

    /** Reads index.csv: one pass, validating every row, collecting rows and image-level labels. */
    static final class IndexReader {
        final Path file;
        final List<String> chosen;
        final boolean[] known;
        final boolean skipBad;
        final List<IndexRow> rows = new ArrayList<>();
        final List<int[]> imageLevel = new ArrayList<>();
        int skipped;
        /** Why each skipped row was skipped: its file and line, and the problem. */
        final List<String> skippedReasons = new ArrayList<>();
        private final Map<String, Integer> imageLines = new HashMap<>();

        IndexReader(Path file, List<String> chosen, boolean[] known, boolean skipBad) {
            this.file = file;
            this.chosen = chosen;
            this.known = known;
            this.skipBad = skipBad;
        }

        /** A problem with one row; becomes a JdissectException unless bad rows are skipped. */
        static final class BadRow extends Exception {
            BadRow(String message) {
                super(message, null, false, false);
            }
        }

        void read(byte[] bytes) {
            List<Csv.Row> all = Csv.parse(bytes, file);
            if (all.isEmpty()) {
                throw new JdissectException(file + " is empty (expected header image,split,ih,iw,sh,sw,<categories>)");
            }
            Csv.Row head = all.get(0);
            List<String> names = head.fields().stream().map(String::trim).toList();
            if (names.size() < INDEX_FIXED.size() || !names.subList(0, INDEX_FIXED.size()).equals(INDEX_FIXED)) {
                throw new JdissectException(file + " line " + head.line() + ": header must start with "
                        + String.join(",", INDEX_FIXED) + ", found " + String.join(",", names));
            }
            int[] columnOf = new int[chosen.size()];
            for (int c = 0; c < chosen.size(); c++) {
                columnOf[c] = names.indexOf(chosen.get(c));
                if (columnOf[c] < INDEX_FIXED.size()) {
                    throw new JdissectException(file + " line " + head.line() + ": no column for category '"
                            + chosen.get(c) + "'; its categories are "
                            + String.join(", ", names.subList(INDEX_FIXED.size(), names.size())));
                }
            }
            for (Csv.Row row : all.subList(1, all.size())) {
                try {
                    parseRow(row, names.size(), columnOf);
                } catch (BadRow e) {
                    if (!skipBad) {
                        throw new JdissectException(file + " line " + row.line() + ": " + e.getMessage()
                                + " (--skip-bad skips malformed rows and says which)");
                    }
                    skipped++;
                    skippedReasons.add(file + " line " + row.line() + ": " + e.getMessage());
                }
            }
        }

        private void parseRow(Csv.Row row, int width, int[] columnOf) throws BadRow {
            List<String> f = row.fields();
            if (f.size() != width) {
                throw new BadRow("row has " + f.size() + " columns, the header has " + width);
            }
            String image = f.get(0).trim();
            String problem = DatasetPaths.lexicalProblem(image);
            if (problem != null) {
                throw new BadRow("image: " + problem + ": '" + image + "'");
            }
            Integer earlier = imageLines.get(image);
            if (earlier != null) {
                // counted twice, an image would weigh twice in every unit's threshold and tally
                throw new BadRow("image '" + image + "' is listed again (first on line " + earlier + ")");
            }
            int[] sizes = new int[4];
            for (int k = 0; k < 4; k++) {
                String s = f.get(2 + k).trim();
                try {
                    sizes[k] = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new BadRow(INDEX_FIXED.get(2 + k) + " '" + s + "' is not an integer");
                }
                if (sizes[k] <= 0) {
                    throw new BadRow(INDEX_FIXED.get(2 + k) + " " + sizes[k] + " is not positive");
                }
            }
            List<List<String>> cells = new ArrayList<>(columnOf.length);
            List<Integer> levels = new ArrayList<>();
            for (int c = 0; c < columnOf.length; c++) {
                List<String> values = new ArrayList<>();
                for (String v : f.get(columnOf[c]).split(";")) {
                    v = v.trim();
                    if (v.isEmpty()) {
                        continue;
                    }
                    if (BrodenDataset.isNumber(v)) {
                        int number;
                        try {
                            number = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            number = Integer.MAX_VALUE;
                        }
                        if (number >= known.length || !known[number]) {
                            throw new BadRow(chosen.get(c) + ": label number " + v
                                    + (number >= known.length ? " is out of range (label.csv goes up to " + (known.length - 1) + ")"
                                    : " is not defined in label.csv"));
                        }
                        if (number != 0) {
                            levels.add(number);
                        }
                    } else if (v.toLowerCase(Locale.ROOT).endsWith(".png")) {
                        String bad = DatasetPaths.lexicalProblem(v);
                        if (bad != null) {
                            throw new BadRow(chosen.get(c) + ": " + bad + ": '" + v + "'");
                        }
                    } else {
                        throw new BadRow(chosen.get(c) + ": value '" + v
                                + "' is neither a label number (image-level category) nor a .png label map");
                    }
                    values.add(v);
                }
                cells.add(values);
            }
            imageLines.put(image, row.line());
            rows.add(new IndexRow(row.line(), image, f.get(1).trim(), sizes[0], sizes[1], sizes[2], sizes[3], cells));
            imageLevel.add(levels.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
