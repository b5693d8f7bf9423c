package org.jdissect.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.io.FileNames;

/** The models of a campaign ({@code --models}) and the folders their results go to. */
final class Campaigns {
    private Campaigns() {
    }

    /**
     * The models {@code text} names: ONNX files separated by commas, or one file listing them one per line (blank
     * lines and lines starting with # left out; relative paths from the list's folder).
     */
    static List<Path> models(String option, String text) {
        List<Path> out = new ArrayList<>();
        if (text.contains(",") || text.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(Path.of(part.strip()));
                }
            }
        } else {
            Path list = Path.of(text);
            List<String> lines;
            try {
                lines = Files.readAllLines(list);
            } catch (IOException e) {
                throw new JdissectException(option + " " + text + ": not a list of models that can be read ("
                        + e.getMessage() + "); give A.onnx,B.onnx or a file listing one model per line");
            }
            for (String line : lines) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    Path p = Path.of(l);
                    out.add(p.isAbsolute() || list.getParent() == null ? p : list.getParent().resolve(p));
                }
            }
        }
        if (out.isEmpty()) {
            throw new JdissectException(option + " " + text + " names no model");
        }
        for (Path p : out) {
            if (!Files.isRegularFile(p)) {
                throw new JdissectException(option + ": model file not found: " + p);
            }
        }
        return out;
    }

    /** The folder of each model under OUT: its file name without .onnx, made file-safe and distinct. */
    static List<String> names(List<Path> models) {
        return FileNames.fileSafe(models.stream()
                .map(p -> p.getFileName().toString().replaceFirst("(?i)\\.onnx$", "")).toList());
    }
}
