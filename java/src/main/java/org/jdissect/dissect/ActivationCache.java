package org.jdissect.dissect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.jdissect.JdissectException;
import org.jdissect.io.FileNames;
import org.jdissect.io.Sizes;
import org.jdissect.io.Words;
import org.jdissect.model.LayerInfo;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.ArrayActivations;
import org.jdissect.stats.FloatActivations;
import org.jdissect.stats.Precision;

/**
 * The activations of every requested layer over the dataset, in half precision, in one file per layer under
 * {@code OUT/cache/}, so that pass 2 needs no second inference and an interrupted run resumes where it stopped.
 *
 * <p>A {@link CacheManifest} records what the cache was computed from, which source rows it holds, each cached
 * image's file stamp and a checksum of every segment written. A run resumes a cache only when all of it still holds:
 * the same key (model, dataset, layers, preprocessing, ...), numbers that add up, unchanged image files (size and
 * modification time, one {@code stat} per image: 0.1 s per 10,000 images here) and unchanged cache files (CRC-32C of
 * every segment, read once on opening: about 0.2 s for the demo's 368 MB). Otherwise it starts afresh and says why in
 * one line, and the layer files of earlier runs go with it.
 *
 * <p>Half precision covers 6e-5 to 65504 at three significant digits. A unit whose values lie far outside that (a
 * layer of 1e-8s loses its order to underflow, one of 1e7s overflows) is cached with a power-of-two scale chosen from
 * its first batch, {@code x * 2^e} with its largest value near 4096: powers of two change no rounding, so thresholds,
 * masks and the tally are those of the unscaled values, and {@link #exponents} undoes the scale where values are
 * reported. Non-finite values (NaN, infinities) are stored as the lowest half, -65504, and counted per unit: they sort
 * below every value and are left out of the quantile ({@link ActivationSource#nonFinite}).
 *
 * <p>With {@link Precision#FP32} the files ({@code .f32}) hold the model's floats as they are, no scale needed,
 * non-finite values stored as {@code -Float.MAX_VALUE} and counted the same way. The precision is part of the key:
 * a cache of the other precision is not resumed.
 */
