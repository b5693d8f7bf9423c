package org.jdissect.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;

/**
 * The classes of a segmentation model, one per output channel, from a labels file: one line per class in channel
 * order, {@code name} or {@code name,category} (default category {@code object}); blank lines and lines starting
 * with {@code #} are skipped. A CSV with the header {@code class,name,category} (class = channel index, in order)
 * is read too. A class named {@code -} is unlabelled: never counted, like Broden's label 0.
 * Class {@code c} is label number {@code c + 1}; 0 stays "unlabelled".
 */
public record SegmenterLabels(List<String> names, List<String> categories, int[] categoryOfClass) {
    public static final String UNLABELLED = "-";

    public static SegmenterLabels read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JdissectException("cannot read the segmenter labels file " + file + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        boolean indexed = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (names.isEmpty() && !indexed && line.replace(" ", "").equalsIgnoreCase("class,name,category")) {
                indexed = true;
                continue;
            }
            if (indexed) {
                String[] f = line.split(",", -1);
                if (f.length != 3 || f[1].isBlank() || !f[0].strip().equals(Integer.toString(names.size()))) {
                    throw new JdissectException(file + " line " + (i + 1) + ": expected '" + names.size()
                            + ",name,category', got '" + line + "'");
                }
                String name = f[1].strip();
                String cat = f[2].strip();
                if (cat.isEmpty() && !UNLABELLED.equals(name)) {
                    throw new JdissectException(file + " line " + (i + 1) + ": class '" + name + "' has no category");
                }
                names.add(name);
                cats.add(cat.isEmpty() ? "object" : cat);
                continue;
            }
            String[] parts = line.split(",", -1);
            if (parts.length > 2 || parts[0].isBlank() || (parts.length == 2 && parts[1].isBlank())) {
                throw new JdissectException(file + " line " + (i + 1) + ": expected 'name' or 'name,category', got '"
                        + line + "'");
            }
            names.add(parts[0].strip());
            cats.add(parts.length == 2 ? parts[1].strip() : "object");
        }
        if (names.isEmpty()) {
            throw new JdissectException(file + " lists no classes");
        }
        return of(names, cats);
    }

    public static SegmenterLabels of(List<String> names, List<String> classCategories) {
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] categoryOfClass = new int[names.size()];
        for (int c = 0; c < names.size(); c++) {
            categoryOfClass[c] = UNLABELLED.equals(names.get(c)) ? -1
                    : index.computeIfAbsent(classCategories.get(c), k -> index.size());
        }
        return new SegmenterLabels(List.copyOf(names), List.copyOf(index.keySet()), categoryOfClass);
    }

    public int classes() {
        return names.size();
    }

    /** Label numbers 0 .. classes(). */
    public int numLabels() {
        return names.size() + 1;
    }

    /** The label number of class {@code c}: {@code c + 1}, or 0 for the unlabelled class. */
    public int labelOf(int c) {
        return categoryOfClass[c] < 0 ? 0 : c + 1;
    }

    public String labelName(int label) {
        return label == 0 ? UNLABELLED : names.get(label - 1);
    }

    /** Primary category per label number (-1 for 0 and unlabelled classes). */
    public int[] primaryCategory() {
        int[] p = new int[numLabels()];
        p[0] = -1;
        for (int c = 0; c < names.size(); c++) {
            p[c + 1] = categoryOfClass[c];
        }
        return p;
    }

    /** The class named {@code name}, or an error listing the classes. */
    public int classNamed(String name) {
        int c = names.indexOf(name);
        if (c < 0 || categoryOfClass[c] < 0) {
            throw new JdissectException("no segmenter class '" + name + "'; the classes are "
                    + names.stream().filter(n -> !UNLABELLED.equals(n)).toList());
        }
        return c;
    }
}
