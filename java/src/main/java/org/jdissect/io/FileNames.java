package org.jdissect.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * File-safe, distinct directory and file names for layer (tensor) names such as {@code /features/conv1/Relu}: letters,
 * digits, {@code . _ -}, never starting with {@code .} (hidden), {@code _} or {@code -} (taken for an option by tools).
 */
public final class FileNames {
    private FileNames() {
    }

    public static String fileSafe(String layer) {
        String s = layer.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[_.-]+", "").replaceAll("_+$", "");
        return s.isEmpty() ? "layer" : s;
    }

    /** File-safe names, made distinct (case-insensitively, for case-insensitive file systems) by a suffix. */
    public static List<String> fileSafe(List<String> layers) {
        List<String> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String layer : layers) {
            String base = fileSafe(layer);
            String name = base;
            for (int i = 2; !used.add(name.toLowerCase(Locale.ROOT)); i++) {
                name = base + "-" + i;
            }
            out.add(name);
        }
        return out;
    }
}
