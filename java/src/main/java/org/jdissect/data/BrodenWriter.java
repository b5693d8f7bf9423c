package org.jdissect.data;

import org.jdissect.JdissectException;
import org.jdissect.io.Csv;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes a dataset in Broden layout (category.csv, label.csv, c_&lt;cat&gt;.csv, index.csv, images/), so that a
 * generated dataset (SceneWorld) is read by the same code, and by NetDissect-Lite, as a downloaded one.
 *
 * <p>Usage: {@link #create}, declare every label with {@link #label}, {@link #addImage} per image, then
 * {@link #finish}. The statistics of label.csv, category.csv and c_&lt;cat&gt;.csv (frequency = number of images
 * containing a label, coverage = its pixel area in units of whole images, an image-level label covering its
 * whole image) are computed from the images added, so they cannot disagree with the data.
 *
 * <p>Everything is written into a hidden temporary folder next to the target and renamed into place by
 * {@link #finish}, so an interrupted run never leaves a half-written dataset. {@link #close} without
 * {@code finish} discards it. Methods are synchronized: rows keep the order of the calls.
 */
public final class BrodenWriter implements Closeable {
    /** Format of the images (label maps are always PNG). */
    public enum ImageFormat {
        JPEG("jpg"), PNG("png");

        private final String extension;

        ImageFormat(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    private static final int MAX_LABEL = 0xffff;

    private final Path dir;
    private final Path temp;
    private final List<String> categories;
    private final ImageFormat format;
    private float jpegQuality = 0.95f;
    private boolean replaceExisting;
    private final TreeMap<Integer, String[]> declared = new TreeMap<>(); // number -> name, syns...
    private final List<String> indexLines = new ArrayList<>();
    private final Set<String> stems = new HashSet<>();
    /** Per category: label number -> {images containing it, pixel area in whole images}. */
    private final List<TreeMap<Integer, double[]>> categoryStats = new ArrayList<>();
    private final int[] categoryImages;
    /** Per label number: images containing it in any category. */
    private final Map<Integer, Integer> labelImages = new HashMap<>();
    private final int[] scratch = new int[MAX_LABEL + 1];
    private boolean done;

    private BrodenWriter(Path dir, Path temp, List<String> categories, ImageFormat format) {
        this.dir = dir;
        this.temp = temp;
        this.categories = List.copyOf(categories);
        this.format = format;
        for (int c = 0; c < categories.size(); c++) {
            categoryStats.add(new TreeMap<>());
        }
        this.categoryImages = new int[categories.size()];
    }

    /**
     * Starts a dataset that {@link #finish} will place at {@code dir}.
     *
     * @param categories category names in column order (e.g. color, object, part, material, scene, texture)
     * @param format     image file format
     */
    public static BrodenWriter create(Path dir, List<String> categories, ImageFormat format) {
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a dataset needs at least one category");
        }
        Set<String> seen = new HashSet<>();
        for (String c : categories) {
            if (c.isEmpty() || c.contains(",") || c.contains("/") || c.contains("\\") || c.contains("\"")
                    || c.contains(";") || c.contains("(") || c.contains(")") || !seen.add(c)
                    || List.of("image", "split", "ih", "iw", "sh", "sw").contains(c)) {
                throw new IllegalArgumentException("bad or repeated category name '" + c + "'");
            }
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path temp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp.resolve("images"));
        } catch (IOException e) {
            throw JdissectException.failure("cannot create " + temp + ": " + e.getMessage(), e);
        }
        return new BrodenWriter(abs, temp, categories, format);
    }

    /** JPEG quality 0..1 (default 0.95: label maps are exact, images should not add visible artefacts). */
    public synchronized BrodenWriter jpegQuality(float quality) {
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("JPEG quality " + quality + " outside 0..1");
        }
        this.jpegQuality = quality;
        return this;
    }

    /** Whether {@link #finish} may replace an existing non-empty {@code dir} (default: refuse, to protect data). */
    public synchronized BrodenWriter replaceExisting(boolean replace) {
        this.replaceExisting = replace;
        return this;
    }

    /** Declares label {@code number} (1..65535, it is stored as R + 256 * G) with its name and synonyms. */
    public synchronized BrodenWriter label(int number, String name, List<String> syns) {
        if (number < 1 || number > MAX_LABEL) {
            throw new IllegalArgumentException("label number " + number + " outside 1.." + MAX_LABEL);
        }
        if (name.isEmpty() || declared.containsKey(number)) {
            throw new IllegalArgumentException("label " + number + " has an empty name or is declared twice");
        }
        for (String s : syns) {
            if (s.isEmpty() || s.contains(";")) {
                throw new IllegalArgumentException("synonym '" + s + "' of label " + number + " is empty or contains ';'");
            }
        }
        String[] entry = new String[syns.size() + 1];
        entry[0] = name;
        for (int k = 0; k < syns.size(); k++) {
            entry[k + 1] = syns.get(k);
        }
        declared.put(number, entry);
        return this;
    }

    /** {@link #label(int, String, List)} without synonyms. */
    public BrodenWriter label(int number, String name) {
        return label(number, name, List.of());
    }

    /**
     * Adds one image and its labels as the next row of index.csv.
     *
     * @param stem        path under images/ without extension, e.g. {@code sceneworld/000017}; the image becomes
     *                    {@code stem.jpg} (or .png), label maps {@code stem_<cat>.png}, or {@code stem_<cat>_<k>.png}
     *                    (k from 1) when a category has several layers
     * @param split       e.g. train or val
     * @param image       the image, any size
     * @param sh          label-map height
     * @param sw          label-map width
     * @param pixelLayers per pixel category, its layers, each {@code sh * sw} label numbers row-major (0 = none);
     *                    absent categories get an empty cell
     * @param imageLevel  per image-level category, the label numbers the whole image carries
     * @return the row's image path relative to images/
     */
    public synchronized String addImage(String stem, String split, BufferedImage image, int sh, int sw,
                                        Map<String, List<int[]>> pixelLayers, Map<String, int[]> imageLevel) {
        return add(prepare(stem, split, image, sh, sw, pixelLayers, imageLevel));
    }

    /** An image and its label maps validated and encoded, ready for {@link #add}. */
    public static final class Prepared {
        private final String stem;
        private final String split;
        private final int ih;
        private final int iw;
        private final int sh;
        private final int sw;
        private final byte[] image;
        private final Map<String, List<int[]>> pixelLayers;
        private final Map<String, int[]> imageLevel;
        private final Map<String, List<byte[]>> pngs;

        private Prepared(String stem, String split, int ih, int iw, int sh, int sw, byte[] image,
                         Map<String, List<int[]>> pixelLayers, Map<String, int[]> imageLevel,
                         Map<String, List<byte[]>> pngs) {
            this.stem = stem;
            this.split = split;
            this.ih = ih;
            this.iw = iw;
            this.sh = sh;
            this.sw = sw;
            this.image = image;
            this.pixelLayers = pixelLayers;
            this.imageLevel = imageLevel;
            this.pngs = pngs;
        }
    }

    /**
     * Validates and encodes one image and its label maps without touching the dataset, so that several threads can
     * encode while {@link #add} keeps the rows in order. Declare every label before preparing concurrently.
     * Arguments as for {@link #addImage}.
     */
    public Prepared prepare(String stem, String split, BufferedImage image, int sh, int sw,
                            Map<String, List<int[]>> pixelLayers, Map<String, int[]> imageLevel) {
        String problem = DatasetPaths.lexicalProblem(stem);
        if (problem != null || stem.contains(",") || stem.contains(";") || stem.contains("\"")) {
            throw new IllegalArgumentException("bad image stem '" + stem + "'" + (problem == null ? "" : ": " + problem));
        }
        if (sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException("label-map size " + sh + "x" + sw);
        }
        for (String c : pixelLayers.keySet()) {
            requireCategory(c);
            if (imageLevel.containsKey(c) && imageLevel.get(c).length > 0 && !pixelLayers.get(c).isEmpty()) {
                throw new IllegalArgumentException("category " + c + " given both pixel layers and image-level labels");
            }
        }
        for (String c : imageLevel.keySet()) {
            requireCategory(c);
        }
        Map<Integer, String[]> labels;
        synchronized (this) {
            labels = new HashMap<>(declared);
        }
        // validate everything before writing anything, so a bad call leaves no trace
        for (List<int[]> layers : pixelLayers.values()) {
            for (int[] layer : layers) {
                if (layer.length != sh * sw) {
                    throw new IllegalArgumentException("label layer of " + layer.length + " pixels, expected " + sh + "x" + sw);
                }
                for (int v : layer) {
                    if (v != 0 && (v < 0 || v > MAX_LABEL || !labels.containsKey(v))) {
                        throw new IllegalArgumentException("label number " + v + " used in " + stem + " but not declared");
                    }
                }
            }
        }
        for (int[] numbers : imageLevel.values()) {
            for (int v : numbers) {
                if (v < 1 || v > MAX_LABEL || !labels.containsKey(v)) {
                    throw new IllegalArgumentException("image-level label " + v + " used in " + stem + " but not declared");
                }
            }
        }
        Map<String, List<byte[]>> pngs = new HashMap<>();
        for (Map.Entry<String, List<int[]>> e : pixelLayers.entrySet()) {
            List<byte[]> encoded = new ArrayList<>();
            for (int[] layer : e.getValue()) {
                encoded.add(LabelPng.encode(layer, sw, sh));
            }
            pngs.put(e.getKey(), encoded);
        }
        return new Prepared(stem, split, image.getHeight(), image.getWidth(), sh, sw, encodeImage(image), pixelLayers,
                imageLevel, pngs);
    }

    /** Adds a prepared image as the next row of index.csv; returns the row's image path relative to images/. */
    public synchronized String add(Prepared p) {
        checkOpen();
        String stem = p.stem;
        if (stems.contains(stem)) {
            throw new IllegalArgumentException("image stem '" + stem + "' added twice");
        }
        stems.add(stem);
        String imageName = stem + "." + format.extension();
        writeBytes(temp.resolve("images").resolve(imageName), p.image);
        List<String> row = new ArrayList<>(List.of(imageName, p.split, Integer.toString(p.ih),
                Integer.toString(p.iw), Integer.toString(p.sh), Integer.toString(p.sw)));
        Set<Integer> inImage = new TreeSet<>();
        double area = (double) p.sh * p.sw;
        for (int c = 0; c < categories.size(); c++) {
            String cat = categories.get(c);
            List<String> values = new ArrayList<>();
            TreeMap<Integer, double[]> stats = categoryStats.get(c);
            List<int[]> layers = p.pixelLayers.getOrDefault(cat, List.of());
            List<Integer> touched = new ArrayList<>();
            for (int k = 0; k < layers.size(); k++) {
                String name = stem + "_" + cat + (layers.size() > 1 ? "_" + (k + 1) : "") + ".png";
                writeBytes(temp.resolve("images").resolve(name), p.pngs.get(cat).get(k));
                values.add(name);
                for (int v : layers.get(k)) {
                    if (v != 0 && scratch[v]++ == 0) {
                        touched.add(v);
                    }
                }
            }
            for (int v : touched) {
                double[] s = stats.computeIfAbsent(v, x -> new double[2]);
                s[0] += 1;
                s[1] += scratch[v] / area;
                scratch[v] = 0;
                inImage.add(v);
            }
            Set<Integer> levels = new TreeSet<>();
            for (int v : p.imageLevel.getOrDefault(cat, new int[0])) {
                values.add(Integer.toString(v));
                if (levels.add(v)) {
                    double[] s = stats.computeIfAbsent(v, x -> new double[2]);
                    s[0] += 1;
                    s[1] += 1;
                    inImage.add(v);
                }
            }
            if (!touched.isEmpty() || !levels.isEmpty()) {
                categoryImages[c]++;
            }
            row.add(String.join(";", values));
        }
        for (int v : inImage) {
            labelImages.merge(v, 1, Integer::sum);
        }
        indexLines.add(Csv.format(row));
        return imageName;
    }

    /**
     * The file every dataset written here holds: only a folder with it is ever replaced, so that replacing cannot
     * delete a folder of the user's (a wrong --out with --force).
     */
    public static final String MARKER = ".jdissect-dataset";

    /** Whether {@code dir} is a dataset this writer wrote (it holds the {@link #MARKER}). */
    public static boolean wroteIt(Path dir) {
        return Files.isRegularFile(dir.resolve(MARKER), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes the CSV files and renames the finished dataset to its place. */
    public synchronized void finish() {
        checkOpen();
        writeCsvs();
        writeText(temp.resolve(MARKER), "a Broden-format dataset written by jdissect; jdissect replaces only "
                + "folders that hold this file\n");
        placeDirectory();
        done = true;
    }

    /** Discards the temporary folder unless {@link #finish} has already moved it into place. */
    @Override
    public synchronized void close() {
        if (!done) {
            done = true;
            deleteTree(temp);
        }
    }

    private void writeCsvs() {
        StringBuilder index = new StringBuilder();
        List<String> head = new ArrayList<>(List.of("image", "split", "ih", "iw", "sh", "sw"));
        head.addAll(categories);
        index.append(Csv.format(head));
        indexLines.forEach(index::append);
        writeText(temp.resolve("index.csv"), index.toString());

        StringBuilder category = new StringBuilder(Csv.format(List.of("name", "first", "last", "count", "frequency")));
        for (int c = 0; c < categories.size(); c++) {
            TreeMap<Integer, double[]> stats = categoryStats.get(c);
            category.append(Csv.format(List.of(categories.get(c),
                    Integer.toString(stats.isEmpty() ? 0 : stats.firstKey()),
                    Integer.toString(stats.isEmpty() ? 0 : stats.lastKey()),
                    Integer.toString(stats.size()), Integer.toString(categoryImages[c]))));

            StringBuilder codes = new StringBuilder(Csv.format(List.of("code", "number", "name", "frequency", "coverage")));
            codes.append(Csv.format(List.of("0", "0", "-", "0", "0.0")));
            int code = 1;
            for (Map.Entry<Integer, double[]> e : stats.entrySet()) {
                codes.append(Csv.format(List.of(Integer.toString(code++), e.getKey().toString(),
                        declared.get(e.getKey())[0], Integer.toString((int) e.getValue()[0]),
                        Double.toString(e.getValue()[1]))));
            }
            writeText(temp.resolve("c_" + categories.get(c) + ".csv"), codes.toString());
        }
        writeText(temp.resolve("category.csv"), category.toString());

        StringBuilder label = new StringBuilder(Csv.format(List.of("number", "name", "category", "frequency", "coverage", "syns")));
        for (Map.Entry<Integer, String[]> e : declared.entrySet()) {
            int number = e.getKey();
            List<String> cats = new ArrayList<>();
            double coverage = 0;
            for (int c = 0; c < categories.size(); c++) {
                double[] s = categoryStats.get(c).get(number);
                if (s != null) {
                    cats.add(categories.get(c) + "(" + (int) s[0] + ")");
                    coverage += s[1];
                }
            }
            String[] names = e.getValue();
            label.append(Csv.format(List.of(Integer.toString(number), names[0], String.join(";", cats),
                    Integer.toString(labelImages.getOrDefault(number, 0)), Double.toString(coverage),
                    String.join(";", List.of(names).subList(1, names.length)))));
        }
        writeText(temp.resolve("label.csv"), label.toString());
    }

    private void placeDirectory() {
        Path old = null;
        try {
            if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                boolean empty = Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && isEmpty(dir);
                if (!empty && !replaceExisting) {
                    throw new JdissectException("cannot write dataset to " + dir
                            + ": it exists and is not empty (choose another folder or allow replacing it)");
                }
                if (!empty && !wroteIt(dir)) {
                    throw new JdissectException("refusing to replace " + dir + ": it is not a dataset written by "
                            + "jdissect (it has no " + MARKER + " file), and replacing it would delete what it holds; "
                            + "choose another folder, or remove it yourself");
                }
                old = dir.resolveSibling("." + dir.getFileName() + ".old-" + UUID.randomUUID());
                move(dir, old);
            }
            move(temp, dir);
        } catch (IOException e) {
            throw JdissectException.failure("cannot move the finished dataset " + temp + " to " + dir + ": " + e.getMessage(), e);
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static boolean isEmpty(Path d) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            Iterator<Path> it = s.iterator();
            return !it.hasNext();
        }
    }

    private byte[] encodeImage(BufferedImage image) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            if (format == ImageFormat.PNG) {
                if (!ImageIO.write(image, "png", bytes)) {
                    throw new JdissectException("no PNG writer for image type " + image.getType());
                }
                return bytes.toByteArray();
            }
            BufferedImage rgb = image;
            if (image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
                // the JPEG writer cannot store alpha and mishandles other layouts
                rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = rgb.createGraphics();
                g.drawImage(image, 0, 0, null);
                g.dispose();
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(ios);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(jpegQuality());
                writer.write(null, new IIOImage(rgb, null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw JdissectException.failure("cannot encode an image: " + e.getMessage(), e);
        }
    }

    private synchronized float jpegQuality() {
        return jpegQuality;
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw JdissectException.failure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeText(Path file, String text) {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private void requireCategory(String c) {
        if (!categories.contains(c)) {
            throw new IllegalArgumentException("unknown category '" + c + "'; categories: " + String.join(", ", categories));
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("dataset writer for " + dir + " is already finished or closed");
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a leftover hidden temporary folder is harmless and named clearly
        }
    }
}
