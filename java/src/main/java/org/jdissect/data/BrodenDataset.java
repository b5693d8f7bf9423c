package org.jdissect.data;

import org.jdissect.JdissectException;
import org.jdissect.io.Csv;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    private final List<String> skippedReasons;
    private final String fingerprint;

    private BrodenDataset(Path dir, DatasetPaths paths, List<String> categories, List<Label> labels, int[] primary,
                          List<IndexRow> rows,
                          List<int[]> imageLevel, int skipped, List<String> skippedReasons, String fingerprint) {
        this.dir = dir;
        this.indexFile = dir.resolve("index.csv");
        this.paths = paths;
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
        this.skippedReasons = List.copyOf(skippedReasons);
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
        DatasetPaths paths = new DatasetPaths(dir);
        byte[] categoryBytes = paths.read("category.csv", "category.csv of the dataset");
        byte[] labelBytes = paths.read("label.csv", "label.csv of the dataset");
        byte[] indexBytes = paths.read("index.csv", "index.csv of the dataset");

        List<String> allCategories = BrodenFiles.readCategoryNames(categoryFile, categoryBytes);
        List<String> chosen = BrodenFiles.choose(dir, allCategories, categories);
        List<Label> labels = BrodenFiles.readLabels(labelFile, labelBytes);
        int numLabels = 1;
        for (Label l : labels) {
            numLabels = Math.max(numLabels, l.number() + 1);
        }
        boolean[] known = new boolean[numLabels];
        known[0] = true;
        for (Label l : labels) {
            known[l.number()] = true;
        }
        int[] primary = BrodenFiles.primaryCategories(dir, paths, chosen, numLabels);

        BrodenFiles.IndexReader reader = new BrodenFiles.IndexReader(indexFile, chosen, known, skipBad);
        reader.read(indexBytes);
        return new BrodenDataset(dir, paths, chosen, labels, primary, reader.rows, reader.imageLevel, reader.skipped,
                reader.skippedReasons,
                BrodenFiles.fingerprint(indexBytes, labelBytes, categoryBytes));
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

    /** Why each skipped row was skipped: "index.csv line N: the problem". */
    public List<String> skippedReasons() {
        return skippedReasons;
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
        return readImage(i, decoder, null, null, 0);
    }

    /**
     * As {@link #readImage(int, ImageDecoder)}, but a colour JPEG of {@code planes}' size is decoded straight into
     * {@code dst[offset ..]} ({@link ImageDecoder#decodePlanes}), and then null is returned; any other image is
     * returned as an image.
     */
    public BufferedImage readImage(int i, ImageDecoder decoder, ImageDecoder.Planes planes, float[] dst, int offset) {
        IndexRow row = rows[i];
        Path file = paths.resolve(row.image(), where(row));
        byte[] bytes = readBytes(file, row);
        BufferedImage image;
        try {
            ImageDecoder d = decoder != null ? decoder : new ImageDecoder();
            if (planes != null && d.decodePlanes(bytes, maxPixels(row), planes, dst, offset)) {
                return null;
            }
            image = d.decode(bytes, maxPixels(row));
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
        return labels(i, false, null);
    }

    /**
     * Reads and checks row {@code i}'s label maps as {@link #readLabels} does, throwing what it would throw, and
     * keeps nothing: the maps are decoded into this thread's reused array.
     */
    public void checkLabels(int i) {
        labels(i, true, null);
    }

    /**
     * What sees each label map {@link #checkLabels(int, MapVisitor)} checks, in {@link #readLabels}'s layer order, as
     * runs of equal labels: the check finds them anyway (one comparison per pixel), so a visitor keeping runs makes
     * no second pass over the pixels (0.26 s of a 1,000-image run's decoding threads under C1, JFR, 2-core VM,
     * 2026-11-28). A map whose check fails is cut short: the visitor's row is then to be dropped.
     */
    public interface MapVisitor {
        /** A map of {@code pixels} pixels begins; its runs follow, in pixel order, adding up to {@code pixels}. */
        void map(int pixels);

        /** The next {@code length} pixels (at least 1) have label {@code label}. */
        void run(int label, int length);
    }

    /**
     * As {@link #checkLabels(int)}, each map, once checked, shown to {@code visitor}: a caller keeps what it needs
     * of the maps this check decodes anyway, without an array per map.
     */
    public void checkLabels(int i, MapVisitor visitor) {
        labels(i, true, visitor);
    }

    /** Row {@code i}'s image-level label numbers (a copy), as {@link #readLabels} gives them. */
    public int[] imageLevel(int i) {
        return imageLevel[i].clone();
    }

    private static final ThreadLocal<int[][]> CHECKED = ThreadLocal.withInitial(() -> new int[1][]);

    private ImageLabels labels(int i, boolean checkOnly, MapVisitor visitor) {
        IndexRow row = rows[i];
        List<int[]> layers = new ArrayList<>();
        int[][] reuse = CHECKED.get();
        for (List<String> cell : row.cells()) {
            for (String value : cell) {
                if (isNumber(value)) {
                    continue;
                }
                Path file = paths.resolve(value, where(row));
                byte[] bytes = readBytes(file, row);
                LabelPng.Decoded map;
                try {
                    int[] size = LabelPng.size(bytes);
                    if (size[0] != row.sw() || size[1] != row.sh()) {
                        throw new JdissectException("label map " + file + " is " + size[1] + "x" + size[0]
                                + " (height x width), but " + where(row) + " says sh x sw = " + row.sh() + "x"
                                + row.sw());
                    }
                    map = LabelPng.decode(bytes, checkOnly ? reuse[0] : null);
                } catch (IOException e) {
                    throw new JdissectException("corrupt label map " + file + " (" + where(row) + "): " + e.getMessage(), e);
                }
                checkLabels(map, file, row, visitor);
                if (checkOnly) {
                    if (map.labels().length <= 1 << 22) {
                        reuse[0] = map.labels();
                    }
                } else {
                    layers.add(map.labels());
                }
            }
        }
        return checkOnly ? null : new ImageLabels(row.sh(), row.sw(), layers.toArray(int[][]::new), imageLevel[i].clone());
    }

    /** Checks each run of equal labels of {@code map}, shown to {@code visitor} (when not null) once checked. */
    private void checkLabels(LabelPng.Decoded map, Path file, IndexRow row, MapVisitor visitor) {
        int[] px = map.labels();
        int n = known.length;
        int pixels = map.width() * map.height(); // a reused array may be longer
        if (visitor != null) {
            visitor.map(pixels);
        }
        // a map is runs of equal labels: a pixel equal to the one before needs no look-up (0.17 s of a 1,000-image
        // run's decoding threads under C1, JFR, 2-core VM, 2026-11-28)
        for (int p = 0; p < pixels; ) {
            int v = px[p];
            int start = p;
            do {
                p++;
            } while (p < pixels && px[p] == v);
            if (v >= n || v < 0 || !known[v]) {
                throw new JdissectException("label map " + file + " (" + where(row) + ") has label number " + v
                        + " at pixel (x=" + (start % map.width()) + ", y=" + (start / map.width()) + "), which label.csv "
                        + (v >= n ? "does not reach (numbers go up to " + (n - 1) + ")" : "does not define"));
            }
            if (visitor != null) {
                visitor.run(v, p - start);
            }
        }
    }

    /**
     * The most pixels an image may have: 16 times what its row declares (ih x iw; a file a little off its declared
     * size still reads), at least a megapixel, and never more than {@link ImageDecoder#MAX_PIXELS}.
     */
    private static long maxPixels(IndexRow row) {
        return Math.min(ImageDecoder.MAX_PIXELS, Math.max(1L << 20, 16L * row.ih() * row.iw()));
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

}
