package org.jdissect.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jdissect.JdissectException;

/**
 * Finds the demo models directory (models-onnx/ of the repository): the system property {@code jdissect.models}, else
 * the environment variable {@code JDISSECT_MODELS}, else a {@code models-onnx/} beside or above the jar (or class
 * folder) this class was loaded from, else one beside or above the working directory.
 */
public final class DemoModels {
    public static final String PROPERTY = "jdissect.models";
    public static final String ENV = "JDISSECT_MODELS";
    public static final String DIR = "models-onnx";

    private DemoModels() {
    }

    /** The directory holding {@code file}; a user error naming every place looked at when there is none. */
    public static Path locate(String file) {
        List<Path> candidates = candidates();
        for (Path dir : candidates) {
            if (Files.isRegularFile(dir.resolve(file))) {
                return dir;
            }
        }
        List<String> looked = new ArrayList<>();
        candidates.forEach(p -> looked.add(p.toString()));
        throw new JdissectException("demo model " + file + " not found; looked in: " + String.join(", ", looked)
                + ". Run from the jdissect repository, or point -D" + PROPERTY + "=DIR or " + ENV
                + "=DIR at its models-onnx folder (models-onnx/train/ rebuilds the models).");
    }

    /** Where an explicitly named directory is taken as is; otherwise every folder upwards is tried. */
    static List<Path> candidates() {
        Set<Path> out = new LinkedHashSet<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            out.add(Path.of(property).toAbsolutePath().normalize());
            return List.copyOf(out);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env).toAbsolutePath().normalize());
            return List.copyOf(out);
        }
        Path code = codeLocation();
        if (code != null) {
            for (Path p = code; p != null; p = p.getParent()) {
                out.add(p.resolve(DIR));
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            out.add(p.resolve(DIR));
        }
        return List.copyOf(out);
    }

    private static Path codeLocation() {
        try {
            var source = DemoModels.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return Files.isDirectory(p) ? p : p.getParent();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
