package org.jdissect.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jdissect.JdissectException;

import org.jdissect.io.FileNames;

/** Experiment folders under OUT as the pages name them. */
public final class Folders {
    private Folders() {
    }

    /** The folder relative to OUT, {@code .} for OUT itself, for the reader. */
    public static String where(Path out, Path dir) {
        String rel = out.relativize(dir).toString();
        return rel.isEmpty() ? "." : rel;
    }

    /**
     * Distinct page names for experiment folders: {@code prefix} and the path under OUT with {@code _} for {@code /},
     * made file-safe, then {@code .html}.
     */
    public static List<String> pages(Path out, List<Path> dirs, String prefix) {
        List<String> stems = FileNames.fileSafe(dirs.stream().map(d -> {
            String rel = out.relativize(d).toString().replace('\\', '/');
            return rel.isEmpty() ? "main" : rel.replace('/', '_');
        }).toList());
        return stems.stream().map(s -> prefix + s + ".html").toList();
    }

    /** An experiment's folder: where it is under OUT, its page's name, and its record. */
    public record Found<R>(Path dir, String where, String page, R record) {
    }

    /**
     * Every folder under OUT holding {@code file}, read by {@code read}; a file {@code read} refuses (a
     * {@link JdissectException}) is one warning and left out. Pages are named as {@link #pages} names them.
     */
    public static <R> List<Found<R>> find(Site site, String file, String prefix, Function<Path, R> read) {
        List<Path> dirs = new ArrayList<>();
        List<R> records = new ArrayList<>();
        for (Path f : site.find(file)) {
            try {
                records.add(read.apply(f.getParent()));
                dirs.add(f.getParent());
            } catch (JdissectException e) {
                site.warn("report: " + f + " left out: " + e.getMessage());
            }
        }
        List<String> pages = pages(site.out(), dirs, prefix);
        List<Found<R>> out = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            out.add(new Found<>(dirs.get(i), where(site.out(), dirs.get(i)), pages.get(i), records.get(i)));
        }
        return List.copyOf(out);
    }
}
