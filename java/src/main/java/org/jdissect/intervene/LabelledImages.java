package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageDecoder;
import org.jdissect.data.IndexRow;
import org.jdissect.io.Hashing;
import org.jdissect.io.Provenance;

/**
 * Images with one class each, split into a training part (where units are ranked) and a held-out part (where
 * curves are measured). Two sources:
 * <ul>
 * <li>a Broden dataset and an image-level category (e.g. {@code scene}): an image's class is the name of its first
 * label in that category; images without one are left out; rows whose {@code split} is {@code train} are the
 * training part, all others ({@code val}, {@code test}) held out;</li>
 * <li>an image folder: {@code DIR/<class>/<image>}, or {@code DIR/train/<class>/...} with {@code DIR/val/<class>/...}
 * (or {@code test}) for an explicit split. Without one, every fifth image of a class (in file-name order) is held
 * out.</li>
 * </ul>
 * Class names are listed in name order.
 */
public final class LabelledImages {
    /** One image: where to read it, its class (index into {@link #classes()}), and its part. */
    public record Item(String id, int label, boolean train) {
    }

    @FunctionalInterface
    interface Reader {
        BufferedImage read(int item);
    }

    private final Provenance.Dataset dataset;
    private final String description;
    private final List<String> classes;
    private final List<Item> items;
    private final Reader reader;
    private final String fingerprint;

    private LabelledImages(Provenance.Dataset dataset, String description, List<String> classes, List<Item> items,
                           Reader reader, String fingerprint) {
        this.dataset = dataset;
        this.description = description;
        this.classes = classes;
        this.items = items;
        this.reader = reader;
        this.fingerprint = fingerprint;
    }

    /** A Broden dataset ({@code index.csv} in {@code dir}) or an image folder. */
    public static LabelledImages open(Path dir, String category, boolean skipBad) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new JdissectException("dataset directory not found: " + dir);
        }
        return Files.exists(dir.resolve("index.csv")) ? broden(dir, category, skipBad) : folder(dir);
    }

    public static LabelledImages broden(Path dir, String category, boolean skipBad) {
        BrodenDataset ds = BrodenDataset.open(dir, List.of(category), skipBad);
        Set<String> names = new TreeSet<>();
        List<String> classOf = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            IndexRow row = ds.row(i);
            List<String> cell = row.cells().get(0);
            if (cell.isEmpty()) {
                continue;
            }
            String first = cell.get(0);
            if (!first.chars().allMatch(Character::isDigit)) {
                throw new JdissectException("category '" + category + "' of " + dir + " holds label maps (line "
                        + row.line() + " of index.csv has " + first + "), not image-level labels; classes need an "
                        + "image-level category such as scene");
            }
            String name = ds.labelName(Integer.parseInt(first));
            names.add(name);
            classOf.add(name);
            rows.add(i);
        }
        if (rows.isEmpty()) {
            throw new JdissectException("no image of " + dir.resolve("index.csv") + " has a label in category '"
                    + category + "'");
        }
        List<String> classes = List.copyOf(names);
        List<Item> items = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            IndexRow row = ds.row(rows.get(k));
            items.add(new Item(row.image(), classes.indexOf(classOf.get(k)),
                    row.split().trim().equalsIgnoreCase("train")));
        }
        return new LabelledImages(new Provenance.Dataset("broden", dir.toString(), ds.fingerprint()),
                "Broden dataset " + dir + ", category " + category, classes, List.copyOf(items),
                i -> ds.readImage(rows.get(i)), ds.fingerprint());
    }

    public static LabelledImages folder(Path dir) {
        Path train = dir.resolve("train");
        Path held = Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : dir.resolve("test");
        boolean explicit = Files.isDirectory(train) && Files.isDirectory(held);
        Map<String, List<Path>> trainFiles = listClasses(explicit ? train : dir);
        Map<String, List<Path>> heldFiles = explicit ? listClasses(held) : Map.of();
        Set<String> names = new TreeSet<>(trainFiles.keySet());
        names.addAll(heldFiles.keySet());
        if (names.isEmpty()) {
            throw new JdissectException(dir + " is neither a Broden dataset (no index.csv) nor an image folder "
                    + "(no DIR/<class>/<image> files)");
        }
        List<String> classes = List.copyOf(names);
        List<Item> items = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        StringBuilder listing = new StringBuilder();
        for (String c : classes) {
            List<Path> t = trainFiles.getOrDefault(c, List.of());
            for (int i = 0; i < t.size(); i++) {
                boolean isTrain = explicit || i % 5 != 4;
                items.add(new Item(dir.relativize(t.get(i)).toString(), classes.indexOf(c), isTrain));
                files.add(t.get(i));
            }
            for (Path p : heldFiles.getOrDefault(c, List.of())) {
                items.add(new Item(dir.relativize(p).toString(), classes.indexOf(c), false));
                files.add(p);
            }
        }
        for (Item it : items) {
            listing.append(it.id()).append('\n');
        }
        String fingerprint = Hashing.sha256(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16);
        return new LabelledImages(new Provenance.Dataset("class-folders", dir.toString(), fingerprint),
                "image folder " + dir, classes, List.copyOf(items), i -> readImage(files.get(i)), fingerprint);
    }

    private static final Set<String> IMAGE_SUFFIXES = Set.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private static Map<String, List<Path>> listClasses(Path dir) {
        Map<String, List<Path>> out = new HashMap<>();
        try (Stream<Path> classDirs = Files.list(dir)) {
            for (Path c : classDirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(c)) {
                    List<Path> images = files.filter(Files::isRegularFile).filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return IMAGE_SUFFIXES.stream().anyMatch(n::endsWith);
                    }).sorted().toList();
                    if (!images.isEmpty()) {
                        out.put(c.getFileName().toString(), images);
                    }
                }
            }
        } catch (IOException e) {
            throw new JdissectException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * An image file, or one message naming it: missing, a folder or other non-file, too large (more than
     * {@link ImageDecoder#MAX_PIXELS}, checked from its header before decoding), truncated, corrupt or unreadable.
     */
    public static BufferedImage readImage(Path file) {
        if (Files.isDirectory(file)) {
            throw new JdissectException("image " + file + " is a folder, not an image file");
        }
        if (!Files.exists(file)) {
            throw new JdissectException("image " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new JdissectException("image " + file + " is not a regular file (a pipe, socket or device)");
        }
        try {
            BufferedImage img = ImageDecoder.decodeOnce(Files.readAllBytes(file));
            if (img == null) {
                throw new JdissectException("corrupt image " + file + ": not a readable PNG, JPEG, BMP or GIF");
            }
            return img;
        } catch (IOException e) {
            throw new JdissectException("corrupt image " + file + ": " + e.getMessage(), e);
        }
    }

    /** The dataset, for the provenance of outputs. */
    public Provenance.Dataset dataset() {
        return dataset;
    }

    public String description() {
        return description;
    }

    /** Class names in name order. */
    public List<String> classes() {
        return classes;
    }

    public List<Item> items() {
        return items;
    }

    public BufferedImage read(int item) {
        return reader.read(item);
    }

    /** A short hash of the dataset's listing, for reports. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Indices of the items of one part ({@code train} or held out), in order. */
    public int[] part(boolean train) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).train() == train) {
                idx.add(i);
            }
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

}
