package org.jdissect.dissect;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.jdissect.JdissectException;
import org.jdissect.data.BrodenDataset;
import org.jdissect.data.ImageDecoder;
import org.jdissect.io.FileNames;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Threads;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.LayerRunner;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.report.LayerReport;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * Network dissection of a CNN on a Broden dataset: one inference per image for all layers into the activation
 * cache, then per layer exact thresholds, top images, the tally and IoU scores, written to {@code OUT/<layer>/}.
 *
 * <pre>{@code
 * DissectionResult result = Dissection.builder()
 *         .model(Path.of("resnet18.onnx")).layers(List.of("layer4"))
 *         .data(Path.of("broden1_224")).out(Path.of("out"))
 *         .run();
 * }</pre>
 */
public final class Dissection {
    private final Builder b;
    /** One decoder per decoding thread: each image is preprocessed before its thread decodes the next. */
    private final ThreadLocal<ImageDecoder> decoder = ThreadLocal.withInitial(ImageDecoder::new);

    private Dissection(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a dissection; every one has a sane default except model, layers, data and out. */
    public static final class Builder {
        private Path model;
        private List<String> layers = List.of();
        private Path data;
        private Path out;
        private List<String> categories = List.of();
        private Preprocessing preprocessing = Preprocessing.IMAGENET;
        private double quantile = 0.005;
        private double iouThreshold = 0.04;
        private int topk = 10;
        private int batch = 32;
        private long memory = 2L << 30;
        private boolean skipBad;
        private boolean fresh;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Backend backend;
        private ProgressListener progress = ProgressListener.NONE;
        private Consumer<String> log = line -> { };

        public Builder model(Path v) { model = v; return this; }
        public Builder layers(List<String> v) { layers = List.copyOf(v); return this; }
        public Builder data(Path v) { data = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        /** Categories to count, in this order; empty means all of the dataset's. */
        public Builder categories(List<String> v) { categories = List.copyOf(v); return this; }
        public Builder preprocessing(Preprocessing v) { preprocessing = v; return this; }
        public Builder quantile(double v) { quantile = v; return this; }
        public Builder iouThreshold(double v) { iouThreshold = v; return this; }
        public Builder topk(int v) { topk = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        /** Activations of a layer up to this many bytes are held in memory; larger ones are read from the cache. */
        public Builder memory(long bytes) { memory = bytes; return this; }
        public Builder skipBad(boolean v) { skipBad = v; return this; }
        /** Ignore an existing activation cache instead of resuming from it. */
        public Builder fresh(boolean v) { fresh = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        /** The statistics backend; by default a {@link CpuBackend} over {@link #threads} threads. */
        public Builder backend(Backend v) { backend = v; return this; }
        public Builder progress(ProgressListener v) { progress = v; return this; }
        /** Receives one line per notable event (resume, skipped images, layer summaries). */
        public Builder log(Consumer<String> v) { log = v; return this; }

        public DissectionResult run() {
            validate();
            return new Dissection(this).execute();
        }

        private void validate() {
            if (model == null || data == null || out == null) {
                throw JdissectException.usage("a dissection needs a model, a dataset and an output directory");
            }
            if (layers.isEmpty()) {
                throw JdissectException.usage("name at least one layer (jdissect layers --model M lists them)");
            }
            if (!(quantile > 0 && quantile < 1)) {
                throw JdissectException.usage("--quantile must be between 0 and 1 (exclusive), got " + quantile);
            }
            if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
                throw JdissectException.usage("--iou-threshold must be between 0 and 1, got " + iouThreshold);
            }
            if (topk < 0) {
                throw JdissectException.usage("--topk must be >= 0, got " + topk);
            }
            if (batch < 1) {
                throw JdissectException.usage("--batch must be >= 1, got " + batch);
            }
            if (threads < 1) {
                throw JdissectException.usage("--threads must be >= 1, got " + threads);
            }
            if (memory < 0) {
                throw JdissectException.usage("--memory must be >= 0, got " + memory);
            }
        }
    }

    private DissectionResult execute() {
        long start = System.nanoTime();
        BrodenDataset dataset = BrodenDataset.open(b.data, b.categories, b.skipBad);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            if (dataset.hasLabels(i)) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            throw new JdissectException("no image in " + b.data.resolve("index.csv") + " has labels in the categories "
                    + dataset.categories());
        }
        Backend backend = b.backend != null ? b.backend : new CpuBackend(b.threads);
        try (OnnxModel model = OnnxModel.load(b.model)) {
            List<LayerInfo> layers;
            ActivationCache cache;
            Map<String, Object> key = cacheKey(model, dataset);
            try (LayerRunner runner = model.runner(b.layers, b.preprocessing, b.threads)) {
                layers = runner.layers();
                checkDistinct(layers);
                cache = ActivationCache.open(b.out.resolve("cache"), key, layers, b.fresh);
                if (cache.complete()) {
                    b.log.accept("resuming: all " + cache.rows().size() + " images are in the activation cache");
                } else {
                    if (cache.consumed() > 0) {
                        b.log.accept("resuming after " + cache.consumed() + " of " + candidates.size() + " images");
                    }
                    infer(dataset, candidates, runner, cache);
                }
            }
            double inferenceSeconds = (System.nanoTime() - start) / 1e9;
            try (cache) {
                List<Integer> rows = cache.rows();
                if (rows.isEmpty()) {
                    throw new JdissectException("every image of " + b.data + " was skipped as unreadable");
                }
                int skipped = candidates.size() - rows.size();
                DissectionInfo info = new DissectionInfo(model.file(), model.fingerprint(), b.data,
                        dataset.fingerprint(), dataset.categories(), dataset, rows, b.preprocessing, b.quantile,
                        b.iouThreshold, b.topk, backend.name(), skipped + dataset.skipped());
                List<LayerResult> results = new ArrayList<>();
                List<String> dirs = FileNames.fileSafe(layers.stream().map(LayerInfo::name).toList());
                for (int l = 0; l < layers.size(); l++) {
                    results.add(dissectLayer(l, layers.get(l), b.out.resolve(dirs.get(l)), cache, dataset, rows,
                            backend, info, inferenceSeconds));
                }
                return new DissectionResult(info, results);
            }
        } finally {
            if (b.backend == null) {
                backend.close();
            }
        }
    }

    private Map<String, Object> cacheKey(OnnxModel model, BrodenDataset dataset) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("model", model.fingerprint());
        key.put("dataset", dataset.fingerprint());
        key.put("categories", dataset.categories());
        key.put("layers", b.layers);
        key.put("preprocessing", b.preprocessing.describe());
        key.put("skipBad", b.skipBad);
        key.put("format", "fp16 [image][unit][y][x] little-endian, v1");
        return key;
    }

    private static void checkDistinct(List<LayerInfo> layers) {
        for (int i = 0; i < layers.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (layers.get(i).name().equals(layers.get(j).name())) {
                    throw JdissectException.usage("layer '" + layers.get(i).name() + "' is named twice");
                }
            }
        }
    }

