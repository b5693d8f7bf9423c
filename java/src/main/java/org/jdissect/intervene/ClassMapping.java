package org.jdissect.intervene;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;

/**
 * Which model output each class is. From a file of lines {@code class,index} (an optional header line
 * {@code class,index}; blank lines and lines starting with {@code #} are ignored; indices 0-based), or, without a
 * file, by name order: the classes sorted by name are outputs 0, 1, 2, ... (torchvision's ImageFolder
 * convention), which needs exactly as many classes as outputs. A prediction is the argmax over all outputs; an
 * output no class maps to counts as wrong for every class.
 */
public final class ClassMapping {
    private final List<String> classes;
    private final int[] outputOf;
    private final int[] classOf;

    private ClassMapping(List<String> classes, int[] outputOf, int outputs) {
        this.classes = classes;
        this.outputOf = outputOf;
        this.classOf = new int[outputs];
        Arrays.fill(classOf, -1);
        for (int c = 0; c < outputOf.length; c++) {
            classOf[outputOf[c]] = c;
        }
    }

    public static ClassMapping byNameOrder(List<String> classes, int outputs) {
        if (classes.size() != outputs) {
            throw new JdissectException("the data has " + classes.size() + " classes (" + String.join(", ", classes)
                    + ") but the model gives " + outputs + " outputs; map classes to outputs with --classes FILE "
                    + "(lines class,index)");
        }
        int[] out = new int[classes.size()];
        Arrays.setAll(out, i -> i);
        return new ClassMapping(classes, out, outputs);
    }

    /** Reads {@code file}; every class of the data needs a line, and every line a class of the data. */
    public static ClassMapping read(Path file, List<String> classes, int outputs) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JdissectException("cannot read class mapping " + file + ": " + e.getMessage(), e);
        }
        Map<String, Integer> index = new HashMap<>();
        Map<Integer, String> taken = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + " line " + (i + 1);
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.replace(" ", "").equalsIgnoreCase("class,index"))) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0) {
                throw new JdissectException(where + ": expected class,index, found '" + line + "'");
            }
            String name = line.substring(0, comma).strip();
            int out;
            try {
                out = Integer.parseInt(line.substring(comma + 1).strip());
            } catch (NumberFormatException e) {
                throw new JdissectException(where + ": index '" + line.substring(comma + 1).strip()
                        + "' is not an integer");
            }
            if (!classes.contains(name)) {
                throw new JdissectException(where + ": unknown class '" + name + "'; the data's classes are: "
                        + String.join(", ", classes));
            }
            if (out < 0 || out >= outputs) {
                throw new JdissectException(where + ": index " + out + " is not an output of the model (0.."
                        + (outputs - 1) + ")");
            }
            if (index.containsKey(name)) {
                throw new JdissectException(where + ": class '" + name + "' mapped twice");
            }
            if (taken.containsKey(out)) {
                throw new JdissectException(where + ": index " + out + " already belongs to class '" + taken.get(out) + "'");
            }
            index.put(name, out);
            taken.put(out, name);
        }
        int[] outputOf = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            Integer o = index.get(classes.get(c));
            if (o == null) {
                throw new JdissectException("class '" + classes.get(c) + "' of the data has no line in " + file);
            }
            outputOf[c] = o;
        }
        return new ClassMapping(classes, outputOf, outputs);
    }

    /** Class names (the data's, in name order). */
    public List<String> classes() {
        return classes;
    }

    /** The output index of class {@code c}. */
    public int output(int c) {
        return outputOf[c];
    }

    /** The class of output {@code o}, or -1 when no class maps to it. */
    public int classOfOutput(int o) {
        return classOf[o];
    }

    public int outputs() {
        return classOf.length;
    }

    /** The class's index in {@link #classes()}, or a usage error naming the valid classes. */
    public int classNamed(String name) {
        int c = classes.indexOf(name);
        if (c < 0) {
            throw new JdissectException("unknown class '" + name + "'; valid classes: " + String.join(", ", classes));
        }
        return c;
    }

    /** Class name to output index, in class order, for reports. */
    public Map<String, Integer> asMap() {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            m.put(classes.get(c), outputOf[c]);
        }
        return m;
    }
}
