package org.jdissect.dissect;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jdissect.JdissectException;
import org.jdissect.data.ImageLabels;
import org.jdissect.io.FileNames;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.GeneratedImages;
import org.jdissect.model.Generator;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.Segmenter;
import org.jdissect.model.SegmenterLabels;
import org.jdissect.report.GanImages;
import org.jdissect.report.LayerReport;
import org.jdissect.report.ReportContext;
import org.jdissect.stats.ActivationSource;
import org.jdissect.stats.Backend;
import org.jdissect.stats.CpuBackend;
import org.jdissect.stats.Fp16;
import org.jdissect.stats.LabelSource;
import org.jdissect.stats.TallyCounts;
import org.jdissect.stats.UnitStats;

/**
 * GAN dissection: seeded latents through a generator split at a layer; the generated images labelled by a
 * segmentation model; then the same thresholds, tally and IoU as for a CNN, with the segmenter's classes as the
 * concepts. The layer's activations and the segmentations go to the activation cache (segmentations as a one-unit
 * "layer" of label numbers, exact in half precision up to 2,048 classes), so a run resumes like a CNN dissection.
 */
public final class GanDissection {
    static final String SEGMENTATION = "segmentation";

    private final Builder b;

    private GanDissection(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path generator;
        private String layer;
        private Path segmenter;
        private Path segmenterLabels;
        private java.util.function.Function<int[], Preprocessing> segmenterPreprocessing;
        private float rangeLow = -1f;
        private float rangeHigh = 1f;
        private int samples = 1000;
        private long seed = 1;
        private double quantile = 0.005;
        private double iouThreshold = 0.04;
        private int topk = 10;
        private int batch = 16;
        private long memory = 2L << 30;
        private boolean fresh;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Backend backend;
        private Path out;
        private ProgressListener progress = ProgressListener.NONE;
        private Consumer<String> log = line -> { };

        public Builder generator(Path v) { generator = v; return this; }
        public Builder layer(String v) { layer = v; return this; }
        public Builder segmenter(Path v) { segmenter = v; return this; }
        public Builder segmenterLabels(Path v) { segmenterLabels = v; return this; }
        /** How generated images (0..255 RGB) are prepared for the segmenter; default: its size, scale 255, no mean. */
        public Builder segmenterPreprocessing(Preprocessing v) { segmenterPreprocessing = size -> v; return this; }
        /** The segmenter's preprocessing as a function of the generated image's height and width. */
        public Builder segmenterPreprocessing(java.util.function.Function<int[], Preprocessing> v) {
            segmenterPreprocessing = v;
            return this;
        }
        /** The generator's output range, mapped to 0..255 (default -1..1, a tanh output). */
        public Builder outputRange(float lo, float hi) { rangeLow = lo; rangeHigh = hi; return this; }
        public Builder samples(int v) { samples = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder quantile(double v) { quantile = v; return this; }
        public Builder iouThreshold(double v) { iouThreshold = v; return this; }
        public Builder topk(int v) { topk = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder memory(long v) { memory = v; return this; }
        public Builder fresh(boolean v) { fresh = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder backend(Backend v) { backend = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder progress(ProgressListener v) { progress = v; return this; }
        public Builder log(Consumer<String> v) { log = v; return this; }

        public GanDissectionResult run() {
            if (generator == null || layer == null || segmenter == null || segmenterLabels == null || out == null) {
                throw JdissectException.usage("GAN dissection needs a generator, a layer, a segmenter, its labels "
                        + "file and an output directory");
            }
            if (samples < 1 || batch < 1 || topk < 0 || threads < 1) {
                throw JdissectException.usage("--samples, --batch and --threads must be >= 1, --topk >= 0");
            }
            if (!(quantile > 0 && quantile < 1) || !(iouThreshold >= 0 && iouThreshold <= 1)) {
                throw JdissectException.usage("--quantile must be in (0, 1) and --iou-threshold in [0, 1]");
            }
            if (!(rangeHigh > rangeLow)) {
                throw JdissectException.usage("the output range must have high > low, got " + rangeLow + ","
                        + rangeHigh);
            }
            return new GanDissection(this).execute();
        }
    }

    private GanDissectionResult execute() {
        SegmenterLabels labels = SegmenterLabels.read(b.segmenterLabels);
        if (labels.numLabels() > 2049) {
            throw new JdissectException(b.segmenterLabels + ": at most 2,048 classes are supported, it lists "
                    + labels.classes());
        }
        Backend backend = b.backend != null ? b.backend : new CpuBackend(b.threads);
        try (OnnxModel genModel = OnnxModel.load(b.generator);
             OnnxModel segModel = OnnxModel.load(b.segmenter);
             Generator gen = Generator.open(genModel, b.layer, b.threads)) {
            int[] shape = gen.imageShape();
            Preprocessing segPre = b.segmenterPreprocessing != null
                    ? b.segmenterPreprocessing.apply(new int[] {shape[1], shape[2]})
                    : new Preprocessing(shape[1], shape[2], Preprocessing.ChannelOrder.RGB, 255f,
                            new float[] {0, 0, 0}, new float[] {1, 1, 1});
            try (Segmenter seg = Segmenter.open(segModel, labels, segPre, b.threads)) {
                LayerInfo layer = gen.layer();
                LayerInfo segInfo = new LayerInfo(SEGMENTATION, "argmax", 1, seg.height(), seg.width());
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("generator", genModel.fingerprint());
                key.put("layer", b.layer);
                key.put("segmenter", segModel.fingerprint());
                key.put("labels", labels.names());
                key.put("segmenter_preprocessing", segPre.describe());
                key.put("range", List.of(b.rangeLow, b.rangeHigh));
                key.put("seed", b.seed);
                key.put("samples", b.samples);
                key.put("format", "gan v1: layer fp16, segmentation label numbers as fp16");
                long start = System.nanoTime();
                try (ActivationCache cache = ActivationCache.open(b.out.resolve("cache"), key,
                        List.of(layer, segInfo), b.fresh)) {
                    if (cache.complete()) {
                        b.log.accept("resuming: all " + b.samples + " samples are in the cache");
                    } else {
                        if (cache.consumed() > 0) {
                            b.log.accept("resuming after " + cache.consumed() + " of " + b.samples + " samples");
                        }
                        generate(gen, seg, cache);
                    }
                    double generation = (System.nanoTime() - start) / 1e9;
                    return analyse(gen, labels, layer, cache, backend, genModel, segModel, segPre, generation);
                }
            }
        } finally {
            if (b.backend == null) {
                backend.close();
            }
        }
    }

    private void generate(Generator gen, Segmenter seg, ActivationCache cache) {
        int[] shape = gen.imageShape();
        try (ProgressListener.Tracker bar = b.progress.begin("generate + segment", b.samples - cache.consumed())) {
            for (int first = cache.consumed(); first < b.samples; first += b.batch) {
                int n = Math.min(b.batch, b.samples - first);
                Generator.Head head = gen.head(gen.latents(b.seed, first, n), n);
                float[] images = gen.tail(head, n);
                List<BufferedImage> rgb = GeneratedImages.toRgb(images, n, shape[1], shape[2], b.rangeLow,
                        b.rangeHigh);
                int[] labels = seg.segment(rgb);
                float[] asFloats = new float[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    asFloats[i] = labels[i];
                }
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = first + i;
                }
                cache.append(rows, List.of(head.values(), asFloats), first + n);
                cache.commit();
                bar.advance(n);
            }
        }
        cache.markComplete();
    }

    private GanDissectionResult analyse(Generator gen, SegmenterLabels labels, LayerInfo layer, ActivationCache cache,
                                        Backend backend, OnnxModel genModel, OnnxModel segModel,
                                        Preprocessing segPre, double generation) {
        ActivationSource acts = cache.source(0, b.memory);
        ActivationSource segs = cache.source(1, b.memory);
        long t0 = System.nanoTime();
        UnitStats stats;
        try (ProgressListener.Tracker bar = b.progress.begin("thresholds (2 passes)", 2L * acts.images())) {
            stats = backend.unitStats(acts, b.quantile, b.topk, bar);
        }
        long t1 = System.nanoTime();
        TallyCounts counts;
        try (ProgressListener.Tracker bar = b.progress.begin("tally", acts.images())) {
            counts = backend.tally(acts, stats.thresholds(), segmentationLabels(segs, labels), bar);
        }
        long t2 = System.nanoTime();
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("generation and segmentation", generation);
        timings.put("thresholds", (t1 - t0) / 1e9);
        timings.put("tally", (t2 - t1) / 1e9);
        List<Scoring.UnitScore> scores = Scoring.score(counts, labels.primaryCategory());
        Path dir = b.out.resolve(FileNames.fileSafe(layer.name()));
        LayerResult result = new LayerResult(layer, dir, stats, counts, scores, timings);

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("generator", b.generator.toString());
        settings.put("generator_sha256", genModel.fingerprint());
        settings.put("segmenter", b.segmenter.toString());
        settings.put("segmenter_sha256", segModel.fingerprint());
        settings.put("segmenter_labels", b.segmenterLabels.toString());
        settings.put("segmenter_preprocessing", segPre.describe());
        settings.put("output_range", List.of(b.rangeLow, b.rangeHigh));
        settings.put("samples", acts.images());
        settings.put("seed", b.seed);
        settings.put("categories", labels.categories());
        settings.put("quantile", b.quantile);
        settings.put("iou_threshold", b.iouThreshold);
        settings.put("topk", b.topk);
        settings.put("backend", backend.name());
        ReportContext ctx = new ReportContext(labels.categories(), labels::labelName,
                i -> "sample " + i + " of seed " + b.seed, i -> i, settings, b.iouThreshold);
        LayerReport.write(result, ctx);
        IouTable.write(dir.resolve("iou.csv"), counts, labels.primaryCategory(), labels::labelName);
        GanImages.writeTopImages(dir.resolve("top"), gen, stats, b.seed, b.rangeLow, b.rangeHigh);
        Summary s = Summary.of(scores, labels.categories(), b.iouThreshold);
        b.log.accept(layer.name() + ": " + s.headline(b.iouThreshold));
        return new GanDissectionResult(ctx, result, labels);
    }

    /** The cached segmentations as labels: one pixel layer per sample, no image-level labels. */
    static LabelSource segmentationLabels(ActivationSource segs, SegmenterLabels labels) {
        int[] primary = labels.primaryCategory();
        return new LabelSource() {
            @Override
            public int numLabels() {
                return labels.numLabels();
            }

            @Override
            public int numCategories() {
                return labels.categories().size();
            }

            @Override
            public int[] primaryCategory() {
                return primary;
            }

            @Override
            public ImageLabels labels(int image) {
                int hw = segs.height() * segs.width();
                short[] buf = new short[hw];
                segs.read(image, 1, buf);
                int[] layer = new int[hw];
                for (int p = 0; p < hw; p++) {
                    layer[p] = (int) Fp16.toFloat(buf[p]);
                }
                return new ImageLabels(segs.height(), segs.width(), new int[][] {layer}, new int[0]);
            }
        };
    }
}
