package org.jdissect.data;

import org.jdissect.JdissectException;
import org.jdissect.io.Csv;
import org.jdissect.io.Hashing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * A Broden dataset on disk (the layout of BRODEN.md), opened for dissection over a chosen set of categories.
 *
 * <p>Everything small (the CSV files) is read and checked when the dataset is opened, so that a malformed row is
 * reported before hours of inference rather than in the middle of them; images and label maps are read on demand.
 * An opened dataset is immutable and safe to share between threads.
 *
 * <p>Paths in index.csv are relative to {@code DIR/images} and may not leave the dataset directory.
 */
public final class BrodenDataset {
    /** Label maps hold R + 256 * G, so no label number in a map can reach this. */
    private static final int MAX_LABELS = 1 << 16;
    private static final List<String> INDEX_FIXED = List.of("image", "split", "ih", "iw", "sh", "sw");

    private final Path dir;
    private final Path indexFile;
    private final DatasetPaths paths;
    private final List<String> categories;
    private final List<Label> labels;
    private final String[] labelNames;
    private final boolean[] known;
    private final int[] primary;
    private final IndexRow[] rows;
    private final int[][] imageLevel;
    private final int skipped;
    private final String fingerprint;

    private BrodenDataset(Path dir, List<String> categories, List<Label> labels, int[] primary, List<IndexRow> rows,
                          List<int[]> imageLevel, int skipped, String fingerprint) {
        this.dir = dir;
        this.indexFile = dir.resolve("index.csv");
        this.paths = new DatasetPaths(dir);
        this.categories = List.copyOf(categories);
        this.labels = List.copyOf(labels);
        this.primary = primary;
        this.labelNames = new String[primary.length];
        this.known = new boolean[primary.length];
        Arrays.fill(labelNames, "");
        labelNames[0] = "-";
        known[0] = true;
        for (Label l : labels) {
            labelNames[l.number()] = l.name();
            known[l.number()] = true;
        }
        this.rows = rows.toArray(IndexRow[]::new);
        this.imageLevel = imageLevel.toArray(int[][]::new);
        this.skipped = skipped;
        this.fingerprint = fingerprint;
    }