    /** One decoded, preprocessed image, or the reason it was skipped. */
    private record Prepared(int row, float[] pixels, String error) {
    }

    private void infer(BrodenDataset dataset, List<Integer> candidates, LayerRunner runner, ActivationCache cache) {
        int per = b.preprocessing.valuesPerImage();
        int total = candidates.size();
        int first = cache.consumed();
        ExecutorService decoders = Threads.pool("decode", b.threads);
        // The cache is written on a thread of its own, batch k while batch k + 1 is inferred; one batch at a time
        // waits to be written, which bounds the memory held.
        ExecutorService writer = Threads.pool("cache", 1);
        Future<?> writing = null;
        long lastCommit = System.nanoTime();
        try (ProgressListener.Tracker bar = b.progress.begin("inference", total - first)) {
            List<Future<Prepared>> next = submit(decoders, dataset, candidates, first, per);
            for (int pos = first; pos < total; ) {
                List<Future<Prepared>> current = next;
                int end = Math.min(total, pos + b.batch);
                next = end < total ? submit(decoders, dataset, candidates, end, per) : List.of();
                List<Prepared> ok = new ArrayList<>();
                for (Future<Prepared> f : current) {
                    Prepared p = Threads.await(f);
                    if (p.error() != null) {
                        b.log.accept("skipped: " + p.error());
                    } else {
                        ok.add(p);
                    }
                }
                int[] rows = new int[ok.size()];
                List<float[]> outputs = List.of();
                if (!ok.isEmpty()) {
                    float[] batch = new float[ok.size() * per];
                    for (int i = 0; i < ok.size(); i++) {
                        rows[i] = ok.get(i).row();
                        System.arraycopy(ok.get(i).pixels(), 0, batch, i * per, per);
                    }
                    outputs = runner.run(batch, ok.size());
                } else {
                    outputs = new ArrayList<>();
                    for (LayerInfo li : cache.layers()) {
                        outputs.add(new float[0]);
                    }
                }
                boolean commit = System.nanoTime() - lastCommit > 5_000_000_000L || end == total;
                if (commit) {
                    lastCommit = System.nanoTime();
                }
                if (writing != null) {
                    Threads.await(writing);
                }
                List<float[]> written = outputs;
                int consumed = end;
                writing = writer.submit(() -> {
                    cache.append(rows, written, consumed);
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
            for (Future<Prepared> f : next) {
                f.cancel(true);
            }
        } finally {
            decoders.shutdownNow();
            // not interrupted: an interrupt would close the cache's file channels under a write
            Threads.finishQuietly(writer);
        }
        if (cache.overflowed() > 0) {
            b.log.accept("warning: " + cache.overflowed() + " activation values exceed the half-precision range "
                    + "(65504) and were cached as infinities");
        }
        cache.markComplete();
    }

    private List<Future<Prepared>> submit(ExecutorService pool, BrodenDataset dataset, List<Integer> candidates,
                                          int from, int per) {
        int end = Math.min(candidates.size(), from + b.batch);
        List<Future<Prepared>> futures = new ArrayList<>(end - from);
        for (int i = from; i < end; i++) {
            int row = candidates.get(i);
            futures.add(pool.submit(() -> {
                try {
                    BufferedImage image = dataset.readImage(row, decoder.get());
                    float[] pixels = new float[per];
                    b.preprocessing.apply(image, pixels, 0);
                    dataset.readLabels(row); // a corrupt label map fails here, not after the whole inference
                    return new Prepared(row, pixels, null);
                } catch (JdissectException e) {
                    if (!b.skipBad) {
                        throw e;
                    }
                    return new Prepared(row, null, e.getMessage());
                }
            }));
        }
        return futures;
    }

    private LayerResult dissectLayer(int index, LayerInfo layer, Path dir, ActivationCache cache,
                                     BrodenDataset dataset, List<Integer> rows, Backend backend,
                                     DissectionInfo info, double inferenceSeconds) {
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("inference (all layers)", inferenceSeconds);
        ActivationSource acts = cache.source(index, b.memory);
        long t0 = System.nanoTime();
        UnitStats stats;
        try (ProgressListener.Tracker bar = b.progress.begin(layer.name() + ": thresholds (2 passes)", 2L * rows.size())) {
            stats = backend.unitStats(acts, b.quantile, b.topk, bar);
        }
        long t1 = System.nanoTime();
        TallyCounts counts;
        try (ProgressListener.Tracker bar = b.progress.begin(layer.name() + ": tally", rows.size())) {
            counts = backend.tally(acts, stats.thresholds(), new DatasetLabels(dataset, rows), bar);
        }
        long t2 = System.nanoTime();
        timings.put("thresholds", (t1 - t0) / 1e9);
        timings.put("tally", (t2 - t1) / 1e9);
        List<Scoring.UnitScore> scores = Scoring.score(counts, dataset.primaryCategory());
        LayerResult result = new LayerResult(layer, dir, stats, counts, scores, timings);
        LayerReport.write(result, info.reportContext());
        Summary s = Summary.of(scores, dataset.categories(), b.iouThreshold);
        b.log.accept(layer.name() + ": " + s.headline(b.iouThreshold));
        return result;
    }
}
