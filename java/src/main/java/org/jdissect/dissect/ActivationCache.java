package org.jdissect.dissect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.jdissect.JdissectException;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Json;
import org.jdissect.io.FileNames;
import org.jdissect.model.LayerInfo;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.ArrayActivations;
import org.jdissect.stats.Fp16;

/**
 * The activations of every requested layer over the dataset, in half precision, in one file per layer under
 * {@code OUT/cache/}, so that pass 2 needs no second inference and an interrupted run resumes where it stopped.
 *
 * <p>A manifest records what the cache was computed from (model, dataset, preprocessing, layers, categories) and
 * which dataset rows are in it, in order; it is rewritten (atomically) after the layer files are flushed, so the
 * manifest never claims more than the files hold. A cache whose key differs from the run's is discarded.
 */
public final class ActivationCache implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.mapper();
    public static final String MANIFEST = "manifest.json";

    private final Path dir;
    private final Map<String, Object> key;
    private final List<LayerInfo> layers;
    private final List<String> files;
    private final FileChannel[] channels;
    private final List<Integer> rows;
    private int consumed;
    private boolean complete;
    private long overflowed;
    /** Work buffers of {@link #append}, grown to the largest batch of a layer. */
    private short[] halves = new short[0];
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    private ActivationCache(Path dir, Map<String, Object> key, List<LayerInfo> layers, List<Integer> rows,
                            int consumed, boolean complete) throws IOException {
        this.dir = dir;
        this.consumed = consumed;
        this.key = key;
        this.layers = layers;
        this.rows = new ArrayList<>(rows);
        this.complete = complete;
        this.files = new ArrayList<>();
        this.channels = new FileChannel[layers.size()];
        List<String> names = FileNames.fileSafe(layers.stream().map(LayerInfo::name).toList());
        for (int i = 0; i < layers.size(); i++) {
            String file = names.get(i) + ".f16";
            files.add(file);
            FileChannel ch = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long bytes = (long) rows.size() * layers.get(i).valuesPerImage() * 2;
            if (ch.size() < bytes) {
                ch.close();
                throw new IOException(dir.resolve(file) + " holds " + ch.size() + " bytes, the manifest needs " + bytes);
            }
            ch.truncate(bytes); // drop whatever a killed run wrote after its last manifest
            ch.position(bytes);
            channels[i] = ch;
        }
    }

    /**
     * Opens the cache in {@code dir}: resumes it when its key equals {@code key}, otherwise starts it empty.
     *
     * @param fresh discard any existing cache
     */
    public static ActivationCache open(Path dir, Map<String, Object> key, List<LayerInfo> layers, boolean fresh) {
        try {
            Files.createDirectories(dir);
            Path manifest = dir.resolve(MANIFEST);
            if (!fresh && Files.exists(manifest)) {
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.readValue(manifest.toFile(), Map.class);
                    Object savedKey = m.get("key");
                    if (JSON.readTree(JSON.writeValueAsString(key)).equals(JSON.valueToTree(savedKey))) {
                        @SuppressWarnings("unchecked")
                        List<Integer> rows = (List<Integer>) m.get("rows");
                        boolean complete = Boolean.TRUE.equals(m.get("complete"));
                        int consumed = ((Number) m.get("consumed")).intValue();
                        return new ActivationCache(dir, key, layers, rows, consumed, complete);
                    }
                } catch (IOException | RuntimeException e) {
                    // an unreadable or inconsistent cache is rebuilt, never trusted
                }
            }
            Files.deleteIfExists(manifest);
            for (String name : FileNames.fileSafe(layers.stream().map(LayerInfo::name).toList())) {
                Files.deleteIfExists(dir.resolve(name + ".f16"));
            }
            ActivationCache cache = new ActivationCache(dir, key, layers, List.of(), 0, false);
            cache.commit();
            return cache;
        } catch (IOException e) {
            throw new JdissectException("cannot use the activation cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a complete cache as it is, whatever run made it, to read it (reports, tests); a missing or partial
     * cache is an error naming the directory.
     */
    public static ActivationCache openExisting(Path dir, List<LayerInfo> layers) {
        Path manifest = dir.resolve(MANIFEST);
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(manifest.toFile(), Map.class);
            if (!Boolean.TRUE.equals(m.get("complete"))) {
                throw new JdissectException("the activation cache in " + dir + " is incomplete: finish the run first");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) m.get("key");
            @SuppressWarnings("unchecked")
            List<Integer> rows = (List<Integer>) m.get("rows");
            return new ActivationCache(dir, key, layers, rows, ((Number) m.get("consumed")).intValue(), true);
        } catch (IOException e) {
            throw new JdissectException("cannot read the activation cache " + manifest + ": " + e.getMessage(), e);
        }
    }

    /** Dataset rows already cached, in cache order. */
    public List<Integer> rows() {
        return List.copyOf(rows);
    }

    /**
     * How many candidate images the run has consumed: those cached plus those skipped as unreadable. Resuming
     * starts at the candidate with this index.
     */
    public int consumed() {
        return consumed;
    }

    public boolean complete() {
        return complete;
    }

    public List<LayerInfo> layers() {
        return layers;
    }

    /** Values that exceeded the half-precision range and were stored as infinities. */
    public long overflowed() {
        return overflowed;
    }

    /**
     * Appends a batch: {@code outputs.get(l)} holds {@code datasetRows.length} images of layer {@code l}, and the
     * run has now consumed {@code consumedAfter} candidates. The batch becomes part of the cache at the next
     * {@link #commit()}.
     */
    public void append(int[] datasetRows, List<float[]> outputs, int consumedAfter) {
        try {
            for (int l = 0; l < layers.size(); l++) {
                float[] v = outputs.get(l);
                int expected = datasetRows.length * layers.get(l).valuesPerImage();
                if (v.length != expected) {
                    throw new IllegalArgumentException("layer " + layers.get(l).name() + ": " + v.length
                            + " values for " + datasetRows.length + " images, expected " + expected);
                }
                if (halves.length < v.length) {
                    halves = new short[v.length];
                    bytes = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                }
                short[] hs = halves;
                for (int i = 0; i < v.length; i++) {
                    short h = Fp16.fromFloat(v[i]);
                    if ((h & 0x7c00) == 0x7c00 && !Float.isInfinite(v[i]) && !Float.isNaN(v[i])) {
                        overflowed++;
                    }
                    hs[i] = h;
                }
                ByteBuffer bb = bytes.clear();
                bb.asShortBuffer().put(hs, 0, v.length); // one bulk copy, not a bounds-checked put per value
                bb.limit(v.length * 2);
                while (bb.hasRemaining()) {
                    channels[l].write(bb);
                }
            }
            for (int r : datasetRows) {
                rows.add(r);
            }
            consumed = consumedAfter;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the activation cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the layer files, then records what they hold. */
    public void commit() {
        try {
            for (FileChannel ch : channels) {
                ch.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the activation cache in " + dir, e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("complete", complete);
        m.put("layers", layers.stream().map(LayerInfo::name).toList());
        m.put("files", files);
        m.put("consumed", consumed);
        m.put("rows", rows);
        try {
            AtomicFiles.writeString(dir.resolve(MANIFEST), JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void markComplete() {
        complete = true;
        commit();
    }

    /**
     * The cached activations of layer {@code index}: held in memory when they fit {@code memoryBudget} bytes,
     * otherwise read from the file chunk by chunk, so memory does not grow with the dataset.
     */
    public ActivationSource source(int index, long memoryBudget) {
        LayerInfo info = layers.get(index);
        int n = rows.size();
        long bytes = (long) n * info.valuesPerImage() * 2;
        if (bytes <= memoryBudget && bytes / 2 < Integer.MAX_VALUE - 16) {
            short[] all = new short[(int) (bytes / 2)];
            new FileSource(channels[index], n, info).read(0, n, all);
            return new ArrayActivations(all, n, info.channels(), info.height(), info.width());
        }
        return new FileSource(channels[index], n, info);
    }

    @Override
    public void close() {
        for (FileChannel ch : channels) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException e) {
                // closing a read-write channel after force() loses nothing
            }
        }
    }

    /**
     * Opens a complete cache for reading only (the report draws unit masks from it); nothing is written, truncated
     * or deleted. The layers' shapes are the caller's, since the manifest does not record them; a file whose size
     * does not match is an error.
     *
     * @throws JdissectException when the cache is missing, incomplete or unreadable, naming the folder
     */
    public static Snapshot openComplete(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new JdissectException("no activation cache in " + dir + " (" + MANIFEST + " is missing); run the "
                    + "dissection again to rebuild it");
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(manifest.toFile(), Map.class);
            if (!Boolean.TRUE.equals(m.get("complete"))) {
                throw new JdissectException("the activation cache in " + dir + " is incomplete (an interrupted run); "
                        + "run the dissection again to finish it");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> key = (Map<String, Object>) m.get("key");
            @SuppressWarnings("unchecked")
            List<String> layers = (List<String>) (m.containsKey("layers") ? m.get("layers") : key.get("layers"));
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) m.get("files");
            @SuppressWarnings("unchecked")
            List<Integer> rows = (List<Integer>) m.get("rows");
            if (layers == null || files == null || rows == null || layers.size() != files.size()) {
                throw new JdissectException(manifest + " is malformed (layers, files and rows are needed)");
            }
            return new Snapshot(dir, Map.copyOf(key), List.copyOf(layers), List.copyOf(files), List.copyOf(rows));
        } catch (IOException | ClassCastException e) {
            throw new JdissectException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    /** A complete cache opened read-only: which rows it holds and each layer's activations. */
    public static final class Snapshot implements AutoCloseable {
        private final Path dir;
        private final Map<String, Object> key;
        private final List<String> layers;
        private final List<String> files;
        private final List<Integer> rows;
        private final List<FileChannel> open = new ArrayList<>();

        private Snapshot(Path dir, Map<String, Object> key, List<String> layers, List<String> files,
                         List<Integer> rows) {
            this.dir = dir;
            this.key = key;
            this.layers = layers;
            this.files = files;
            this.rows = rows;
        }

        /** What the cache was computed from: model and dataset fingerprints, layers, preprocessing, ... */
        public Map<String, Object> key() {
            return key;
        }

        /** Layer (tensor) names, in the order of the run. */
        public List<String> layers() {
            return layers;
        }

        /** Dataset rows in cache order: cache image {@code i} is dataset row {@code rows().get(i)}. */
        public List<Integer> rows() {
            return rows;
        }

        /**
         * The maps of {@code layer}, {@code units x height x width} per image, read from the file on demand, one
         * unit of one image at a time; safe for concurrent reads.
         */
        public synchronized LayerMaps maps(String layer, int units, int height, int width) {
            int index = layers.indexOf(layer);
            if (index < 0) {
                throw new JdissectException("layer '" + layer + "' is not in the activation cache in " + dir
                        + "; it holds " + String.join(", ", layers));
            }
            Path file = dir.resolve(files.get(index));
            try {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                open.add(ch);
                long bytes = (long) rows.size() * units * height * width * 2;
                if (ch.size() != bytes) {
                    throw new JdissectException(file + " holds " + ch.size() + " bytes; " + rows.size() + " images of "
                            + units + " x " + height + " x " + width + " need " + bytes);
                }
                return new LayerMaps(file, ch, rows.size(), units, height, width);
            } catch (IOException e) {
                throw new JdissectException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * The activations of {@code layer} (name and shape) as a source read from the file chunk by chunk; the file's
         * size must match the shape.
         */
        public ActivationSource source(LayerInfo layer) {
            LayerMaps maps = maps(layer.name(), layer.channels(), layer.height(), layer.width());
            return new FileSource(maps.channel(), rows.size(), layer);
        }

        @Override
        public synchronized void close() {
            for (FileChannel ch : open) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // a read-only channel has nothing to lose
                }
            }
            open.clear();
        }
    }

    /** One layer of a {@link Snapshot}: positional reads of single unit maps, safe for concurrent use. */
    public record LayerMaps(Path file, FileChannel channel, int images, int units, int height, int width) {
        /** Reads the {@code height x width} half-precision map of {@code unit} in cache image {@code image}. */
        public void read(int image, int unit, short[] dst) {
            if (image < 0 || image >= images || unit < 0 || unit >= units) {
                throw new IndexOutOfBoundsException("image " + image + " of " + images + ", unit " + unit + " of " + units);
            }
            int n = height * width;
            ByteBuffer bb = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
            long pos = (((long) image * units + unit) * n) * 2;
            try {
                while (bb.hasRemaining()) {
                    if (channel.read(bb, pos + bb.position()) < 0) {
                        throw new IOException("unexpected end of file");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            bb.flip();
            bb.asShortBuffer().get(dst, 0, n);
        }
    }

    /** Positional reads from a layer file; safe for concurrent use. */
    private record FileSource(FileChannel channel, int images, LayerInfo info) implements ActivationSource {
        @Override
        public int units() {
            return info.channels();
        }

        @Override
        public int height() {
            return info.height();
        }

        @Override
        public int width() {
            return info.width();
        }

        @Override
        public void read(int first, int count, short[] dst) {
            int per = valuesPerImage();
            long pos = (long) first * per * 2;
            int total = count * per;
            ByteBuffer bb = ByteBuffer.allocate(Math.min(total, 1 << 20) * 2).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            try {
                while (done < total) {
                    bb.clear();
                    bb.limit(Math.min(total - done, bb.capacity() / 2) * 2);
                    while (bb.hasRemaining()) {
                        int r = channel.read(bb, pos + (long) done * 2 + bb.position());
                        if (r < 0) {
                            throw new IOException("unexpected end of the activation cache");
                        }
                    }
                    bb.flip();
                    int k = bb.remaining() / 2;
                    bb.asShortBuffer().get(dst, done, k);
                    done += k;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "ActivationCache" + Arrays.asList(dir, rows.size() + " images", complete ? "complete" : "partial");
    }
}
