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
import org.jdissect.stats.Precision;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * A Broden probe opened for a dissection whose passes run elsewhere (the executors of a Spark job): the pieces of
 * {@link Dissection} a distributed run shares with it, so that it caches values, counts labels and writes files with
 * the same code. A worker produces the activations of a range of candidates ({@link #produce}) and their labels
 * ({@link #labels}); the driver writes every layer from the merged statistics ({@link #write}).
 *
 * <p>The single-machine cache converts each layer to half precision with per-unit scales chosen from the first batch
 * that has an image ({@link #chooseExponents}); a distributed run must choose them from the same batch, so its ranges
 * of candidates start at multiples of the batch size ({@link #produce} checks).
 */
public final class ProbeSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dissection.class.getName());

    private final BrodenSource source;
    private final DissectionOptions options;
    private final OnnxModel.Inference inference;

    private ProbeSession(BrodenSource source, DissectionOptions options, OnnxModel.Inference inference) {
        this.source = source;
        this.options = options;
        this.inference = inference;
    }

    /**
     * Opens the probe: its dataset read, its model loaded; the distributed statistics are those of half-precision
     * caches of a Broden dataset, so other probes and {@code --precision fp32} are refused in one line.
     */
    public static ProbeSession open(Probe probe, DissectionOptions options, OnnxModel.Inference inference) {
        if (!(probe instanceof Probe.Broden broden)) {
            throw new JdissectException("--spark dissects a Broden dataset (--data DIR); --images with a segmenter "
                    + "runs on one machine (leave out --spark)");
        }
        if (options.precision() != Precision.FP16) {
            throw new JdissectException("--spark computes from half-precision activations: --precision must be fp16 "
                    + "(the default) with --spark, got " + options.precision().label());
        }
        if (broden.layers().isEmpty()) {
            throw new JdissectException("name at least one layer (jdissect layers --model M lists them)");
        }
        return new ProbeSession(BrodenSource.open(broden, options.validate(), inference), options.validate(),
                inference);
    }

    /** How many candidate images there are (index rows with a label in the chosen categories). */
    public int candidates() {
        return source.candidates();
    }

    /** The layers dissected, in the order asked. */
    public List<LayerInfo> layers() {
        return source.layers();
    }

    public DissectionOptions options() {
        return options;
    }

    /**
     * One batch of candidates: the source rows whose images were read (ascending), per layer their activations as the
     * model gave them ({@code [image][unit][y][x]}; empty arrays when no image was read), and why the others were
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
                for (int l = 0; l < layers().size(); l++) {
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

    /** The index row of source row {@code row}: its image and label maps (a local copy fetches them). */
    public org.jdissect.data.IndexRow indexRow(int row) {
        return source.brodenDataset().row(row);
    }

    /** The source row of candidate {@code candidate}. */
    public int candidateRow(int candidate) {
        return source.candidateRow(candidate);
    }

    /** Records (report.json, provenance) name the dataset {@code location}: the URI the opened folder copies. */
    public ProbeSession location(String location) {
        source.location(location);
        return this;
    }

    /** The labels of these source rows, image {@code i} being {@code rows[i]}. */
    public LabelSource labels(int[] rows) {
        return new DatasetLabels(source.brodenDataset(), java.util.Arrays.stream(rows).boxed().toList());
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
     * Opens the activation cache a single-machine run of this probe would write in {@code out/cache}, empty, for
     * batches computed elsewhere ({@link CacheWriter#append}, in candidate order): with it the HTML report can be
     * drawn, and a later run on one machine resumes from it.
     */
    public CacheWriter cacheWriter(Path out) {
        return new CacheWriter(ActivationCache.open(out.resolve(DissectionOutput.CACHE), source.cacheKey(),
                source.cachedLayers(), Precision.FP16, true, source.candidates(), source.rowCount(),
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
         * The next batch of candidates: the rows read and, per layer, their values in half precision at
         * {@code scales} with their non-finite counts; {@code skipped} candidates of the batch were not read.
         */
        public void append(int[] rows, List<short[]> halves, List<long[]> nonFinite, List<int[]> scales,
                           int skipped) {
            consumed += rows.length + skipped;
            cache.appendHalves(rows, halves, nonFinite, scales, consumed);
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
                List.copyOf(results), ImageStore.of(source.brodenDataset()));
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
