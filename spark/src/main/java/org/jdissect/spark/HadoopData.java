package org.jdissect.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.jdissect.JdissectException;
import org.jdissect.data.IndexRow;

/**
 * A Broden dataset on a Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}, any scheme Hadoop has a
 * FileSystem for), read where the task runs: each JVM keeps a local copy of the dataset's CSV files, and a task copies
 * the image and label maps of its own rows before reading them (the images never pass through the driver). The copy
 * lies in the application's files folder ({@link SparkFiles#getRootDirectory}: the executor's work folder, the
 * driver's temporary one), which Spark removes with the application; files are copied to a temporary name and
 * renamed, so two tasks of one executor can fetch the same file.
 */
final class HadoopData {
    /** The JVM's copies: one per dataset URI and Hadoop settings. */
    private static final Map<String, HadoopData> OPEN = new ConcurrentHashMap<>();

    private final String uri;
    private final org.apache.hadoop.fs.Path root;
    private final FileSystem fs;
    private final Path local;

    private HadoopData(String uri, Map<String, String> settings) {
        this.uri = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        Configuration conf = new Configuration();
        settings.forEach(conf::set);
        this.root = new org.apache.hadoop.fs.Path(this.uri);
        try {
            this.fs = root.getFileSystem(conf);
            this.local = Files.createDirectories(Path.of(SparkFiles.getRootDirectory(),
                    "jdissect-data-" + Integer.toHexString(this.uri.hashCode())));
            FileStatus[] top = fs.listStatus(root);
            for (FileStatus f : top) {
                String file = f.getPath().getName();
                if (f.isFile() && (file.endsWith(".csv") || file.startsWith("."))) {
                    copy(f.getPath(), local.resolve(file));
                }
            }
            Files.createDirectories(local.resolve("images"));
        } catch (java.io.FileNotFoundException e) {
            throw new JdissectException("--data " + uri + ": no such dataset folder");
        } catch (IOException e) {
            throw new JdissectException("--data " + uri + ": cannot be read through Hadoop's file system: "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code data} names a location for Hadoop (a URI with a scheme), not a path. */
    static boolean isUri(String data) {
        return data.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    }

    /** This JVM's copy of the dataset at {@code uri} (its CSV files fetched on first use). */
    static HadoopData of(String uri, Map<String, String> settings) {
        // per Spark application too: a JVM that runs two (the tests' driver) has a files folder for each
        return OPEN.computeIfAbsent(SparkFiles.getRootDirectory() + "\n" + uri + "\n" + settings,
                k -> new HadoopData(uri, settings));
    }

    /** The local folder the dataset is read from. */
    Path local() {
        return local;
    }

    /** The files of an index row (its image, its label maps) fetched if this JVM has not yet. */
    void fetch(IndexRow row) {
        fetchImagesFile(row.image());
        for (var cell : row.cells()) {
            for (String value : cell) {
                if (!value.isEmpty() && !value.chars().allMatch(Character::isDigit)) {
                    fetchImagesFile(value);
                }
            }
        }
    }

    private void fetchImagesFile(String relative) {
        Path target = local.resolve("images").resolve(relative).normalize();
        if (!target.startsWith(local.resolve("images")) || Files.exists(target)) {
            return; // a path out of the dataset is the reader's to report, as on one machine
        }
        try {
            copy(new org.apache.hadoop.fs.Path(root, "images/" + relative), target);
        } catch (java.io.FileNotFoundException e) {
            // missing: the reader reports it as the single-machine run does
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch " + uri + "/images/" + relative + ": " + e.getMessage(), e);
        }
    }

    private void copy(org.apache.hadoop.fs.Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Path part = Files.createTempFile(to.getParent(), ".fetch", ".part");
        try (InputStream in = fs.open(from)) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** A message about the local copy, naming the dataset's own location instead. */
    String unlocal(String message) {
        return message == null ? null : message.replace(local.toString(), uri);
    }
}
