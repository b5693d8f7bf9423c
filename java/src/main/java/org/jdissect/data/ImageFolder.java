package org.jdissect.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.jdissect.JdissectException;
import org.jdissect.io.Hashing;

/**
 * Every image under a folder, found recursively (PNG, JPEG, BMP, GIF by their file names), in the order of their
 * paths relative to the folder: image {@code i} is always the same file for the same folder. A file or folder that
 * is a symbolic link leading out of the folder is refused, as for a Broden dataset.
 */
public final class ImageFolder {
    private static final Set<String> SUFFIXES = Set.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path dir;
    private final List<String> names;
    private final List<Path> files;
    private final String fingerprint;

    private ImageFolder(Path dir, List<String> names, List<Path> files, String fingerprint) {
        this.dir = dir;
        this.names = names;
        this.files = files;
        this.fingerprint = fingerprint;
    }

    /** Lists the images under {@code dir}; a folder that is missing or holds no image is an error naming it. */
    public static ImageFolder open(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new JdissectException("image folder not found: " + dir);
        }
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new JdissectException("cannot read image folder " + dir + ": " + e.getMessage(), e);
        }
        List<Path> found;
        try (Stream<Path> walk = Files.walk(real)) {
            found = walk.filter(p -> isImageName(p.getFileName().toString())).sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new JdissectException("cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        StringBuilder listing = new StringBuilder();
        for (Path p : found) {
            Path file;
            long size;
            try {
                file = p.toRealPath();
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                size = Files.size(file);
            } catch (IOException e) {
                throw new JdissectException("cannot read " + p + ": " + e.getMessage(), e);
            }
            String name = real.relativize(p).toString().replace('\\', '/');
            if (!file.startsWith(real)) {
                throw new JdissectException("image " + name + " in " + dir + " is a symbolic link to " + file
                        + ", outside the folder; only files inside it are read");
            }
            names.add(name);
            files.add(file);
            listing.append(name).append(':').append(size).append('\n');
        }
        if (names.isEmpty()) {
            throw new JdissectException("no image in " + dir + " (looked for " + String.join(", ", SUFFIXES.stream()
                    .sorted().toList()) + " files in it and its folders)");
        }
        return new ImageFolder(dir, List.copyOf(names), List.copyOf(files),
                Hashing.sha256(listing.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    }

    static boolean isImageName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(n::endsWith);
    }

    public Path directory() {
        return dir;
    }

    public int size() {
        return names.size();
    }

    /** Image {@code i}'s path relative to the folder, with {@code /} separators. */
    public String name(int i) {
        return names.get(i);
    }

    /** Image {@code i}'s file, its real location. */
    public Path file(int i) {
        return files.get(i);
    }

    /** A short hash of the listing: every relative path and its size. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Decodes image {@code i} with {@code decoder} (one per thread) or, where it is null, on its own.
     *
     * @throws JdissectException naming the file when it is unreadable or corrupt
     */
    public BufferedImage read(int i, ImageDecoder decoder) {
        Path file = files.get(i);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JdissectException("cannot read image " + dir.resolve(names.get(i)) + ": " + e.getMessage(), e);
        }
        BufferedImage image;
        try {
            image = decoder != null ? decoder.decode(bytes) : ImageDecoder.decodeOnce(bytes);
        } catch (IOException | RuntimeException e) {
            throw new JdissectException("corrupt image " + dir.resolve(names.get(i)) + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new JdissectException("corrupt image " + dir.resolve(names.get(i))
                    + ": not a readable PNG, JPEG, BMP or GIF");
        }
        return image;
    }
}