public final class ActivationCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ActivationCache.class.getName());
    public static final String MANIFEST = CacheManifest.FILE;
    /** The key's entry naming the cache's precision. */
    static final String PRECISION = "precision";

    private final Path dir;
    private final Precision precision;
    private final Map<String, Object> key;
    private final List<LayerInfo> layers;
    private final List<String> files;
    private final FileChannel[] channels;
    private final List<Integer> rows;
    /** Size and modification time of each cached row's image, flattened; null for generated images. */
    private final IntFunction<long[]> stamper;
    private final List<Long> stamps = new ArrayList<>();
    private final List<List<Long>> checksums = new ArrayList<>();
    /** Per layer, each unit's power-of-two scale (the cache holds x * 2^e); null until the first batch. */
    private final int[][] exponents;
    /** Per layer, each unit's count of non-finite values, stored as -65504. */
    private final long[][] nonFinite;
    private int consumed;
    private boolean complete;
    private long overflowed;
    /** Work buffers of {@link #append}, grown to the largest batch of a layer. */
    private short[] halves = new short[0];
    private float[] singles = new float[0];
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    private ActivationCache(Path dir, Precision precision, Map<String, Object> key, List<LayerInfo> layers,
                            CacheManifest resumed, IntFunction<long[]> stamper) throws IOException {
        this.dir = dir;
        this.precision = precision;
        this.key = key;
        this.layers = layers;
        this.stamper = stamper;
        this.rows = new ArrayList<>(resumed == null ? List.of() : resumed.rows());
        this.consumed = resumed == null ? 0 : resumed.consumed();
        this.complete = resumed != null && resumed.complete();
        this.files = fileNames(layers, precision);
        this.channels = new FileChannel[layers.size()];
        this.exponents = new int[layers.size()][];
        this.nonFinite = new long[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            boolean has = resumed != null && resumed.exponents() != null && resumed.exponents().get(i) != null;
            exponents[i] = has ? resumed.exponents().get(i).clone() : null;
            nonFinite[i] = has && resumed.nonFinite() != null && resumed.nonFinite().get(i) != null
                    ? resumed.nonFinite().get(i).clone() : new long[layers.get(i).channels()];
        }
        for (int i = 0; i < layers.size(); i++) {
            checksums.add(new ArrayList<>());
            if (resumed != null) {
                for (long v : resumed.checksums().get(i)) {
                    checksums.get(i).add(v);
                }
            }
        }
        if (resumed != null && resumed.stamps() != null) {
            for (long v : resumed.stamps()) {
                stamps.add(v);
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            FileChannel ch = FileChannel.open(dir.resolve(files.get(i)), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = (long) rows.size() * bytesPerImage(layers.get(i), precision);
            ch.truncate(size); // drop whatever a killed run wrote after its last manifest
            ch.position(size);
            channels[i] = ch;
        }
    }

    private static List<String> fileNames(List<LayerInfo> layers, Precision precision) {
        return FileNames.fileSafe(layers.stream().map(LayerInfo::name).toList()).stream()
                .map(n -> n + precision.suffix()).toList();
    }

    private static long bytesPerImage(LayerInfo l, Precision precision) {
        return (long) precision.bytes() * l.valuesPerImage();
    }

    /**
     * Opens the cache in {@code dir}: resumes it when everything it records still holds (see the class comment),
     * otherwise starts it empty, saying why.
     *
     * @param key        what the cache is computed from (its precision is added)
     * @param precision  how values are held
     * @param fresh      discard any existing cache
     * @param candidates how many candidate images the run has (it cannot have consumed more)
     * @param rowCount   how many source rows there are (cached rows are below)
     * @param stamper    the size and modification time of a row's image file, or null for generated images
     */
    public static ActivationCache open(Path dir, Map<String, Object> runKey, List<LayerInfo> layers,
                                       Precision precision, boolean fresh, int candidates, int rowCount,
                                       IntFunction<long[]> stamper) {
        Map<String, Object> key = new java.util.LinkedHashMap<>(runKey);
        key.put(PRECISION, precision.label());
        try {
            Files.createDirectories(dir);
            CacheManifest resumed = null;
            String why = null;
            if (fresh) {
                why = "--fresh";
            } else if (Files.exists(dir.resolve(MANIFEST))) {
                try {
                    CacheManifest m = CacheManifest.read(dir);
                    why = whyNotResume(dir, m, key, layers, precision, candidates, rowCount, stamper);
                    resumed = why == null ? m : null;
                } catch (JdissectException | UncheckedIOException e) {
                    why = "its manifest cannot be read (" + e.getMessage() + ")";
                }
            }
            if (resumed == null) {
                long removed = clear(dir);
                if (why != null) {
                    LOG.log(Level.INFO, "activation cache in " + dir + " started afresh: " + why
                            + (removed > 0 ? " (earlier cache files of " + Sizes.format(removed) + " removed)" : ""));
                }
            }
            ActivationCache cache = new ActivationCache(dir, precision, key, layers, resumed, stamper);
            if (resumed == null) {
                cache.commit();
            }
            return cache;
        } catch (IOException e) {
            throw new JdissectException("cannot use the activation cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the manifest and every layer file in {@code dir}; returns the bytes freed. */
    private static long clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(MANIFEST));
        long freed = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.filter(p -> Precision.ofFile(p.getFileName().toString()) != null).toList()) {
                freed += Files.size(p);
                Files.delete(p);
            }
        }
        return freed;
    }

    /** Why a cache with manifest {@code m} cannot be resumed for this run, or null when it can. */
    private static String whyNotResume(Path dir, CacheManifest m, Map<String, Object> key, List<LayerInfo> layers,
                                       Precision precision, int candidates, int rowCount,
                                       IntFunction<long[]> stamper)
            throws IOException {
        List<String> differ = m.differences(key);
        if (!differ.isEmpty()) {
            return "it was made with another " + String.join(", ", differ.stream()
                    .map(ActivationCache::describeKey).toList());
        }
        List<String> files = fileNames(layers, precision);
        if (!m.files().equals(files)) {
            return "its files are " + m.files() + ", the run's " + files;
        }
        String problem = m.problem(layers.stream().map(l -> bytesPerImage(l, precision)).toList(), candidates,
                rowCount, stamper != null);
        if (problem != null) {
            return "its manifest is inconsistent: " + problem;
        }
        if (stamper != null) {
            int changed = 0;
            int first = -1;
            for (int i = 0; i < m.rows().size(); i++) {
                long[] now = stamper.apply(m.rows().get(i));
                if (now == null || now[0] != m.stamps()[2 * i] || now[1] != m.stamps()[2 * i + 1]) {
                    changed++;
                    first = first < 0 ? m.rows().get(i) : first;
                }
            }
            if (changed > 0) {
                return Words.counted(changed, "cached image") + " changed since (size or modification "
                        + "time; the first is row " + first + ")";
            }
        }
        for (int l = 0; l < files.size(); l++) {
            String corrupt = verify(dir.resolve(files.get(l)), m.checksums().get(l));
            if (corrupt != null) {
                return corrupt;
            }
        }
        return null;
    }

    private static String describeKey(String entry) {
        return switch (entry) {
            case "model", "generator" -> "model";
            case "dataset" -> "dataset (its CSV files or listing)";
            case "model_external" -> "model weights file";
            case "skipBad" -> "--skip-bad";
            case "format" -> "cache format";
            case PRECISION -> "precision (--precision)";
            default -> entry.replace('_', ' ');
        };
    }

    /** Null when every checksummed segment of {@code file} still has its CRC-32C, else what differs. */
    private static String verify(Path file, long[] segments) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long needed = 0;
            for (int i = 0; i < segments.length; i += 2) {
                needed += segments[i];
            }
            if (ch.size() < needed) {
                return file.getFileName() + " holds " + ch.size() + " bytes, the manifest needs " + needed;
            }
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            CRC32C crc = new CRC32C();
            long pos = 0;
            for (int i = 0; i < segments.length; i += 2) {
                crc.reset();
                long end = pos + segments[i];
                while (pos < end) {
                    buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                    int r = ch.read(buf, pos);
                    if (r < 0) {
                        return file.getFileName() + " ends early";
                    }
                    buf.flip();
                    crc.update(buf);
                    pos += r;
                }
                if (crc.getValue() != segments[i + 1]) {
                    return file.getFileName() + " was altered since it was written (checksum of segment " + (i / 2 + 1)
                            + " differs)";
                }
            }
        }
        return null;
    }

    /** Source rows already cached, in cache order. */
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
     * Appends a batch: {@code outputs.get(l)} holds {@code sourceRows.length} images of layer {@code l}, and the
     * run has now consumed {@code consumedAfter} candidates. The batch becomes part of the cache at the next
     * {@link #commit()}.
     */
    public void append(int[] sourceRows, List<float[]> outputs, int consumedAfter) {
        try {
            for (int l = 0; l < layers.size(); l++) {
                float[] v = outputs.get(l);
                LayerInfo layer = layers.get(l);
                int expected = sourceRows.length * layer.valuesPerImage();
                if (v.length != expected) {
                    throw new IllegalArgumentException("layer " + layer.name() + ": " + v.length
                            + " values for " + sourceRows.length + " images, expected " + expected);
                }
                int size = v.length * precision.bytes();
                if (bytes.capacity() < size) {
                    bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
                }
                ByteBuffer bb = bytes.clear();
                if (precision == Precision.FP32) {
                    if (singles.length < v.length) {
                        singles = new float[v.length];
                    }
                    if (exponents[l] == null && sourceRows.length > 0) {
                        exponents[l] = new int[layer.channels()]; // floats need no scale
                    }
                    CachedValues.toSingles(v, sourceRows.length, layer, nonFinite[l], singles);
                    bb.asFloatBuffer().put(singles, 0, v.length); // one bulk copy
                } else {
                    if (halves.length < v.length) {
                        halves = new short[v.length];
                    }
                    if (exponents[l] == null && sourceRows.length > 0) {
                        exponents[l] = CachedValues.chooseExponents(v, sourceRows.length, layer);
                    }
                    overflowed += CachedValues.toHalves(v, sourceRows.length, layer, exponents[l], nonFinite[l],
                            halves);
                    bb.asShortBuffer().put(halves, 0, v.length); // one bulk copy, not a bounds-checked put per value
                }
                bb.limit(size);
                writeSegment(l, bb);
            }
            rowsAppended(sourceRows, consumedAfter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the activation cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes one batch's bytes of layer {@code l} and records their size and CRC-32C. */
    private void writeSegment(int l, ByteBuffer bb) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(bb.duplicate());
        checksums.get(l).add((long) bb.remaining());
        checksums.get(l).add(crc.getValue());
        while (bb.hasRemaining()) {
            channels[l].write(bb);
        }
    }

    /** Records a written batch's rows (and their stamps) and how many candidates the run has consumed. */
    private void rowsAppended(int[] sourceRows, int consumedAfter) {
        for (int r : sourceRows) {
            rows.add(r);
            if (stamper != null) {
                long[] st = stamper.apply(r);
                stamps.add(st == null ? -1 : st[0]);
                stamps.add(st == null ? -1 : st[1]);
            }
        }
        consumed = consumedAfter;
    }

    /**
     * Appends a batch already converted as {@link #append} would have converted it: per layer {@code l},
     * {@code values.get(l)} holds the batch's values as the cache holds them (a {@code short[]} of halves at the
     * scales {@code scales.get(l)}, or for a single-precision cache a {@code float[]} with zero scales), non-finite
     * values stored lowest and counted in {@code nonFinites.get(l)}, with the run having consumed
     * {@code consumedAfter} candidates: how a dissection computed elsewhere (a local Spark job) leaves the cache a
     * single-machine run would have left. The scales must be those the cache holds, or the first batch's.
     */
    public void appendConverted(int[] sourceRows, List<?> values, List<long[]> nonFinites, List<int[]> scales,
                                int consumedAfter) {
        try {
            for (int l = 0; l < layers.size(); l++) {
                Object v = values.get(l);
                int length = precision == Precision.FP32 ? ((float[]) v).length : ((short[]) v).length;
                int expected = sourceRows.length * layers.get(l).valuesPerImage();
                if (length != expected) {
                    throw new IllegalArgumentException("layer " + layers.get(l).name() + ": " + length
                            + " values for " + sourceRows.length + " images, expected " + expected);
                }
                if (sourceRows.length > 0) { // as append: the first batch with an image sets the scales
                    if (exponents[l] == null) {
                        exponents[l] = scales.get(l).clone();
                    } else if (!Arrays.equals(exponents[l], scales.get(l))) {
                        throw new IllegalArgumentException("layer " + layers.get(l).name()
                                + ": a batch at other scales");
                    }
                    for (int u = 0; u < nonFinite[l].length; u++) {
                        nonFinite[l][u] += nonFinites.get(l)[u];
                    }
                }
                ByteBuffer bb = ByteBuffer.allocate(length * precision.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                if (precision == Precision.FP32) {
                    bb.asFloatBuffer().put((float[]) v);
                } else {
                    bb.asShortBuffer().put((short[]) v);
                }
                writeSegment(l, bb);
            }
            rowsAppended(sourceRows, consumedAfter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the activation cache in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Per unit of layer {@code index}, the power of two the cache holds its values at (zeros before any batch). */
    public int[] exponents(int index) {
        return exponents[index] == null ? new int[layers.get(index).channels()] : exponents[index].clone();
    }

    /** Per unit of layer {@code index}, how many of its values were non-finite. */
    public long[] nonFinite(int index) {
        return nonFinite[index].clone();
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
        List<long[]> sums = checksums.stream().map(c -> c.stream().mapToLong(Long::longValue).toArray()).toList();
        List<int[]> scales = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            scales.add(exponents(i));
        }
        new CacheManifest(key, complete, layers.stream().map(LayerInfo::name).toList(), files, consumed,
                List.copyOf(rows), stamper == null ? null : stamps.stream().mapToLong(Long::longValue).toArray(),
                sums, scales, List.of(nonFinite)).write(dir);
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
        long size = (long) n * bytesPerImage(info, precision);
        CachedValues.FileSource file = new CachedValues.FileSource(channels[index], n, info, precision);
        ActivationSource source = file;
        long values = size / precision.bytes();
        if (size <= memoryBudget && values < Integer.MAX_VALUE - 16) {
            if (precision == Precision.FP32) {
                float[] all = new float[(int) values];
                file.readFloats(0, n, all);
                source = new FloatActivations(all, n, info.channels(), info.height(), info.width());
            } else {
                short[] all = new short[(int) values];
                file.read(0, n, all);
                source = new ArrayActivations(all, n, info.channels(), info.height(), info.width());
            }
        }
        return CachedValues.withNonFinite(source, nonFinite[index]);
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

    @Override
    public String toString() {
        return "ActivationCache" + Arrays.asList(dir, rows.size() + " images", complete ? "complete" : "partial");
    }
}
