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
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.model.LayerInfo;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.Precision;

/**
 * A complete {@link ActivationCache} opened read-only, by the report and the interventions: which rows it holds, its
 * precision and each layer's activations, read from the files on demand. The writer and this reader share only the
 * manifest and the file layout.
 */
public final class CacheSnapshot implements AutoCloseable {
    private final Path dir;
    private final Precision precision;
    private final Map<String, Object> key;
    private final List<String> layers;
    private final List<String> files;
    private final List<Integer> rows;
    private final List<int[]> exponents;
    private final List<long[]> nonFinite;
    private final List<FileChannel> open = new ArrayList<>();

    private CacheSnapshot(Path dir, Precision precision, Map<String, Object> key, List<String> layers,
                     List<String> files, List<Integer> rows, List<int[]> exponents, List<long[]> nonFinite) {
        this.dir = dir;
        this.precision = precision;
        this.key = key;
        this.layers = layers;
        this.files = files;
        this.rows = rows;
        this.exponents = exponents;
        this.nonFinite = nonFinite;
    }

    /**
     * Per unit of {@code layer}, the power of two its cached values are scaled by (see {@link ActivationCache}):
     * a threshold {@code t} of the unscaled values is {@code Math.scalb(t, e)} for the cached ones. Zeros for a
     * cache written before scales existed.
     */
    public int[] exponents(String layer, int units) {
        int index = layers.indexOf(layer);
        if (index < 0 || exponents == null || exponents.size() <= index || exponents.get(index) == null) {
            return new int[units];
        }
        return exponents.get(index).clone();
    }

    /** How the cache holds values. */
    public Precision precision() {
        return precision;
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
            long bytes = (long) rows.size() * units * height * width * precision.bytes();
            if (ch.size() != bytes) {
                throw new JdissectException(file + " holds " + ch.size() + " bytes; " + rows.size() + " images of "
                        + units + " x " + height + " x " + width + " need " + bytes);
            }
            return new LayerMaps(file, ch, precision, rows.size(), units, height, width);
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
        int index = layers.indexOf(layer.name());
        return CachedValues.withNonFinite(new CachedValues.FileSource(maps.channel(), rows.size(), layer,
                        precision),
                nonFinite == null || nonFinite.size() <= index ? null : nonFinite.get(index));
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

    /**
     * Opens a complete cache for reading only (the report draws unit masks from it); nothing is written, truncated
     * or deleted. The layers' shapes are the caller's, since the manifest does not record them; a file whose size
     * does not match is an error.
     *
     * @throws JdissectException when the cache is missing, incomplete or unreadable, naming the folder
     */
    public static CacheSnapshot open(Path dir) {
        Path manifest = dir.resolve(ActivationCache.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new JdissectException("no activation cache in " + dir + " (" + ActivationCache.MANIFEST + " is missing); run the "
                    + "dissection again to rebuild it");
        }
        CacheManifest m = CacheManifest.read(dir);
        if (!m.complete()) {
            throw new JdissectException("the activation cache in " + dir + " is incomplete (an interrupted run); "
                    + "run the dissection again to finish it");
        }
        List<String> layers = m.layerNames();
        if (layers == null || layers.size() != m.files().size()
                || m.rows().stream().anyMatch(r -> r == null || r < 0)) {
            throw new JdissectException(manifest + " is malformed: its layers, files and rows do not agree; run the "
                    + "dissection again with --fresh");
        }
        Precision precision = Precision.ofFile(m.files().isEmpty() ? ".f16" : m.files().get(0));
        if (precision == null || m.files().stream().anyMatch(f -> Precision.ofFile(f) != precision)) {
            throw new JdissectException(manifest + " is malformed: its files " + m.files() + " are not all .f16 or "
                    + "all .f32; run the dissection again with --fresh");
        }
        return new CacheSnapshot(dir, precision, Map.copyOf(m.key()), List.copyOf(layers), List.copyOf(m.files()),
                List.copyOf(m.rows()), m.exponents(), m.nonFinite());
    }

    /** One layer of a {@link CacheSnapshot}: positional reads of single unit maps, safe for concurrent use. */
    public record LayerMaps(Path file, FileChannel channel, Precision precision, int images, int units, int height,
                            int width) {
        /**
         * Reads the {@code height x width} map of {@code unit} in cache image {@code image} into {@code dst} as floats
         * (half-precision values widened exactly).
         */
        public void read(int image, int unit, float[] dst) {
            if (image < 0 || image >= images || unit < 0 || unit >= units) {
                throw new IndexOutOfBoundsException("image " + image + " of " + images + ", unit " + unit + " of " + units);
            }
            int n = height * width;
            int size = precision.bytes();
            ByteBuffer bb = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
            long pos = (((long) image * units + unit) * n) * size;
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
            if (precision == Precision.FP32) {
                bb.asFloatBuffer().get(dst, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    dst[i] = org.jdissect.stats.Fp16.toFloat(bb.getShort(2 * i));
                }
            }
        }
    }
}
