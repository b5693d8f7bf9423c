package org.jdissect.data;

import org.jdissect.JdissectException;
import org.jdissect.io.Csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Keeps every file a dataset names inside the dataset. A Broden folder is often downloaded from elsewhere, so its
 * files are untrusted input: a path in index.csv must not make jdissect read {@code /etc/shadow} or a user's keys,
 * and neither may a symbolic link in the folder, be it a file's or a folder's ({@code images/} linked to {@code /}).
 * Paths are checked twice: lexically when index.csv is read (absolute paths, {@code ..}), and on their real location,
 * symbolic links resolved, when a file is opened: it must lie inside the dataset folder's real location. A dataset
 * that lives on another disk is linked as a whole ({@code DIR} itself may be a link), not in parts.
 *
 * <p>Only regular files are read: a named pipe or a device in place of an image would block the run forever.
 */
final class DatasetPaths {
    private final Path imagesDir;
    private final Path realDir;

    DatasetPaths(Path dir) {
        this.imagesDir = dir.resolve("images");
        try {
            this.realDir = dir.toRealPath();
        } catch (IOException e) {
            throw new JdissectException("dataset directory not found: " + dir);
        }
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
     * The file {@code value} names under the images folder, after resolving symlinks; an error naming {@code where}
     * when it is missing, not a regular file, or resolves outside the dataset.
     */
    Path resolve(String value, String where) {
        String problem = lexicalProblem(value);
        if (problem != null) {
            throw new JdissectException(where + ": " + problem + ": '" + value + "'");
        }
        return confined(imagesDir.resolve(value), where + ": path '" + value + "': ");
    }

    /**
     * A file of the dataset folder itself (index.csv, label.csv, ...), read whole; missing, not a regular file, or
     * a link out of the folder is an error naming it.
     */
    byte[] read(String name, String what) {
        Path file = realDir.resolve(name);
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new JdissectException("missing " + what + ": " + file);
        }
        return Csv.readFile(confined(file, what + ": "), what);
    }

    private Path confined(Path file, String prefix) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new JdissectException(prefix + "missing file " + file);
        } catch (IOException e) {
            throw new JdissectException(prefix + "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!real.startsWith(realDir)) {
            throw new JdissectException(prefix + file + " resolves to " + real + ", outside the dataset directory "
                    + realDir + " (a symbolic link); only files inside the dataset are read");
        }
        if (!Files.isRegularFile(real)) {
            throw new JdissectException(prefix + file + " is not a regular file" + (Files.isDirectory(real)
                    ? " (a folder)" : " (a pipe, socket or device)"));
        }
        return real;
    }
}
