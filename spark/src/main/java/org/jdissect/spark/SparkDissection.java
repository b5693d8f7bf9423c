package org.jdissect.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.TaskCompletionListener;
import org.jdissect.JdissectException;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;
import org.jdissect.dissect.ProbeSession;
import org.jdissect.io.Invocation;
import org.jdissect.io.Progress;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.ArrayActivations;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.FloatActivations;
import org.jdissect.stats.Precision;
import org.jdissect.stats.RadixSelection;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * A dissection as a Spark job, with the results of {@code jdissect dissect} byte for byte.
 *
 * <p>The candidates are cut into ranges of whole batches, one per partition. For a half-precision cache a first task
 * chooses the per-unit scales from the run's first batch, as the single-machine cache does. Each task then runs its
 * range through the model (and, for a folder of images, the segmenter; a session borrowed from its executor,
 * {@link Sessions}), converts the batches as the cache would hold them (halves at the scales, or the model's floats
 * with {@code --precision fp32}), and they are persisted on the executors' disks: a lost partition is recomputed
 * from the images by Spark. Passes over the persisted activations compute what the single-machine backend computes
 * in one place, as sums: the counts of the first 8 bits of every value's order key and the top images (pass 1a), the
 * counts of each next 8 bits within the bins of each unit's quantile (pass 1b: once for 16-bit keys, three times for
 * 32-bit ones), and the tally (pass 2; a segmenter's labels read from the batch's cached segmentation), each merged
 * with {@code treeReduce}. The driver reads the thresholds off the merged counts and writes the files with the
 * single-machine code ({@link RadixSelection}, {@link ProbeSession#write}).
 *
 * <p>Driver memory: each pass's partials are merged in a tree, so the driver holds one partial per partition of the
 * last level (about the square root of the partitions: 13 for 200) plus the running sum; a tally partial is
 * {@code 8 (U x L + U x C + L + U)} bytes.
 */
public final class SparkDissection {

    /**
     * The setting for how many partitions the candidates are cut into (at most one per batch); by default three per
     * core of the job, so that a slow task is a third of a core's share.
     */
    public static final String PARTITIONS = "spark.jdissect.partitions";

    private final JavaSparkContext sc;
    private final int partitions;
    private final TaskHook hook;

    /**
     * Something each task runs first, with its pass ("inference", "coarse", "fine", "tally"), partition number and
     * attempt: the tests' way of making a task fail once, or an executor die, at a chosen point. {@link #NONE} in use.
     */
    @FunctionalInterface
    interface TaskHook extends java.io.Serializable {
        void before(String pass, int partition, int attempt);

        /** Runs the hook for the task running on this thread. */
        default void run(String pass) {
            TaskContext task = TaskContext.get();
            before(pass, task.partitionId(), task.attemptNumber());
        }
    }

    static final TaskHook NONE = (s, p, a) -> { };

    SparkDissection(JavaSparkContext sc, int partitions, TaskHook hook) {
        this.sc = sc;
        this.partitions = partitions;
        this.hook = hook;
    }

    /** A job on {@code sc}, with {@link #PARTITIONS} partitions. */
    public SparkDissection(JavaSparkContext sc) {
        this(sc, 0, NONE);
    }

    /**
     * Dissects {@code probe}, writing under {@code out} what {@code jdissect dissect} writes (tally.csv, report.json,
     * thresholds.csv, topk.csv, iou.csv per layer), and returns the result the report is made from.
     */
    public DissectionResult run(Probe probe, Path out, DissectionOptions options, OnnxModel.Inference inference,
                                ProgressListener progress, Invocation invocation) {
        return run(probe, null, out, options, inference, progress, invocation);
    }

    /**
     * As {@link #run(Probe, Path, DissectionOptions, OnnxModel.Inference, ProgressListener, Invocation)}, with the
     * dataset at {@code dataUri} (hdfs://, s3a://, file://: read where the tasks run, through Hadoop's file systems),
     * the probe's own folder unused; null: the probe's folder.
     */
    public DissectionResult run(Probe probe, String dataUri, Path out, DissectionOptions options,
                                OnnxModel.Inference inference, ProgressListener progress, Invocation invocation) {
        long start = System.nanoTime();
        JobSpec spec = JobSpec.of(probe, dataUri, options, inference, taskThreads(sc.getConf()),
                hadoopSettings(sc.getConf()));
        ProbeSession session = ProbeSession.open(spec.probe(), options, inference);
        if (dataUri != null) {
            session.location(dataUri);
        }
        JavaRDD<Partials.Batch> persisted = null;
        try {
            session.release(); // the driver only describes the model: the executors run it
            // the batches hold every cached layer (with a segmenter, its segmentation last); the statistics are those
            // of the first `dissected`
            List<LayerInfo> layers = session.layers();
            int dissected = layers.size();
            int[] dims = dims(session.cachedLayers());
            Precision precision = options.precision();
            int n = session.candidates();
            int wanted = partitions > 0 ? partitions
                    : sc.getConf().getInt(PARTITIONS, sc.defaultParallelism() * 3);
            List<int[]> ranges = ranges(n, options.batch(), wanted);
            TaskHook hook = this.hook;
            // The cache's half-precision scales come from the run's first batch with an image, as on one machine:
            // one task runs the first batches until one has an image (the first, unless its images are unreadable).
            // A single-precision cache holds the floats as they are.
            List<int[]> first = precision == Precision.FP32 ? null : collect(() -> sc.parallelize(List.of(0), 1)
                    .map(x -> firstScales(spec, n, dims)).collect()).get(0);
            List<int[]> scales = first != null ? first : zeroScales(dims);
            // Every range through the model, converted as the cache holds it, and persisted on the executors' disks:
            // a lost partition is recomputed from its images.
            JavaRDD<Partials.Batch> halves = sc.parallelize(ranges, ranges.size())
                    .mapPartitions(it -> inference(spec, it.next(), hook, dims, scales))
                    .persist(StorageLevel.DISK_ONLY());
            persisted = halves;
            List<Partials.Meta> metas;
            Map<String, Double> timings = new LinkedHashMap<>();
            try (ProgressListener.Tracker bar = progress.begin("inference (spark, " + ranges.size()
                    + " partitions)", n)) {
                metas = collect(() -> halves.mapPartitions(SparkDissection::meta).collect());
                bar.advance(n);
            }
            List<Integer> rows = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (Partials.Meta m : metas) {
                Arrays.stream(m.rows()).forEach(rows::add);
                skipped.addAll(m.skipped());
            }
            skipped.forEach(ProbeSession::logSkipped);
            if (rows.isEmpty()) {
                throw new JdissectException("every image of the probe was skipped as unreadable");
            }
            timings.put(session.task() + (layers.size() > 1 ? " (all layers)" : ""), seconds(start));

            int depth = depth(ranges.size());
            int topk = options.topk();
            int threads = spec.threads();
            // digits of 8 bits: a unit's partial is at most 512 counters, whatever the precision
            int[] digits = RadixSelection.mergedDigits(options.precision());

            long t0 = System.nanoTime();
            Partials.Coarse coarse = collect(() -> halves.mapPartitions(it -> {
                hook.run("coarse");
                return coarse(it, dims, dissected, precision, digits[0], topk, threads);
            }).treeReduce(Partials.Coarse::plus, depth));
            if (coarse.overflowed() > 0) {
                ProbeSession.logOverflow(coarse.overflowed());
            }
            List<RadixSelection.Cut> cuts = new ArrayList<>();
            for (int l = 0; l < dissected; l++) {
                cuts.add(RadixSelection.cut(coarse.layers().get(l), coarse.nonFinite().get(l), options.quantile()));
            }
            for (int d = 1; d < digits.length; d++) {
                int bits = digits[d];
                List<RadixSelection.Cut> at = List.copyOf(cuts);
                Partials.Fine fine = collect(() -> halves.mapPartitions(it -> {
                    hook.run("fine");
                    return fine(it, dims, at, bits, threads);
                }).treeReduce(Partials.Fine::plus, depth));
                for (int l = 0; l < layers.size(); l++) {
                    cuts.set(l, RadixSelection.next(cuts.get(l), bits, fine.layers().get(l)));
                }
            }
            int[] positions = rows.stream().mapToInt(Integer::intValue).toArray(); // ascending: cache order
            List<UnitStats> stats = new ArrayList<>();
            List<float[]> thresholds = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                UnitStats s = RadixSelection.finish(coarse.layers().get(l), cuts.get(l), coarse.nonFinite().get(l),
                        options.quantile());
                stats.add(byPosition(s, positions));
                thresholds.add(s.thresholds());
            }
            long t1 = System.nanoTime();
            Partials.Tally tally = collect(() -> halves.mapPartitions(it -> {
                hook.run("tally");
                return tally(it, spec, dims, thresholds);
            }).treeReduce(Partials.Tally::plus, depth));
            long t2 = System.nanoTime();
            if (sc.isLocal() && dataUri == null) {
                writeCache(session, out, halves, scales);
            }
            timings.put("thresholds", (t1 - t0) / 1e9);
            timings.put("tally", (t2 - t1) / 1e9);

            List<ProbeSession.LayerPasses> passes = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                passes.add(new ProbeSession.LayerPasses(stats.get(l), scales.get(l), tally.layers().get(l),
                        coarse.nonFinite().get(l), timings));
            }
            return session.write(out, rows, skipped, passes, "spark " + sc.master() + " (" + ranges.size()
                    + " partitions; cpu statistics, " + threads + " thread" + (threads == 1 ? "" : "s")
                    + " per task)", invocation);
        } finally {
            if (persisted != null) {
                persisted.unpersist(false); // a failed job's too: the caller's context may go on
            }
            session.close();
            Sessions.close(spec);
        }
    }

    /**
     * In local mode, where the executors are this JVM: the activation cache a single-machine run would leave in
     * {@code out/cache}, the same bytes, streamed partition by partition from the persisted batches, so that the HTML
     * report can be drawn and a later run on one machine resumes from it. (On a cluster the activations stay on the
     * executors' disks: gathering them would move every activation to the driver.)
     */
    private static void writeCache(ProbeSession session, Path out, JavaRDD<Partials.Batch> halves,
                                   List<int[]> scales) {
        try (ProbeSession.CacheWriter cache = session.cacheWriter(out)) {
            Iterator<Partials.Batch> batches = halves.toLocalIterator();
            while (batches.hasNext()) {
                Partials.Batch b = batches.next();
                cache.append(b.rows(), b.halves() != null ? b.halves() : b.singles(), b.nonFinite(), scales,
                        b.skipped().size());
            }
            cache.complete();
        }
    }

    /** The job's Hadoop settings (spark.hadoop.x=v is Hadoop's x=v), for the tasks that read a dataset URI. */
    static Map<String, String> hadoopSettings(SparkConf conf) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (scala.Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) {
            out.put(kv._1(), kv._2());
        }
        return out;
    }

    /** Threads per task: the cores Spark gives a task. */
    static int taskThreads(SparkConf conf) {
        return Math.max(1, conf.getInt("spark.task.cpus", 1));
    }

    /**
     * Candidate ranges of whole batches (so that every batch is one the single-machine run also makes), about
     * {@code wanted} of them, none empty.
     */
    static List<int[]> ranges(int candidates, int batch, int wanted) {
        int batches = (candidates + batch - 1) / batch;
        int parts = Math.max(1, Math.min(batches, wanted));
        List<int[]> out = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) batches * p / parts) * batch;
            int to = (int) Math.min(candidates, (long) batches * (p + 1) / parts * batch);
            out.add(new int[] {from, to});
        }
        return out;
    }

    /** The tree's depth: at most about 16 partials reach the driver (2 levels up to 256 partitions, then 3). */
    static int depth(int partitions) {
        return partitions <= 16 ? 1 : partitions <= 256 ? 2 : 3;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Per layer: units, height, width. */
    private static int[] dims(List<LayerInfo> layers) {
        int[] d = new int[layers.size() * 3];
        for (int l = 0; l < layers.size(); l++) {
            d[3 * l] = layers.get(l).channels();
            d[3 * l + 1] = layers.get(l).height();
            d[3 * l + 2] = layers.get(l).width();
        }
        return d;
    }

    private static LayerInfo info(int[] dims, int l) {
        return new LayerInfo("layer" + l, "", dims[3 * l], dims[3 * l + 1], dims[3 * l + 2]);
    }

    // ------------------------------------------------------------------ tasks

    /**
     * The scales of the run's first batch with an image (null when no candidate has one): the candidates from the
     * first on, in the run's batches, until a batch has an image.
     */
    private static List<int[]> firstScales(JobSpec spec, int candidates, int[] dims) {
        ProbeSession session = Sessions.borrow(spec);
        int batch = spec.batch();
        try (ProbeSession.Batches batches = session.batches(0, candidates)) {
            for (int pos = 0; batches.hasNext(); pos += batch) {
                if (spec.hadoopData()) { // this batch's files, and the next's, which are decoded ahead
                    for (int c = pos; c < Math.min(candidates, pos + 2 * batch); c++) {
                        spec.hadoopCopy().fetch(session.indexRow(session.candidateRow(c)));
                    }
                }
                ProbeSession.Batch b = batches.next();
                if (b.rows().length > 0) {
                    List<int[]> scales = new ArrayList<>();
                    for (int l = 0; l < dims.length / 3; l++) {
                        scales.add(ProbeSession.chooseExponents(b.outputs().get(l), b.rows().length, info(dims, l)));
                    }
                    return scales;
                }
            }
            return null;
        } catch (JdissectException e) {
            throw new JdissectException(spec.unlocal(e.getMessage()), e);
        } finally {
            Sessions.giveBack(spec, session);
        }
    }

    private static List<int[]> zeroScales(int[] dims) {
        List<int[]> zeros = new ArrayList<>();
        for (int l = 0; l < dims.length / 3; l++) {
            zeros.add(new int[dims[3 * l]]);
        }
        return zeros;
    }

    /**
     * A partition's range through the model, batch by batch, each in half precision as the cache holds it, with a
     * borrowed session given back at the end.
     */
    private static Iterator<Partials.Batch> inference(JobSpec spec, int[] range, TaskHook hook, int[] dims,
                                                          List<int[]> scales) {
        TaskContext task = TaskContext.get();
        hook.run("inference");
        ProbeSession session = Sessions.borrow(spec);
        if (spec.hadoopData()) {
            HadoopData copy = spec.hadoopCopy();
            for (int c = range[0]; c < range[1]; c++) {
                copy.fetch(session.indexRow(session.candidateRow(c)));
            }
        }
        ProbeSession.Batches batches = session.batches(range[0], range[1]);
        task.addTaskCompletionListener((TaskCompletionListener) ctx -> {
            batches.close();
            if (!ctx.isInterrupted() && !ctx.isFailed()) {
                Sessions.giveBack(spec, session);
            } else {
                session.close(); // it may be mid-inference on another thread
            }
        });
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public Partials.Batch next() {
                ProbeSession.Batch b;
                try {
                    b = batches.next();
                } catch (JdissectException e) {
                    throw new JdissectException(spec.unlocal(e.getMessage()), e);
                }
                return converted(b, dims, spec.cachePrecision(), scales,
                        b.skipped().stream().map(spec::unlocal).toList());
            }
        };
    }

    private static Iterator<Partials.Meta> meta(Iterator<Partials.Batch> batches) {
        List<Integer> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        while (batches.hasNext()) {
            Partials.Batch b = batches.next();
            Arrays.stream(b.rows()).forEach(rows::add);
            skipped.addAll(b.skipped());
        }
        return List.of(new Partials.Meta(rows.stream().mapToInt(Integer::intValue).toArray(), skipped)).iterator();
    }

    /** A batch as the cache holds it: in half precision at the scales, or in single precision. */
    private static Partials.Batch converted(ProbeSession.Batch b, int[] dims, Precision precision,
                                            List<int[]> exponents, List<String> skipped) {
        int layers = dims.length / 3;
        boolean single = precision == Precision.FP32;
        List<short[]> halves = single ? null : new ArrayList<>();
        List<float[]> singles = single ? new ArrayList<>() : null;
        List<long[]> nonFinite = new ArrayList<>();
        long overflowed = 0;
        for (int l = 0; l < layers; l++) {
            float[] v = b.outputs().get(l);
            long[] bad = new long[dims[3 * l]];
            int images = b.rows().length;
            if (single) {
                float[] f = new float[v.length];
                if (images > 0) {
                    ProbeSession.toSingles(v, images, info(dims, l), bad, f);
                }
                singles.add(f);
            } else {
                short[] h = new short[v.length];
                if (images > 0) {
                    overflowed += ProbeSession.toHalves(v, images, info(dims, l), exponents.get(l), bad, h);
                }
                halves.add(h);
            }
            nonFinite.add(bad);
        }
        return new Partials.Batch(b.rows(), halves, singles, nonFinite, overflowed, skipped);
    }

    private static ActivationSource activations(Partials.Batch b, int[] dims, int l) {
        int n = b.rows().length;
        return b.halves() != null
                ? new ArrayActivations(b.halves().get(l), n, dims[3 * l], dims[3 * l + 1], dims[3 * l + 2])
                : new FloatActivations(b.singles().get(l), n, dims[3 * l], dims[3 * l + 1], dims[3 * l + 2]);
    }

    private static Iterator<Partials.Coarse> coarse(Iterator<Partials.Batch> batches, int[] dims, int layers,
                                                    Precision precision, int bits, int topk, int threads) {
        List<RadixSelection.Coarse> sum = new ArrayList<>();
        List<long[]> bad = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            sum.add(RadixSelection.Coarse.empty(precision, bits, dims[3 * l]));
            bad.add(new long[dims[3 * l]]);
        }
        long overflowed = 0;
        try (CpuBackend cpu = new CpuBackend(threads)) {
            while (batches.hasNext()) {
                Partials.Batch b = batches.next();
                if (b.rows().length == 0) {
                    continue;
                }
                int[] rows = b.rows();
                for (int l = 0; l < layers; l++) {
                    // images known by source row: rows grow with the cache position, so ties break the same way
                    RadixSelection.Coarse c = RadixSelection.coarse(cpu, activations(b, dims, l), bits, topk,
                            i -> rows[i], Progress.NONE);
                    sum.set(l, sum.get(l).plus(c, topk));
                    bad.set(l, RadixSelection.plus(bad.get(l), b.nonFinite().get(l)));
                }
                overflowed += b.overflowed();
            }
        }
        return List.of(new Partials.Coarse(sum, bad, overflowed, topk)).iterator();
    }

    private static Iterator<Partials.Fine> fine(Iterator<Partials.Batch> batches, int[] dims,
                                                List<RadixSelection.Cut> cuts, int bits, int threads) {
        int layers = cuts.size();
        List<long[]> sum = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            sum.add(new long[dims[3 * l] * 2 << bits]);
        }
        try (CpuBackend cpu = new CpuBackend(threads)) {
            while (batches.hasNext()) {
                Partials.Batch b = batches.next();
                if (b.rows().length == 0) {
                    continue;
                }
                for (int l = 0; l < layers; l++) {
                    sum.set(l, RadixSelection.plus(sum.get(l),
                            RadixSelection.refine(cpu, activations(b, dims, l), cuts.get(l), bits, Progress.NONE)));
                }
            }
        }
        return List.of(new Partials.Fine(sum)).iterator();
    }

    private static Iterator<Partials.Tally> tally(Iterator<Partials.Batch> batches, JobSpec spec, int[] dims,
                                                  List<float[]> thresholds) {
        int layers = thresholds.size();
        List<TallyCounts> sum = new ArrayList<>(Collections.nCopies(layers, null));
        ProbeSession session = Sessions.borrow(spec);
        try (CpuBackend cpu = new CpuBackend(spec.threads())) {
            while (batches.hasNext()) {
                Partials.Batch b = batches.next();
                if (b.rows().length == 0) {
                    continue;
                }
                if (spec.hadoopData()) { // a new executor's copy has not the rows of the lost one
                    for (int row : b.rows()) {
                        spec.hadoopCopy().fetch(session.indexRow(row));
                    }
                }
                for (int l = 0; l < layers; l++) {
                    TallyCounts t = cpu.tally(activations(b, dims, l), thresholds.get(l),
                            session.labels(b.rows(), c -> activations(b, dims, c)), Progress.NONE);
                    sum.set(l, sum.get(l) == null ? t : addInto(sum.get(l), t));
                }
            }
            for (int l = 0; l < layers; l++) {
                if (sum.get(l) == null) { // a partition of unreadable images only
                    var labels = session.labels(new int[0], c -> null); // its shape only
                    sum.set(l, TallyCounts.zero(dims[3 * l], labels.numLabels(), labels.numCategories()));
                }
            }
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
        Sessions.giveBack(spec, session);
        return List.of(new Partials.Tally(sum)).iterator();
    }

    /**
     * {@code sum} with a batch's tally added, its arrays added to in place: they are the task's own, and a layer of
     * 2,048 units and 1,200 labels would otherwise allocate 20 MB per batch ({@link TallyCounts#plus} copies).
     */
    private static TallyCounts addInto(TallyCounts sum, TallyCounts t) {
        add(sum.intersection(), t.intersection());
        add(sum.activation(), t.activation());
        add(sum.labelPixels(), t.labelPixels());
        add(sum.maskPixels(), t.maskPixels());
        return new TallyCounts(sum.units(), sum.numLabels(), sum.numCategories(), sum.images() + t.images(),
                sum.intersection(), sum.activation(), sum.labelPixels(), sum.maskPixels());
    }

    private static void add(long[] into, long[] more) {
        for (int i = 0; i < into.length; i++) {
            into[i] += more[i];
        }
    }

    // ------------------------------------------------------------------ driver

    /** The top images numbered by cache position (their index among the rows read), as the files name them. */
    private static UnitStats byPosition(UnitStats s, int[] rows) {
        int[][] top = new int[s.topImages().length][];
        for (int u = 0; u < top.length; u++) {
            top[u] = new int[s.topImages()[u].length];
            for (int k = 0; k < top[u].length; k++) {
                top[u][k] = Arrays.binarySearch(rows, s.topImages()[u][k]);
            }
        }
        return new UnitStats(s.thresholds(), top, s.topValues());
    }

    @FunctionalInterface
    private interface Action<T> {
        T run();
    }

    /**
     * Runs a Spark action; a failed job whose cause is a user's error (an unreadable image without --skip-bad) ends
     * in that error's one line, as the single-machine run does, not in Spark's stage-failure report.
     */
    private static <T> T collect(Action<T> action) {
        try {
            return action.run();
        } catch (Exception e) { // SparkException is checked, and Scala does not declare it
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof JdissectException j) {
                    throw new JdissectException(j.getMessage(), e);
                }
            }
            String text = String.valueOf(e.getMessage());
            String marker = JdissectException.class.getName() + ": ";
            int at = text.indexOf(marker);
            if (at >= 0) {
                String line = text.substring(at + marker.length()).lines().findFirst().orElse("");
                throw new JdissectException(line, e);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
