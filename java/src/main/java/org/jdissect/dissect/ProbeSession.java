package org.jdissect.dissect;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.io.FileNames;
import org.jdissect.io.Invocation;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.LabelSource;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * A probe opened for a dissection whose passes run elsewhere (the executors of a Spark job): the pieces of
 * {@link Dissection} a distributed run shares with it, so that it caches values, counts labels and writes files with
 * the same code. A worker produces the activations of a range of candidates ({@link #batches}) and their labels
 * ({@link #labels}); the driver writes every layer from the merged statistics ({@link #write}). The probes are a
 * Broden dataset and a folder of images labelled by a segmenter (whose segmentations are one more cached layer,
 * {@link #cachedLayers}, which the labels are read from); a generator's samples are gan-dissect's, on one machine.
 *
 * <p>The single-machine cache converts each layer to half precision with per-unit scales chosen from the first batch
 * that has an image ({@link #chooseExponents}); a distributed run must choose them from the same batch, so its ranges
 * of candidates start at multiples of the batch size ({@link #batches} checks). With {@code --precision fp32} the
 * cache holds the model's floats ({@link #toSingles}), no scales needed.
 */
public final class ProbeSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dissection.class.getName());

    private final Source source;
    private final DissectionOptions options;
    private final OnnxModel.Inference inference;

    private ProbeSession(Source source, DissectionOptions options, OnnxModel.Inference inference) {
        this.source = source;
        this.options = options;
        this.inference = inference;
    }

    /**
     * Opens the probe: its dataset or folder read, its models loaded. A generator's samples (gan-dissect) are refused
     * in one line.
     */
    public static ProbeSession open(Probe probe, DissectionOptions options, OnnxModel.Inference inference) {
        if (probe.layers().isEmpty()) {
            throw new JdissectException("name at least one layer (jdissect layers --model M lists them)");
        }
        DissectionOptions o = options.validate();
        requireDistributable(probe);
        return new ProbeSession(probe instanceof Probe.Broden p ? BrodenSource.open(p, o, inference)
                : FolderSource.open((Probe.SegmentedImages) probe, o, inference), o, inference);
    }

    /** Refuses, in one line, a probe whose passes cannot run elsewhere: a generator's samples. */
    public static void requireDistributable(Probe probe) {
        if (probe instanceof Probe.Generated) {
            throw new JdissectException("--spark dissects a Broden dataset (--data) or a folder of images with a "
                    + "segmenter (--images); gan-dissect runs on one machine");
        }
    }

    /** How many candidate images there are (index rows with a label in the chosen categories, or the folder's). */
    public int candidates() {
        return source.candidates();
    }

    /** The layers dissected, in the order asked. */
    public List<LayerInfo> layers() {
        return source.layers();
    }

    /**
     * What a batch holds and the cache caches per image: the layers, then, where a segmenter labels the images, their
     * segmentation (one unit of label numbers), which {@link #labels} reads.
     */
    public List<LayerInfo> cachedLayers() {
        return source.cachedLayers();
    }

    /** What filling the cache is called in progress lines and timings ("inference", "inference and segmentation"). */
    public String task() {
        return source.task();
    }

    public DissectionOptions options() {
        return options;
    }

    /**
     * One batch of candidates: the source rows whose images were read (ascending), per cached layer their values as
     * the models gave them ({@code [image][unit][y][x]}; empty arrays when no image was read), and why the others were
     * skipped.
     */
    public record Batch(int[] rows, List<float[]> outputs, List<String> skipped) {
    }

    /**
     * The candidates {@code from .. to - 1} run through the model in batches of the options' batch size, as the
     * single-machine run batches them ({@code from} must be a multiple of it), one batch per {@code next()}, images
     * decoded a batch ahead. An unreadable image stops with the single-machine run's message, or is skipped under
     * --skip-bad. Close it when done early; it closes itself after the last batch.
     */
    public Batches batches(int from, int to) {
        int batch = options.batch();
        if (from % batch != 0 || from < 0 || to > candidates() || from > to) {
            throw new IllegalArgumentException("candidates " + from + ".." + to + " of " + candidates()
                    + " in batches of " + batch);
        }
        return new Batches(from, to);
    }

    /** Batches of a range of candidates, pulled one at a time (see {@link #batches}). */
    public final class Batches implements java.util.Iterator<Batch>, AutoCloseable {
        private final int to;
        private int pos;
        private Source.Producer producer;

        private Batches(int from, int to) {
            this.pos = from;
            this.to = to;
        }

        @Override
        public boolean hasNext() {
            if (pos >= to) {
                close();
                return false;
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            if (producer == null) {
                producer = source.producer(pos);
            }
            int end = Math.min(to, pos + options.batch());
            Source.Batch b = producer.next(pos, end);
            pos = end;
            List<float[]> outputs = b.outputs();
            if (outputs == null) {
                outputs = new ArrayList<>();
                for (int l = 0; l < cachedLayers().size(); l++) {
                    outputs.add(new float[0]);
                }
            }
            return new Batch(b.rows(), outputs, b.skipped());
        }

        @Override
        public void close() {
            if (producer != null) {
                producer.close();
                producer = null;
            }
        }
    }

    /** A Broden dataset's index row {@code row}: its image and label maps (a local copy fetches them). */
    public org.jdissect.data.IndexRow indexRow(int row) {
        return broden().brodenDataset().row(row);
    }

    private BrodenSource broden() {
        if (source instanceof BrodenSource b) {
            return b;
        }
        throw new IllegalStateException("a Broden dataset's index rows asked of " + source.getClass().getSimpleName());
    }

    /** The source row of candidate {@code candidate}. */
    public int candidateRow(int candidate) {
        return source.candidateRow(candidate);
    }

    /** Records (report.json, provenance) name the dataset {@code location}: the URI the opened folder copies. */
    public ProbeSession location(String location) {
        broden().location(location);
        return this;
    }

    /**
     * The labels of these source rows, image {@code i} being {@code rows[i]}; {@code cached}: their values of cached
     * layer {@code l} (a segmenter's labels are read from its segmentation, the last of {@link #cachedLayers}).
     */
    public LabelSource labels(int[] rows, java.util.function.IntFunction<ActivationSource> cached) {
        return source.labels(java.util.Arrays.stream(rows).boxed().toList(), cached);
    }

    /** Per unit of {@code layer}, the power of two the cache holds its values at, chosen from this first batch. */
    public static int[] chooseExponents(float[] values, int images, LayerInfo layer) {
        return CachedValues.chooseExponents(values, images, layer);
    }

    /**
     * A batch of {@code layer} in half precision as the cache holds it (scaled by {@code exponents}, non-finite values
     * stored lowest and counted in {@code nonFinite}); returns how many values overflowed even so.
     */
    public static long toHalves(float[] values, int images, LayerInfo layer, int[] exponents, long[] nonFinite,
                                short[] out) {
        return CachedValues.toHalves(values, images, layer, exponents, nonFinite, out);
    }

    /**
     * A batch of {@code layer} in single precision as the cache holds it (non-finite values stored lowest and counted
     * in {@code nonFinite}).
     */
    public static void toSingles(float[] values, int images, LayerInfo layer, long[] nonFinite, float[] out) {
        CachedValues.toSingles(values, images, layer, nonFinite, out);
    }

    /**
     * Opens the activation cache a single-machine run of this probe would write in {@code out/cache}, empty, for
     * batches computed elsewhere ({@link CacheWriter#append}, in candidate order): with it the HTML report can be
     * drawn, and a later run on one machine resumes from it.
     */
    public CacheWriter cacheWriter(Path out) {
        return new CacheWriter(ActivationCache.open(out.resolve(DissectionOutput.CACHE), source.cacheKey(),
                source.cachedLayers(), options.precision(), true, source.candidates(), source.rowCount(),
                source.stamper()));
    }

    /** The cache of a dissection computed elsewhere, filled batch by batch (see {@link #cacheWriter}). */
    public static final class CacheWriter implements AutoCloseable {
        private final ActivationCache cache;
        private int consumed;

        private CacheWriter(ActivationCache cache) {
            this.cache = cache;
        }

        /**
         * The next batch of candidates: the rows read and, per cached layer, their values as the cache holds them
         * (halves at {@code scales}, or floats; {@link ActivationCache#appendConverted}) with their non-finite counts;
         * {@code skipped} candidates of the batch were not read.
         */
        public void append(int[] rows, List<?> values, List<long[]> nonFinite, List<int[]> scales, int skipped) {
            consumed += rows.length + skipped;
            cache.appendConverted(rows, values, nonFinite, scales, consumed);
        }

        /** Marks the cache complete (after the last batch). */
        public void complete() {
            cache.markComplete();
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** Frees the inference session (the driver of a distributed run needs the model's description only). */
    public void release() {
        source.release();
    }

    /**
     * What passes 1 and 2 found for one layer over every cached image.
     *
     * @param stats     thresholds at the cache's scale, top images by cache position (their index in the run's rows)
     * @param exponents per unit, the cache's power-of-two scale
     * @param counts    the tally
     * @param nonFinite per unit, its non-finite values
     * @param timings   seconds per stage, for report.json
     */
    public record LayerPasses(UnitStats stats, int[] exponents, TallyCounts counts, long[] nonFinite,
                              Map<String, Double> timings) {
    }

    /**
     * Writes every layer's files under {@code out} from its statistics, as {@link Dissection} writes them, and
     * returns the result the report is made from.
     *
     * @param rows        the source rows of the images read, ascending (the cache's order)
     * @param skipped     why each skipped candidate was skipped, in candidate order (logged as the run logs them)
     * @param backendName what computed the statistics, for report.json and the provenance
     */
    public DissectionResult write(Path out, List<Integer> rows, List<String> skipped, List<LayerPasses> layers,
                                  String backendName, Invocation invocation) {
        if (rows.isEmpty()) {
            throw new JdissectException("every image of the probe was skipped as unreadable");
        }
        int skippedCount = source.candidates() - rows.size() + source.skippedBefore();
        if (skippedCount - source.skippedBefore() != skipped.size()) {
            throw new IllegalStateException(skipped.size() + " reasons for " + skippedCount + " skipped images");
        }
        Dissection.Writing writing = new Dissection.Writing(source, options, rows, invocation, backendName, null,
                inference);
        List<LayerInfo> infos = source.layers();
        List<String> dirs = FileNames.fileSafe(infos.stream().map(LayerInfo::name).toList());
        List<LayerResult> results = new ArrayList<>();
        for (int l = 0; l < infos.size(); l++) {
            LayerPasses p = layers.get(l);
            LayerResult r = Dissection.computed(infos.get(l), out.resolve(dirs.get(l)), p.stats(), p.exponents(),
                    p.counts(), source.primaryCategory(), p.timings());
            results.add(writing.write(r, p.nonFinite(), skippedCount));
        }
        return new DissectionResult(out, options, source.categories(), List.copyOf(rows), skippedCount,
                List.copyOf(results), Dissection.images(source));
    }

    /** Logs values that overflowed half precision as the single-machine run does. */
    public static void logOverflow(long values) {
        LOG.log(Level.WARNING, Dissection.overflowMessage(values));
    }

    /** Logs a skipped image as the single-machine run does. */
    public static void logSkipped(String why) {
        LOG.log(Level.WARNING, "skipped: " + why);
    }

    @Override
    public void close() {
        source.close();
    }
}
