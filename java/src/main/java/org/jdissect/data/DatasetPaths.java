package org.jdissect.data;

import org.jdissect.JdissectException;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Keeps every file a dataset names inside the dataset. A Broden folder is often downloaded from elsewhere, so its
 * index.csv is untrusted input: a path in it must not make jdissect read {@code /etc/shadow} or a user's keys.
 * Paths are checked twice: lexically when index.csv is read (absolute paths, {@code ..}), and after symlinks
 * are resolved when a file is opened.
 *
 * <p>The images folder itself may be a symlink (large datasets often live on another disk); that is the dataset
 * owner's choice, not something a row of index.csv can do, so files may resolve under the real dataset folder
 * or under the real images folder.
 */
final class DatasetPaths {
    private final Path imagesDir;
    private final Path realDir;
    private final Path realImagesDir;

    DatasetPaths(Path dir) {
        this.imagesDir = dir.resolve("images");
        try {
            this.realDir = dir.toRealPath();
        } catch (IOException e) {
            throw new JdissectException("dataset directory not found: " + dir);
        }
        Path realImages;
        try {
            realImages = imagesDir.toRealPath();
        } catch (IOException e) {
            realImages = null; // reported, per file, when something is read from it
        }
        this.realImagesDir = realImages;
    }

    Path imagesDir() {
        return imagesDir;
    }

    /** Why {@code value} may not name a file under the images folder, or null when it may. */
    static String lexicalProblem(String value) {
        if (value.isEmpty()) {
            return "empty path";
        }
        if (value.indexOf('\0') >= 0) {
            return "path contains a NUL character";
        }
        if (value.startsWith("/") || value.startsWith("\\")) {
            return "absolute path leaves the dataset directory";
        }
        Path p;
        try {
            p = Path.of(value);
        } catch (InvalidPathException e) {
            return "invalid path (" + e.getReason() + ")";
        }
        if (p.isAbsolute() || p.getRoot() != null) {
            return "absolute path leaves the dataset directory";
        }
        for (Path name : p) {
            if (name.toString().equals("..")) {
                return "'..' in a path may leave the dataset directory";
            }
        }
        return null;
    }

    /**
     * The file {@code value} names, after resolving symlinks; an error naming {@code where} when it is missing or
     * resolves outside the dataset.
     */
    Path resolve(String value, String where) {
        String problem = lexicalProblem(value);
        if (problem != null) {
            throw new JdissectException(where + ": " + problem + ": '" + value + "'");
        }
        Path file = imagesDir.resolve(value);
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new JdissectException(where + ": missing file " + file);
        } catch (IOException e) {
            throw new JdissectException(where + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!real.startsWith(realDir) && (realImagesDir == null || !real.startsWith(realImagesDir))) {
            throw new JdissectException(where + ": path '" + value + "' resolves to " + real
                    + ", outside the dataset directory " + realDir + " (symlink)");
        }
        return real;
    }
}
