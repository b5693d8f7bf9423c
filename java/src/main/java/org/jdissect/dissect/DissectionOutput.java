package org.jdissect.dissect;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageFolder;
import org.jdissect.io.FileNames;
import org.jdissect.io.Provenance;
import org.jdissect.stats.LabelSource;

/**
 * A dissection's output folder read back: its layers' records in the order of the run, the activation cache they
 * were computed from, and the images they looked at. What the report, {@code explain} and the intervention commands
 * read of a dissection, in one place.
 */
public final class DissectionOutput implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DissectionOutput.class.getName());
    /** The activation cache's folder in OUT. */
    public static final String CACHE = "cache";

    /** A layer of the output: its folder name under OUT and its record. */
    public record Layer(String dir, LayerRecord record) {
        public String name() {
            return record.layer().name();
        }
    }

    private final Path out;
    private final List<Layer> layers;
    private final CacheSnapshot cache;
    private final DissectionResult inMemory;

    private DissectionOutput(Path out, List<Layer> layers, CacheSnapshot cache, DissectionResult inMemory) {
        this.out = out;
        this.layers = List.copyOf(layers);
        this.cache = cache;
        this.inMemory = inMemory;
    }

    /**
     * A generator's unit's top samples side by side, best first, in its layer's folder {@code layerDir}
     * ({@code top/unit_0001.png}): gan-dissect keeps no other picture of its samples.
     */
    public static Path topSamples(Path layerDir, int unit) {
        return layerDir.resolve("top").resolve(String.format("unit_%04d.png", unit));
    }

    /** The folder of layer {@code layer} in the output {@code out}. */
    public static Path layerDir(Path out, String layer) {
        return out.resolve(FileNames.fileSafe(layer));
    }

    /**
     * Whether {@code dir} holds an activation cache (its manifest): what the report's unit pictures are drawn from,
     * absent where a Spark job on a cluster kept the activations on its executors.
     */
    public static boolean hasCache(Path dir) {
        return Files.isRegularFile(dir.resolve(CACHE).resolve(ActivationCache.MANIFEST));
    }

    /** Whether {@code dir} is a dissection's output: an activation cache and at least one layer's report.json. */
    public static boolean isAt(Path dir) {
        if (!hasCache(dir)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.anyMatch(LayerRecord::isIn);
        } catch (IOException e) {
            return false;
        }
    }

    /** The dissection output that {@code dir} is or lies in, up to three folders up. */
    public static Optional<Path> find(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        for (int up = 0; up <= 3 && d != null; up++, d = d.getParent()) {
            if (isAt(d)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads the output in {@code out}: each layer of its activation cache whose report.json is from the run that
     * wrote the cache; a layer without one is left out with a warning.
     *
     * @throws JdissectException when the cache is missing or incomplete, or no layer can be read
     */
    public static DissectionOutput open(Path out) {
        if (!Files.isDirectory(out)) {
            throw new JdissectException("no dissection output in " + out + " (not a folder)");
        }
        CacheSnapshot cache = CacheSnapshot.open(out.resolve(CACHE));
        try {
            // a segmenter's labels are cached as the last "layer"
            List<String> names = cache.key().containsKey("segmenter")
                    ? cache.layers().subList(0, cache.layers().size() - 1) : cache.layers();
            List<String> dirs = FileNames.fileSafe(names);
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Path dir = out.resolve(dirs.get(i));
                if (!LayerRecord.isIn(dir)) {
                    LOG.log(Level.WARNING, "report: layer " + names.get(i) + " left out: "
                            + dir.resolve(LayerRecord.FILE) + " is missing");
                    continue;
                }
                LayerRecord r = LayerRecord.read(dir);
                if (!sameRun(r, cache)) {
                    LOG.log(Level.WARNING, "report: layer " + names.get(i) + " left out: " + dir.resolve(LayerRecord.FILE)
                            + " is from another run than the activation cache (model or dataset differ)");
                    continue;
                }
                layers.add(new Layer(dirs.get(i), r));
            }
            if (layers.isEmpty()) {
                throw new JdissectException("nothing to report in " + out + ": no layer of the activation cache ("
                        + String.join(", ", names) + ") has a report.json from the same run");
            }
            return new DissectionOutput(out, layers, cache, null);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    /** The dissection that just ran, in memory: its records and open images, and its cache read from OUT. */
    public static DissectionOutput of(DissectionResult result) {
        CacheSnapshot cache = CacheSnapshot.open(result.out().resolve(CACHE));
        List<Layer> layers = new ArrayList<>();
        for (LayerResult r : result.layers()) {
            layers.add(new Layer(r.directory().getFileName().toString(), r.record()));
        }
        return new DissectionOutput(result.out(), layers, cache, result);
    }

    /** A record is of the cache's run when its first model and its dataset are the ones the cache was made from. */
    private static boolean sameRun(LayerRecord r, CacheSnapshot cache) {
        Map<String, Object> key = cache.key();
        Object model = key.containsKey("model") ? key.get("model") : key.get("generator");
        List<Provenance.Model> models = r.provenance() == null ? List.of() : r.provenance().models();
        if (models.isEmpty() || !models.get(0).sha256().equals(String.valueOf(model))) {
            return false;
        }
        String dataset = r.source() instanceof LayerRecord.Source.Broden b ? b.fingerprint()
                : r.source() instanceof LayerRecord.Source.SegmentedImages s ? s.fingerprint() : null;
        return dataset == null || dataset.equals(String.valueOf(key.get("dataset")));
    }

    public Path out() {
        return out;
    }

    /** The layers, in the order of the run. */
    public List<Layer> layers() {
        return layers;
    }

    /** The first layer's record: what every layer of a run shares (provenance, source, settings). */
    public LayerRecord first() {
        return layers.get(0).record();
    }

    public CacheSnapshot cache() {
        return cache;
    }

    /** Whether the images were generated (no dataset: each unit's top samples are pictures in its folder). */
    public boolean generated() {
        return first().source() instanceof LayerRecord.Source.Generated;
    }

    /** The layer named {@code name}, or an error listing the layers there are. */
    public Layer layer(String name) {
        for (Layer l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new JdissectException(out + " has no dissection of layer '" + name + "'; it has: "
                + String.join(", ", layers.stream().map(Layer::name).toList()));
    }

    /**
     * The images the dissection read: from memory where it just ran, else opened again from where the record says
     * (or {@code moved}, when the dataset has moved since) and checked against the fingerprint it records. Null for
     * generated samples.
     */
    public ImageStore images(Path moved) {
        if (inMemory != null && moved == null) {
            return inMemory.images();
        }
        LayerRecord first = first();
        Path where = out.resolve(layers.get(0).dir()).resolve(LayerRecord.FILE);
        if (first.source() instanceof LayerRecord.Source.Broden) {
            return ImageStore.of(dataset(moved));
        }
        if (first.source() instanceof LayerRecord.Source.SegmentedImages s) {
            Path dir = moved != null ? moved : Path.of(s.folder());
            if (!Files.isDirectory(dir)) {
                throw missing(dir, moved != null, "image folder", s.folder(), where, "not a folder");
            }
            ImageFolder folder = ImageFolder.open(dir);
            checkFingerprint(folder.fingerprint(), s.fingerprint(), dir, where, moved == null,
                    "its files or their sizes differ");
            return ImageStore.of(folder);
        }
        return null;
    }

    /**
     * The Broden dataset the dissection read, opened again from where the record says (or {@code moved}) with its
     * categories and checked against the fingerprint it records.
     *
     * @throws JdissectException when the dissection did not read a Broden dataset, or the dataset is gone or changed
     */
    public BrodenDataset dataset(Path moved) {
        LayerRecord first = first();
        Path where = out.resolve(layers.get(0).dir()).resolve(LayerRecord.FILE);
        if (!(first.source() instanceof LayerRecord.Source.Broden b)) {
            throw new JdissectException(where + " is a dissection of " + (generated() ? "a generator's samples"
                    : "segmented images") + ", not of a Broden dataset");
        }
        Path dir = moved != null ? moved : Path.of(b.dataset());
        if (!Files.isRegularFile(dir.resolve("index.csv"))) {
            throw missing(dir, moved != null, "Broden dataset", b.dataset(), where, "index.csv is missing");
        }
        BrodenDataset ds = BrodenDataset.open(dir, first.settings().categories(), b.skipBad());
        checkFingerprint(ds.fingerprint(), b.fingerprint(), dir, where, moved == null,
                "its index.csv, label.csv or category.csv differ");
        return ds;
    }

    /** The labels of the cached images, in cache order, from {@code dataset} (see {@link #dataset}). */
    public LabelSource labels(BrodenDataset dataset) {
        return new DatasetLabels(dataset, cache.rows());
    }

    private JdissectException missing(Path dir, boolean given, String what, String recorded, Path where, String why) {
        if (given) {
            return new JdissectException("no " + what + " in " + dir + " (" + why + ")");
        }
        return new JdissectException("the " + what + " " + recorded + " that " + where + " names is not there "
                + "(moved or deleted?); to draw the unit images, say where it is now: jdissect report " + out
                + " --data DIR");
    }

    private static void checkFingerprint(String actual, String expected, Path dir, Path where, boolean hint,
                                         String differ) {
        if (!actual.equals(expected)) {
            throw new JdissectException("the dataset in " + dir + " is not the one dissected: " + differ
                    + " (fingerprint " + actual + ", " + where + " records " + expected + ")"
                    + (hint ? "; give the right one with --data DIR" : ""));
        }
    }

    /** The dissection's time from its timings: inference once (every layer records the shared pass), then each layer's statistics. */
    public double dissectionSeconds() {
        double total = 0;
        boolean inference = false;
        for (Layer l : layers) {
            for (Map.Entry<String, Double> e : l.record().timingsSeconds().entrySet()) {
                boolean shared = e.getKey().startsWith("inference") || e.getKey().startsWith("generation");
                if (!shared || !inference) {
                    total += e.getValue();
                }
                inference |= shared;
            }
        }
        return total;
    }

    @Override
    public void close() {
        cache.close();
    }
}
