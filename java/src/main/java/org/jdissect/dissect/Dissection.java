package org.jdissect.dissect;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.jdissect.JdissectException;
import org.jdissect.io.FileNames;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Provenance;
import org.jdissect.io.Threads;
import org.jdissect.io.Words;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.Precision;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * Network dissection, one pipeline for every {@link Probe}: one inference per image for all layers into the
 * activation cache (resumable), then per layer exact thresholds and top images (pass 1), the tally against the
 * probe's labels (pass 2), IoU scores, and the layer's files in {@code OUT/<layer>/}. The probes differ only in
 * where images and labels come from (a Broden dataset; a folder of images and a segmenter; a generator and a
 * segmenter), which {@link Source} hides.
 *
 * <pre>{@code
 * DissectionResult result = Dissection.builder()
 *         .model(Path.of("resnet18.onnx")).layers(List.of("layer4"))
 *         .data(Path.of("broden1_224")).out(Path.of("out"))
 *         .run();
 * }</pre>
 *
 * Progress goes to the {@link ProgressListener}; notable events (resuming, skipped images, each layer's headline)
 * to the {@link System.Logger} named after this class.
 */
public final class Dissection {
    private static final System.Logger LOG = System.getLogger(Dissection.class.getName());
    /** How often the cache's manifest is brought up to date while it fills: what a killed run loses at most. */
    private static final long COMMIT_NANOS = 5_000_000_000L;

    private final Builder b;
    private final DissectionOptions o;

    private Dissection(Builder b, DissectionOptions o) {
        this.b = b;
        this.o = o;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What to dissect ({@link #probe}, or for a Broden dataset {@link #model}, {@link #layers}, {@link #data}), where
     * to write it, and the {@link DissectionOptions}, each of which has a default.
     */
    public static final class Builder {
        private Probe probe;
        private Path model;
        private List<String> layers = List.of();
        private Path data;
        private List<String> categories = List.of();
        private Preprocessing preprocessing = Preprocessing.IMAGENET;
        private Path out;
        private DissectionOptions options = DissectionOptions.defaults();
        private OnnxModel.Inference inference = OnnxModel.Inference.CPU;
        private Backend backend;
        private java.util.function.IntFunction<Backend> backendOpener;
        private ProgressListener progress = ProgressListener.NONE;
        private Invocation invocation;

        /** What to dissect; instead of it, model, layers and data name a Broden probe. */
        public Builder probe(Probe v) { probe = v; return this; }
        /** Broden probe: the network. */
        public Builder model(Path v) { model = v; return this; }
        /** Broden probe: the layers (tensor names), all from one inference. */
        public Builder layers(List<String> v) { layers = List.copyOf(v); return this; }
        /** Broden probe: the dataset folder. */
        public Builder data(Path v) { data = v; return this; }
        /** Broden probe: the categories to count, in this order; empty means all of the dataset's. */
        public Builder categories(List<String> v) { categories = List.copyOf(v); return this; }
        /** Broden probe: how images are prepared for the network (default {@link Preprocessing#IMAGENET}). */
        public Builder preprocessing(Preprocessing v) { preprocessing = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder options(DissectionOptions v) { options = v; return this; }
        public Builder quantile(double v) { options = options.withQuantile(v); return this; }
        public Builder iouThreshold(double v) { options = options.withIouThreshold(v); return this; }
        public Builder topk(int v) { options = options.withTopk(v); return this; }
        public Builder batch(int v) { options = options.withBatch(v); return this; }
        /** Activations of a layer up to this many bytes are held in memory; larger ones are read from the cache. */
        public Builder memory(long bytes) { options = options.withMemory(bytes); return this; }
        public Builder threads(int v) { options = options.withThreads(v); return this; }
        /** Ignore an existing activation cache instead of resuming from it. */
        public Builder fresh(boolean v) { options = options.withFresh(v); return this; }
        public Builder skipBad(boolean v) { options = options.withSkipBad(v); return this; }
        /** How the activation cache holds values (fp16 by default; fp32: statistics exact for the model's floats). */
        public Builder precision(Precision v) { options = options.withPrecision(v); return this; }
        /** Where the models run (default the CPU). */
        public Builder inference(OnnxModel.Inference v) { inference = v; return this; }
        /** The statistics backend; by default a {@link CpuBackend} over the options' threads. */
        public Builder backend(Backend v) { backend = v; return this; }
        /**
         * The statistics backend, opened with the options' threads once the probe's model, layers and data have
         * been checked (so a mistyped layer is reported before "no usable GPU"), and closed at the end.
         */
        public Builder backend(java.util.function.IntFunction<Backend> opener) { backendOpener = opener; return this; }
        public Builder progress(ProgressListener v) { progress = v; return this; }
        /** Who runs it, for the provenance; by default this Java process ({@link Invocation#current}). */
        public Builder invocation(Invocation v) { invocation = v; return this; }

        public DissectionResult run() {
            DissectionOptions o = options.validate();
            if (out == null) {
                throw new JdissectException("a dissection needs an output directory");
            }
            if (probe == null) {
                if (model == null || data == null) {
                    throw new JdissectException("a dissection needs a model, a dataset and an output directory");
                }
                probe = new Probe.Broden(model, layers, preprocessing, data, categories);
            }
            if (probe.layers().isEmpty()) {
                throw new JdissectException("name at least one layer (jdissect layers --model M lists them)");
            }
            if (invocation == null) {
                invocation = Invocation.current();
            }
            return new Dissection(this, o).execute();
        }
    }

    private Source open() {
        if (b.probe instanceof Probe.Broden p) {
            return BrodenSource.open(p, o, b.inference);
        }
        if (b.probe instanceof Probe.SegmentedImages p) {
            return FolderSource.open(p, o, b.inference);
        }
        return GeneratorSource.open((Probe.Generated) b.probe, o, b.inference);
    }

    private DissectionResult execute() {
        long start = System.nanoTime();
        try (Source source = open();
             Backend owned = b.backend != null ? null
                     : b.backendOpener != null ? b.backendOpener.apply(o.threads()) : new CpuBackend(o.threads());
             ActivationCache cache = ActivationCache.open(b.out.resolve(DissectionOutput.CACHE), source.cacheKey(),
                     source.cachedLayers(), o.precision(), o.fresh(), source.candidates(), source.rowCount(),
                     source.stamper())) {
            if (cache.complete()) {
                LOG.log(Level.INFO, "resuming: all " + cache.rows().size() + " " + source.noun()
                        + " are in the activation cache");
            } else {
                if (cache.consumed() > 0) {
                    LOG.log(Level.INFO, "resuming after " + cache.consumed() + " of " + source.candidates() + " "
                            + source.noun());
                }
                fill(source, cache);
            }
            source.release();
            Backend backend = b.backend != null ? b.backend : owned;
            double inferenceSeconds = (System.nanoTime() - start) / 1e9;
            List<Integer> rows = cache.rows();
            if (rows.isEmpty()) {
                throw new JdissectException("every image of the probe was skipped as unreadable");
            }
            int skipped = source.candidates() - rows.size() + source.skippedBefore();
            Writing writing = new Writing(source, o, rows, b.invocation, backend.name(), backend.cuda(),
                    b.inference);
            long memory = memoryBudget(o.memory());
            List<LayerInfo> layers = source.layers();
            List<String> dirs = FileNames.fileSafe(layers.stream().map(LayerInfo::name).toList());
            List<LayerResult> results = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                LayerResult r = dissectLayer(l, layers.get(l), b.out.resolve(dirs.get(l)), cache, source, backend,
                        source.task() + (layers.size() > 1 ? " (all layers)" : ""), inferenceSeconds, memory);
                results.add(writing.write(r, cache.nonFinite(l), skipped));
            }
            return new DissectionResult(b.out, o, source.categories(), rows, skipped, List.copyOf(results),
                    images(source));
        }
    }

    /**
     * How a computed layer becomes its files: the naming, provenance and settings every layer of a run shares, and
     * the writing itself. Shared with a dissection whose passes ran elsewhere ({@link ProbeSession}), so that both
     * write the same files from the same statistics.
     */
    static final class Writing {
        private final Source source;
        private final List<Integer> rows;
        private final Naming naming;
        private final Provenance provenance;
        private final LayerRecord.Settings settings;

        Writing(Source source, DissectionOptions o, List<Integer> rows, Invocation invocation, String backendName,
                String cuda, OnnxModel.Inference inference) {
            this.source = source;
            this.rows = rows;
            this.naming = new Naming(source.categories(), source::labelName,
                    i -> source.imageName(rows.get(i)), i -> source.imageLine(rows.get(i)));
            this.provenance = invocation.provenance(source.models(), source.dataset(), source.seeds(),
                    backendName, inference.name().toLowerCase(java.util.Locale.ROOT),
                    OnnxModel.runtimeVersion(), cuda);
            boolean single = o.precision() == Precision.FP32;
            this.settings = new LayerRecord.Settings(source.categories(), o.quantile(),
                    "exact linear-interpolation percentile over " + (single ? "fp32 activations (as the model gave them)"
                            : "fp16-cached activations"),
                    "PIL resize(BILINEAR) in mode F, bit for bit: taps and sums in double, float after each pass",
                    o.iouThreshold(), o.topk(), backendName + (single && cuda != null
                            ? "; fp32 statistics on the CPU" : ""), o.precision().label());
        }

        /** Records and writes a computed layer ({@code r} without its record); returns it with the record. */
        LayerResult write(LayerResult r, long[] nonFinite, int skipped) {
            LayerRecord.Source record = source.record(rows.size(), skipped);
            r = new LayerResult(r.layer(), r.directory(), r.stats(), r.counts(), r.scores(), r.timings(),
                    LayerFiles.record(r, naming, provenance, record, settings, nonFinite));
            LayerFiles.write(r, source.primaryCategory(), naming);
            source.writeExtras(r, rows, r.directory());
            LOG.log(Level.INFO, r.layer().name() + ": " + r.record().summary().headline());
            return r;
        }
    }

    /**
     * A layer's result from its pass-1 statistics (at the cache's scale, top images by cache position) and its
     * tally: the scores, and the statistics in the model's units.
     */
    static LayerResult computed(LayerInfo layer, Path dir, UnitStats stats, int[] exponents, TallyCounts counts,
                                int[] primaryCategory, Map<String, Double> timings) {
        List<Scoring.UnitScore> scores = Scoring.score(counts, primaryCategory);
        return new LayerResult(layer, dir, unscaled(stats, exponents), counts, scores, timings, null);
    }

    /** Where the report finds the probe's images: a dataset's or a folder's files (none for generated ones). */
    static ImageStore images(Source source) {
        if (source instanceof BrodenSource s) {
            return ImageStore.of(s.brodenDataset());
        }
        if (source instanceof FolderSource s) {
            return ImageStore.of(s.folder());
        }
        return null;
    }

    /**
     * Fills the cache: batches of candidates through the source's models, each batch written to the cache on a
     * thread of its own while the next is computed (one batch in flight, which bounds the memory held).
     */
    private void fill(Source source, ActivationCache cache) {
        int total = source.candidates();
        int first = cache.consumed();
        ExecutorService writer = Threads.pool("cache", 1);
        Future<?> writing = null;
        long lastCommit = System.nanoTime();
        try (ProgressListener.Tracker bar = b.progress.begin(source.task(), total - first);
             Source.Producer producer = source.producer(first)) {
            for (int pos = first; pos < total; ) {
                int end = Math.min(total, pos + o.batch());
                Source.Batch batch = producer.next(pos, end);
                for (String why : batch.skipped()) {
                    LOG.log(Level.WARNING, "skipped: " + why);
                }
                List<float[]> outputs = batch.outputs();
                if (outputs == null) {
                    outputs = new ArrayList<>();
                    for (int l = 0; l < cache.layers().size(); l++) {
                        outputs.add(new float[0]);
                    }
                }
                boolean commit = System.nanoTime() - lastCommit > COMMIT_NANOS || end == total;
                if (commit) {
                    lastCommit = System.nanoTime();
                }
                if (writing != null) {
                    Threads.await(writing);
                }
                List<float[]> written = outputs;
                int consumed = end;
                writing = writer.submit(() -> {
                    cache.append(batch.rows(), written, consumed);
                    if (commit) {
                        cache.commit();
                    }
                });
                bar.advance(end - pos);
                pos = end;
            }
            if (writing != null) {
                Threads.await(writing);
            }
        } finally {
            // not interrupted: an interrupt would close the cache's file channels under a write
            Threads.finishQuietly(writer);
        }
        if (cache.overflowed() > 0) {
            // a unit scaled for its first batch's tiny values can overflow later: its statistics are those of the
            // cached infinities (resized as PIL resizes them: inf, or NaN where a weight is 0), not the model's values
            LOG.log(Level.WARNING, overflowMessage(cache.overflowed()));
        }
        cache.markComplete();
    }

    /** The warning for values that overflowed half precision, the same from a run on one machine or on Spark. */
    static String overflowMessage(long values) {
        return values + " activation values exceed the half-precision range (65504, after their unit's scale) and "
                + "were cached as infinities, so their units' masks are not the model's; --precision fp32 caches the "
                + "model's values as they are";
    }

    /**
     * The memory budget for a layer's activations: {@code asked}, but at most half of what this Java heap may grow
     * to (the rest is for the statistics' buffers and the labels), saying so when that is less than asked: a budget
     * the heap cannot hold ends in an OutOfMemoryError instead of reading the layer from its file.
     */
    private static long memoryBudget(long asked) {
        long room = Runtime.getRuntime().maxMemory() / 2;
        if (asked > room) {
            // the default budget meeting a small heap is no news; a budget asked for is
            LOG.log(asked == DissectionOptions.MEMORY_BYTES ? Level.DEBUG : Level.INFO, "--memory " + org.jdissect.io.Sizes.format(asked) + " is more than half of this Java "
                    + "heap (" + org.jdissect.io.Sizes.format(Runtime.getRuntime().maxMemory()) + "): layers over "
                    + org.jdissect.io.Sizes.format(room) + " are read from the cache file (a larger heap: "
                    + "JDISSECT_JAVA_OPTS=-Xmx...)");
            return room;
        }
        return asked;
    }

    private LayerResult dissectLayer(int index, LayerInfo layer, Path dir, ActivationCache cache, Source source,
                                     Backend backend, String inferenceTask, double inferenceSeconds, long memory) {
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put(inferenceTask, inferenceSeconds);
        ActivationSource acts = cache.source(index, memory);
        sayHowCached(layer, cache.exponents(index), cache.nonFinite(index));
        int n = acts.images();
        long t0 = System.nanoTime();
        UnitStats stats;
        int passes = backend.passes(acts);
        try (ProgressListener.Tracker bar = b.progress.begin(layer.name() + ": thresholds ("
                + passes + " passes)", (long) passes * n)) {
            stats = backend.unitStats(acts, o.quantile(), o.topk(), bar);
        }
        long t1 = System.nanoTime();
        TallyCounts counts;
        try (ProgressListener.Tracker bar = b.progress.begin(layer.name() + ": tally", n)) {
            counts = backend.tally(acts, stats.thresholds(), source.labels(cache.rows(),
                    l -> cache.source(l, memory)), bar);
        }
        long t2 = System.nanoTime();
        timings.put("thresholds", (t1 - t0) / 1e9);
        timings.put("tally", (t2 - t1) / 1e9);
        return computed(layer, dir, stats, cache.exponents(index), counts, source.primaryCategory(), timings);
    }

    /** Thresholds and maxima in the model's own units: the cache's per-unit powers of two undone, exactly. */
    private static UnitStats unscaled(UnitStats stats, int[] exponents) {
        if (java.util.Arrays.stream(exponents).allMatch(e -> e == 0)) {
            return stats;
        }
        float[] t = stats.thresholds().clone();
        float[][] top = new float[t.length][];
        for (int u = 0; u < t.length; u++) {
            t[u] = t[u] == Float.MAX_VALUE ? t[u] : Math.scalb(t[u], -exponents[u]);
            top[u] = stats.topValues()[u].clone();
            for (int k = 0; k < top[u].length; k++) {
                top[u][k] = Math.scalb(top[u][k], -exponents[u]);
            }
        }
        return new UnitStats(t, stats.topImages(), top);
    }

    /** The lines a layer's cache is worth: units cached with a scale, units with non-finite values. */
    private static void sayHowCached(LayerInfo layer, int[] exponents, long[] nonFinite) {
        List<String> scaled = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int u = 0; u < exponents.length; u++) {
            if (exponents[u] != 0 && scaled.size() < 8) {
                scaled.add(Integer.toString(u + 1));
            }
            if (nonFinite[u] != 0 && bad.size() < 8) {
                bad.add((u + 1) + " (" + nonFinite[u] + ")");
            }
        }
        long scaledUnits = java.util.Arrays.stream(exponents).filter(e -> e != 0).count();
        long badUnits = java.util.Arrays.stream(nonFinite).filter(c -> c != 0).count();
        if (scaledUnits > 0) {
            LOG.log(Level.INFO, layer.name() + ": " + Words.counted(scaledUnits, "unit")
                    + " with values outside half precision's range (units " + String.join(", ", scaled)
                    + (scaledUnits > scaled.size() ? ", ..." : "") + ") cached at a power-of-two scale: results as "
                    + "for the unscaled values");
        }
        if (badUnits > 0) {
            LOG.log(Level.WARNING, layer.name() + ": " + Words.counted(badUnits, "unit")
                    + " with non-finite activations (NaN or infinite; unit (values): " + String.join(", ", bad)
                    + (badUnits > bad.size() ? ", ..." : "") + "): left out of thresholds and top images, and no "
                    + "mask pixel that interpolates one; report.json counts them per unit");
        }
    }
}