    /**
     * Opens a dataset: reads category.csv, label.csv, the chosen categories' c_&lt;cat&gt;.csv and index.csv.
     *
     * @param dir        the dataset folder
     * @param categories the categories to dissect with, in the order results should list them; null or empty for
     *                   all categories of category.csv in that file's order
     * @param skipBad    skip (and count, see {@link #skipped()}) malformed rows of index.csv instead of failing:
     *                   real downloads sometimes carry a few broken rows, and losing them is better than losing a run
     * @throws JdissectException for a missing file, a malformed row (naming file and line) or an unknown category
     *                           (a usage error listing the valid ones)
     */
    public static BrodenDataset open(Path dir, List<String> categories, boolean skipBad) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new JdissectException("dataset directory not found: " + dir);
        }
        Path categoryFile = dir.resolve("category.csv");
        Path labelFile = dir.resolve("label.csv");
        Path indexFile = dir.resolve("index.csv");
        byte[] categoryBytes = Csv.readFile(categoryFile, "category.csv of the dataset");
        byte[] labelBytes = Csv.readFile(labelFile, "label.csv of the dataset");
        byte[] indexBytes = Csv.readFile(indexFile, "index.csv of the dataset");

        List<String> allCategories = readCategoryNames(categoryFile, categoryBytes);
        List<String> chosen = choose(dir, allCategories, categories);
        List<Label> labels = readLabels(labelFile, labelBytes);
        int numLabels = 1;
        for (Label l : labels) {
            numLabels = Math.max(numLabels, l.number() + 1);
        }
        boolean[] known = new boolean[numLabels];
        known[0] = true;
        for (Label l : labels) {
            known[l.number()] = true;
        }
        int[] primary = primaryCategories(dir, chosen, numLabels);

        IndexReader reader = new IndexReader(indexFile, chosen, known, skipBad);
        reader.read(indexBytes);
        return new BrodenDataset(dir, chosen, labels, primary, reader.rows, reader.imageLevel, reader.skipped,
                fingerprint(indexBytes, labelBytes, categoryBytes));
    }

    /** The dataset folder, as given to {@link #open}. */
    public Path directory() {
        return dir;
    }

    /** The chosen categories, in order; a category's position here is its category index everywhere else. */
    public List<String> categories() {
        return categories;
    }

    /** The largest label number + 1, so arrays indexed by label number fit (label 0 is "-", unlabelled). */
    public int numLabels() {
        return primary.length;
    }

    /**
     * The name of label {@code number}: "-" for 0, "" for a number label.csv skips (such a number is rejected
     * wherever it occurs in the data, so it is never counted).
     */
    public String labelName(int number) {
        return labelNames[number];
    }

    /**
     * Per label number, the index into {@link #categories()} of the chosen category where the label's coverage
     * (from c_&lt;cat&gt;.csv) is largest, ties going to the later category as in NetDissect-Lite; -1 for label 0
     * and for labels in none of the chosen categories. IoU divides by the activation count of this category.
     */
    public int[] primaryCategory() {
        return primary.clone();
    }

    /** All rows of label.csv, in file order. */
    public List<Label> labels() {
        return labels;
    }

    /** Number of rows of index.csv that were read (skipped rows excluded); rows are numbered 0..size()-1. */
    public int size() {
        return rows.length;
    }

    /** Row {@code i} of index.csv (after skipping bad rows), with the chosen categories' cells. */
    public IndexRow row(int i) {
        return rows[i];
    }

    /**
     * Whether row {@code i} has a non-empty cell in some chosen category: NetDissect-Lite tallies only such images
     * (thresholds included), so callers filter with this.
     */
    public boolean hasLabels(int i) {
        for (List<String> cell : rows[i].cells()) {
            if (!cell.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Rows of index.csv skipped as malformed because {@code skipBad} was set. */
    public int skipped() {
        return skipped;
    }

    /** A short, stable hash of index.csv, label.csv and category.csv, so a report can say which data it saw. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The image file of row {@code i}, resolved and checked not to leave the dataset. */
    public Path imagePath(int i) {
        return paths.resolve(rows[i].image(), where(rows[i]));
    }

    /**
     * Decodes the image of row {@code i} at whatever size the file has (preprocessing resizes).
     *
     * @throws JdissectException when the file is missing, corrupt or outside the dataset, naming the file and the
     *                           index.csv line
     */
    public BufferedImage readImage(int i) {
        return readImage(i, null);
    }

    /**
     * Reads row {@code i}'s image with {@code decoder} (one per thread; the image is then valid until its next
     * call), or with {@code ImageIO.read} where it is null.
     *
     * @throws JdissectException when the image is missing or corrupt, naming the file and the index.csv line
     */
    public BufferedImage readImage(int i, ImageDecoder decoder) {
        IndexRow row = rows[i];
        Path file = paths.resolve(row.image(), where(row));
        byte[] bytes = readBytes(file, row);
        BufferedImage image;
        try {
            image = decoder != null ? decoder.decode(bytes) : ImageDecoder.decodeOnce(bytes);
        } catch (IOException | RuntimeException e) {
            throw new JdissectException("corrupt image " + file + " (" + where(row) + "): " + e.getMessage(), e);
        }
        if (image == null) {
            throw new JdissectException("corrupt image " + file + " (" + where(row) + "): not a readable PNG or JPEG");
        }
        return image;
    }

    /**
     * The labels of row {@code i} over the chosen categories: every label map of every pixel category (chosen
     * category order, then cell order) as one layer, and the numbers of the image-level cells.
     *
     * @throws JdissectException when a label map is missing, corrupt, not sh x sw, or holds a label number that
     *                           label.csv does not define, naming the file and the index.csv line
     */
    public ImageLabels readLabels(int i) {
        IndexRow row = rows[i];
        List<int[]> layers = new ArrayList<>();
        for (List<String> cell : row.cells()) {
            for (String value : cell) {
                if (isNumber(value)) {
                    continue;
                }
                Path file = paths.resolve(value, where(row));
                byte[] bytes = readBytes(file, row);
                LabelPng.Decoded map;
                try {
                    map = LabelPng.decode(bytes);
                } catch (IOException e) {
                    throw new JdissectException("corrupt label map " + file + " (" + where(row) + "): " + e.getMessage(), e);
                }
                if (map.width() != row.sw() || map.height() != row.sh()) {
                    throw new JdissectException("label map " + file + " is " + map.height() + "x" + map.width()
                            + " (height x width), but " + where(row) + " says sh x sw = " + row.sh() + "x" + row.sw());
                }
                checkLabels(map, file, row);
                layers.add(map.labels());
            }
        }
        return new ImageLabels(row.sh(), row.sw(), layers.toArray(int[][]::new), imageLevel[i].clone());
    }

    private void checkLabels(LabelPng.Decoded map, Path file, IndexRow row) {
        int[] px = map.labels();
        int n = known.length;
        for (int p = 0; p < px.length; p++) {
            int v = px[p];
            if (v >= n || !known[v]) {
                throw new JdissectException("label map " + file + " (" + where(row) + ") has label number " + v
                        + " at pixel (x=" + (p % map.width()) + ", y=" + (p / map.width()) + "), which label.csv "
                        + (v >= n ? "does not reach (numbers go up to " + (n - 1) + ")" : "does not define"));
            }
        }
    }

    private String where(IndexRow row) {
        return indexFile + " line " + row.line();
    }

    private byte[] readBytes(Path file, IndexRow row) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JdissectException("cannot read " + file + " (" + where(row) + "): " + e.getMessage(), e);
        }
    }

    static boolean isNumber(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // ---- opening -------------------------------------------------------------------------------------------

    private static Map<String, Integer> header(Csv.Row head, Path file, List<String> required) {
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

    private static String field(Csv.Row row, Map<String, Integer> columns, String name) {
        Integer k = columns.get(name);
        return k == null || k >= row.fields().size() ? "" : row.fields().get(k).trim();
    }

    private static List<String> readCategoryNames(Path file, byte[] bytes) {
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

    private static List<String> choose(Path dir, List<String> all, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return all;
        }
        Set<String> seen = new HashSet<>();
        for (String c : requested) {
            if (!all.contains(c)) {
                throw JdissectException.usage("unknown category '" + c + "' for dataset " + dir
                        + "; valid categories: " + String.join(", ", all));
            }
            if (!seen.add(c)) {
                throw JdissectException.usage("category '" + c + "' requested twice");
            }
        }
        return List.copyOf(requested);
    }

    private static List<Label> readLabels(Path file, byte[] bytes) {
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

    private static int[] primaryCategories(Path dir, List<String> chosen, int numLabels) {
        int[] primary = new int[numLabels];
        double[] best = new double[numLabels];
        Arrays.fill(primary, -1);
        for (int ci = 0; ci < chosen.size(); ci++) {
            String cat = chosen.get(ci);
            Path file = dir.resolve("c_" + cat + ".csv");
            byte[] bytes = Csv.readFile(file, "c_" + cat + ".csv of the dataset (per-category label codes and "
                    + "coverage, needed to find each label's primary category)");
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

    private static int parseInt(String s, String where, String what) {
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

    private static double parseDouble(String s, String where, String what) {
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

    private static String fingerprint(byte[]... files) {
        return Hashing.sha256Of(files).substring(0, 16);
    }

    /** Reads index.csv: one pass, validating every row, collecting rows and image-level labels. */
    private static final class IndexReader {
        final Path file;
        final List<String> chosen;
        final boolean[] known;
        final boolean skipBad;
        final List<IndexRow> rows = new ArrayList<>();
        final List<int[]> imageLevel = new ArrayList<>();
        int skipped;

        IndexReader(Path file, List<String> chosen, boolean[] known, boolean skipBad) {
            this.file = file;
            this.chosen = chosen;
            this.known = known;
            this.skipBad = skipBad;
        }

        /** A problem with one row; becomes a JdissectException unless bad rows are skipped. */
        private static final class BadRow extends Exception {
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
                                + " (option to skip malformed rows: skipBad)");
                    }
                    skipped++;
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
                    if (isNumber(v)) {
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
            rows.add(new IndexRow(row.line(), image, f.get(1).trim(), sizes[0], sizes[1], sizes[2], sizes[3], cells));
            imageLevel.add(levels.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
