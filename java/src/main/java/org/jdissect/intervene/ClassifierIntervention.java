package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import org.jdissect.JdissectException;
import org.jdissect.io.Invocation;
import org.jdissect.io.Provenance;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.SplitRunner;
import org.jdissect.stats.Backend;
import org.jdissect.stats.Outputs;

/**
 * Unit ablation experiments on a classifier: the model is split at the layer, the head runs once per image into a
 * {@link HeadCache}, and each experiment re-runs only the tail through an {@link Ablator}.
 *
 * <pre>{@code
 * try (ClassifierIntervention ci = ClassifierIntervention.open(model, layer, data, null, pre, 32, 2, backend,
 *         OnnxModel.Inference.CPU, ProgressListener.NONE)) {
 *     RankResult rank = ci.rank(Replace.ZERO);
 *     CurveResult curves = ci.curve(rank, List.of(1, 2, 4, 8), -1, Replace.ZERO);
 * }
 * }</pre>
 */
public final class ClassifierIntervention implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClassifierIntervention.class.getName());

    public enum Replace { ZERO, MEAN }

    /** Which images an experiment is scored on. */
    public enum Part { ALL, TRAIN, HELD_OUT }

    private final OnnxModel model;
    private final Preprocessing preprocessing;
    private final Backend backend;
    private final SplitRunner runner;
    private final LabelledImages data;
    private final ClassMapping mapping;
    private final HeadCache cache;
    private final Ablator ablator;
    private final double confidence;
    private final ProgressListener progress;
    private final double headSeconds;

    private ClassifierIntervention(OnnxModel model, Preprocessing preprocessing, Backend backend, SplitRunner runner,
                                   LabelledImages data, ClassMapping mapping, HeadCache cache, Ablator ablator,
                                   double confidence, ProgressListener progress, double headSeconds) {
        this.model = model;
        this.preprocessing = preprocessing;
        this.backend = backend;
        this.runner = runner;
        this.data = data;
        this.mapping = mapping;
        this.cache = cache;
        this.ablator = ablator;
        this.confidence = confidence;
        this.progress = progress;
        this.headSeconds = headSeconds;
    }

    /**
     * Loads the model, splits it at {@code layer}, maps the data's classes to its outputs ({@code classesFile}, or
     * by name order when null) and runs the head over every image.
     */
    public static ClassifierIntervention open(Path modelFile, String layer, LabelledImages data, Path classesFile,
                                              Preprocessing pre, int batch, int threads, Backend backend,
                                              OnnxModel.Inference inference, ProgressListener progress) {
        return open(modelFile, layer, data, classesFile, pre, batch, threads, backend, inference, progress, l -> { });
    }

    /**
     * As {@link #open(Path, String, LabelledImages, Path, Preprocessing, int, int, Backend, OnnxModel.Inference,
     * ProgressListener)}, with {@code check} given the layer before any image is read, so that requests beyond it
     * (a unit it does not have) fail at once, not after the head has run over every image.
     */
    public static ClassifierIntervention open(Path modelFile, String layer, LabelledImages data, Path classesFile,
                                              Preprocessing pre, int batch, int threads, Backend backend,
                                              OnnxModel.Inference inference, ProgressListener progress,
                                              java.util.function.Consumer<LayerInfo> check) {
        if (batch < 1) {
            throw new JdissectException("--batch must be >= 1, got " + batch);
        }
        OnnxModel model = OnnxModel.load(modelFile, inference);
        SplitRunner runner = null;
        try {
            LayerInfo info = model.layer(layer, pre);
            check.accept(info);
            runner = SplitRunner.open(model, layer, threads);
            String input = model.inputName();
            long[] imageShape = {3, pre.height(), pre.width()};
            int fixed = fixedBatch(model);
            long t0 = System.nanoTime();
            HeadCache cache;
            try (ProgressListener.Tracker bar = progress.begin("head (" + layer + ")", data.items().size())) {
                cache = HeadCache.build(runner, info, input, imageShape, data.items().size(), (i, dst, off) -> {
                    BufferedImage img = data.read(i);
                    pre.apply(img, dst, off);
                }, batch, fixed, bar);
            }
            double headSeconds = (System.nanoTime() - t0) / 1e9;
            Ablator ablator = new Ablator(runner, cache, backend, batch);
            int outputs = ablator.outputs(new int[] {0}, null, null)[0].length;
            ClassMapping mapping = classesFile == null ? ClassMapping.byNameOrder(data.classes(), outputs)
                    : ClassMapping.read(classesFile, data.classes(), outputs);
            LOG.log(System.Logger.Level.INFO, String.format("%s: %d images (%d train, %d held out), %d classes; head cached in %.1f s",
                    data.description(), data.items().size(), data.part(true).length, data.part(false).length,
                    mapping.classes().size(), headSeconds));
            ClassifierIntervention ci = new ClassifierIntervention(model, pre, backend, runner, data, mapping, cache,
                    ablator, 0.95, progress, headSeconds);
            ci.checkMapping(classesFile == null);
            return ci;
        } catch (RuntimeException e) {
            if (runner != null) {
                runner.close();
            }
            model.close();
            throw e;
        }
    }

    /**
     * Says which mapping is used when it was guessed (classes by name order, as torchvision's ImageFolder numbers
     * them), and warns when the model without any ablation scores below chance with it: a mapping that does not
     * fit the model makes every result meaningless, and would otherwise pass without a word.
     */
    private void checkMapping(boolean guessed) {
        if (guessed) {
            LOG.log(System.Logger.Level.INFO, "classes mapped to outputs by name order (--classes FILE to say "
                    + "otherwise): " + mapping.asMap());
        }
        ClassScores base = score(images(Part.ALL), null, new float[layer().channels()]);
        double chance = 1.0 / mapping.classes().size();
        if (base.accuracy().value() < chance) {
            LOG.log(System.Logger.Level.WARNING, String.format(java.util.Locale.ROOT, "without any ablation the "
                    + "model's accuracy is %.3f, below chance (%.3f): the class mapping is likely wrong%s",
                    base.accuracy().value(), chance, guessed ? "; give --classes FILE (class,index lines)" : ""));
        }
    }

    private static int fixedBatch(OnnxModel model) {
        for (var v : model.proto().getGraph().getInputList()) {
            if (v.getName().equals(model.inputName()) && v.getType().getTensorType().hasShape()) {
                var d = v.getType().getTensorType().getShape().getDim(0);
                return d.hasDimValue() && d.getDimValue() > 0 ? (int) d.getDimValue() : 0;
            }
        }
        return 0;
    }

    public OnnxModel model() {
        return model;
    }

    /** The provenance of an output of this intervention, written now by {@code invocation}. */
    public Provenance provenance(Invocation invocation) {
        return invocation.provenance(List.of(model.provenance("model", preprocessing)), data.dataset(), null,
                backend.name(), model.inference().name().toLowerCase(java.util.Locale.ROOT),
                OnnxModel.runtimeVersion(), backend.cuda());
    }

    public LabelledImages data() {
        return data;
    }

    public ClassMapping mapping() {
        return mapping;
    }

    public LayerInfo layer() {
        return cache.layer();
    }

    public Ablator ablator() {
        return ablator;
    }

    public double confidence() {
        return confidence;
    }

    public double headSeconds() {
        return headSeconds;
    }

    public int[] images(Part part) {
        return switch (part) {
            case ALL -> IntStream.range(0, data.items().size()).toArray();
            case TRAIN -> data.part(true);
            case HELD_OUT -> data.part(false);
        };
    }

    /** Replacement values per unit: zeros, or each unit's mean over every cached image and location. */
    public float[] replacement(Replace replace) {
        return replace == Replace.ZERO ? new float[layer().channels()]
                : cache.unitMeans(images(Part.ALL));
    }

    /** Scores of the model on {@code images} with the given units (0-based) ablated; none for the baseline. */
    public ClassScores score(int[] images, int[] units, float[] replacement) {
        float[] alpha = units == null ? null : ablator.alphaFor(units);
        return scores(images, ablator.predict(images, alpha, replacement));
    }

    private ClassScores scores(int[] images, int[] predictedOutputs) {
        int[] truth = new int[images.length];
        int[] pred = new int[images.length];
        for (int i = 0; i < images.length; i++) {
            truth[i] = data.items().get(images[i]).label();
            pred[i] = mapping.classOfOutput(predictedOutputs[i]);
        }
        return ClassScores.of(truth, pred, mapping.classes().size(), confidence);
    }

    private int[] nonEmpty(Part part, String mode) {
        int[] images = images(part);
        if (images.length == 0) {
            throw new JdissectException("mode " + mode + " needs " + (part == Part.TRAIN ? "training" : "held-out")
                    + " images, and " + data.description() + " has none (Broden: split column 'train' vs others; "
                    + "image folder: DIR/train and DIR/val, or every fifth image held out)");
        }
        return images;
    }

    // ---------------------------------------------------------------- units

    public record UnitsResult(int[] units, Part part, Replace replace, ClassScores base, ClassScores ablated) {
    }

    /** Ablates {@code units} (0-based) together on {@code part}. */
    public UnitsResult units(int[] units, Part part, Replace replace) {
        for (int u : units) {
            if (u < 0 || u >= layer().channels()) {
                throw new JdissectException("unit " + (u + 1) + " is not a unit of layer '" + layer().name()
                        + "' (units 1.." + layer().channels() + ")");
            }
        }
        int[] images = nonEmpty(part, "units");
        float[] r = replacement(replace);
        return new UnitsResult(units.clone(), part, replace, score(images, null, r), score(images, units, r));
    }

    // ---------------------------------------------------------------- rank

    /**
     * @param base    scores on the training part without ablation
     * @param perUnit per unit, the scores with that unit ablated alone
     * @param baseScore per class, the mean over its training images of its margin (its own output minus the largest
     *                  other output: what decides the prediction), without ablation
     * @param unitScore per unit and class, that mean with the unit ablated
     * @param order   per class, the units from largest to smallest drop of the class's balanced accuracy; ties, which
     *                are the rule in a redundant layer where one unit alone rarely flips a decision, by the larger
     *                drop of the class's mean margin, then the lower unit
     */
    public record RankResult(Replace replace, int images, ClassScores base, ClassScores[] perUnit, double[] baseScore,
                             double[][] unitScore, int[][] order) {
        /** The drop of class {@code c}'s balanced accuracy when unit {@code u} is ablated. */
        public double drop(int c, int u) {
            return base.classes().get(c).balancedAccuracy().value()
                    - perUnit[u].classes().get(c).balancedAccuracy().value();
        }

        /** The drop of class {@code c}'s mean margin on its own images when unit {@code u} is ablated. */
        public double scoreDrop(int c, int u) {
            return baseScore[c] - unitScore[u][c];
        }

        /** The first {@code n} units of class {@code c}'s ranking. */
        public int[] top(int c, int n) {
            return Arrays.copyOf(order[c], n);
        }
    }

    /** Every unit ablated alone on the training part; units ranked per class. */
    public RankResult rank(Replace replace) {
        int[] images = nonEmpty(Part.TRAIN, "rank");
        float[] r = replacement(replace);
        int units = layer().channels();
        int classes = mapping.classes().size();
        double[] baseScore = new double[classes];
        ClassScores base = scoreWithMeans(images, null, r, baseScore);
        ClassScores[] per = new ClassScores[units];
        double[][] unitScore = new double[units][classes];
        try (ProgressListener.Tracker bar = progress.begin("rank: " + units + " units x " + images.length + " images",
                (long) units * images.length)) {
            for (int u = 0; u < units; u++) {
                per[u] = scoreWithMeans(images, ablator.alphaFor(new int[] {u}), r, unitScore[u]);
                bar.advance(images.length);
            }
        }
        int[][] order = new int[classes][];
        RankResult partial = new RankResult(replace, images.length, base, per, baseScore, unitScore, order);
        for (int c = 0; c < classes; c++) {
            int cls = c;
            order[c] = IntStream.range(0, units).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(u -> -partial.drop(cls, u))
                            .thenComparingDouble(u -> -partial.scoreDrop(cls, u)).thenComparing(u -> u))
                    .mapToInt(Integer::intValue).toArray();
        }
        return partial;
    }

    /**
     * Scores, and per class the mean margin over its images (into {@code means}): its own output minus the largest
     * other one. A unit that lowers every output alike moves no decision; the margin sees only what does.
     */
    private ClassScores scoreWithMeans(int[] images, float[] alpha, float[] r, double[] means) {
        float[][] outputs = ablator.outputs(images, alpha, r);
        int[] predicted = new int[images.length];
        long[] counts = new long[means.length];
        for (int i = 0; i < images.length; i++) {
            float[] o = outputs[i];
            predicted[i] = Outputs.argmax(o);
            int c = data.items().get(images[i]).label();
            int own = mapping.output(c);
            // the largest of floats is one of them: the margin is the float difference it always was
            float other = (float) Outputs.largestOther(o, own);
            means[c] += o.length > 1 ? o[own] - other : o[own];
            counts[c]++;
        }
        for (int c = 0; c < means.length; c++) {
            means[c] = counts[c] == 0 ? 0 : means[c] / counts[c];
        }
        return scores(images, predicted);
    }

    // ---------------------------------------------------------------- curve

    /** A point of a decision-sparsity curve: {@code n} top units removed, or all but them removed. */
    public record Point(int n, int[] ablated, Rate accuracy, Rate balancedAccuracy, boolean significant) {
    }

    public record Curve(int cls, Rate baseAccuracy, Rate baseBalancedAccuracy, List<Point> removed, List<Point> kept) {
    }

    public record CurveResult(Replace replace, int images, List<Integer> ns, List<Curve> curves) {
    }

    /** The default list of N: 1, 2, 4, ... below the unit count, then the unit count. */
    public static List<Integer> defaultNs(int units) {
        List<Integer> ns = new ArrayList<>();
        for (int n = 1; n < units; n *= 2) {
            ns.add(n);
        }
        ns.add(units);
        return ns;
    }

    /**
     * On the held-out part, for class {@code cls} (or every class when negative): the class's accuracy and balanced
     * accuracy with its top-N ranked units ablated, and with all but its top-N ablated, for each N.
     */
    public CurveResult curve(RankResult rank, List<Integer> ns, int cls, Replace replace) {
        int[] images = nonEmpty(Part.HELD_OUT, "curve");
        int units = layer().channels();
        for (int n : ns) {
            if (n < 0 || n > units) {
                throw new JdissectException("N = " + n + " is outside 0.." + units + " (the units of layer '"
                        + layer().name() + "')");
            }
        }
        float[] r = replacement(replace);
        ClassScores base = score(images, null, r);
        List<Integer> classes = cls >= 0 ? List.of(cls)
                : IntStream.range(0, mapping.classes().size()).boxed().toList();
        List<Curve> curves = new ArrayList<>();
        try (ProgressListener.Tracker bar = progress.begin("curves", (long) classes.size() * ns.size() * 2 * images.length)) {
            for (int c : classes) {
                ClassScores.PerClass b = base.classes().get(c);
                List<Point> removed = new ArrayList<>();
                List<Point> kept = new ArrayList<>();
                for (int n : ns) {
                    int[] top = rank.top(c, n);
                    int[] rest = Arrays.copyOfRange(rank.order[c], n, units);
                    removed.add(point(n, top, images, r, c, b));
                    bar.advance(images.length);
                    kept.add(point(n, rest, images, r, c, b));
                    bar.advance(images.length);
                }
                curves.add(new Curve(c, b.accuracy(), b.balancedAccuracy(), removed, kept));
            }
        }
        return new CurveResult(replace, images.length, List.copyOf(ns), curves);
    }

    private Point point(int n, int[] ablate, int[] images, float[] r, int c, ClassScores.PerClass base) {
        ClassScores.PerClass s = score(images, ablate.length == 0 ? null : ablate, r).classes().get(c);
        return new Point(n, ablate, s.accuracy(), s.balancedAccuracy(),
                s.balancedAccuracy().differsFrom(base.balancedAccuracy()));
    }

    @Override
    public void close() {
        runner.close();
        model.close();
    }
}
