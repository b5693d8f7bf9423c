package org.jdissect.report;

import java.nio.file.Path;
import java.util.List;

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
}
