package org.jdissect.attack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.jdissect.JdissectException;
import org.jdissect.attack.AttackRecord.AttackedImage;
import org.jdissect.attack.AttackRecord.Defence;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.intervene.Ablator;
import org.jdissect.intervene.ClassMapping;
import org.jdissect.intervene.ClassifierIntervention;
import org.jdissect.intervene.HeadCache;
import org.jdissect.intervene.LabelledImages;
import org.jdissect.intervene.Rate;
import org.jdissect.intervene.RankRecord;
import org.jdissect.io.Invocation;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.SplitRunner;
import org.jdissect.stats.Backend;
import org.jdissect.stats.Outputs;
import org.jdissect.stats.Precision;

/**
 * The attacks seen through the layer's units, once {@link Attack} has made and saved them: the model is split at the
 * layer, the head runs on every clean and adversarial image (in single precision: an adversarial image lies just
 * across the boundary, and half precision could move it back), the units' changes are compared with the classifier's
 * own per-class ranking ({@link UnitAnalysis}), and the tail is re-run with units held ({@link #defences}).
 */
final class ThroughUnits {
    private static final System.Logger LOG = System.getLogger(ThroughUnits.class.getName());

    private ThroughUnits() {
    }

    /**
     * The classifier's per-class ranking of the layer's units when --ranking gives none: from OUT/ranking when an
     * earlier run computed it for this model and layer, or computed now ({@code ablate --mode rank}, units replaced
     * by zero) and written there.
     */
    static RankRecord ranking(Attack.Settings s, Path out, OnnxModel model, LabelledImages data, Backend backend,
                              ProgressListener progress, Invocation invocation) {
        Path dir = out.resolve(Attack.RANKING);
        if (Files.isRegularFile(dir.resolve(RankRecord.FILE))) {
            RankRecord r = RankRecord.read(dir);
            if (model.fingerprint().equals(r.settings().modelSha256()) && s.layer().equals(r.settings().layer())) {
                return r;
            }
        }
        LOG.log(System.Logger.Level.INFO, "ranking the units of '" + s.layer() + "' per class (ablate --mode rank; "
                + "give --ranking DIR to reuse one)");
        try (ClassifierIntervention ci = ClassifierIntervention.open(s.model(), s.layer(), data, s.classes(),
                s.preprocessing(), s.batch(), s.threads(), backend, s.inference(), progress)) {
            ClassifierIntervention.RankResult rank = ci.rank(ClassifierIntervention.Replace.ZERO);
            RankRecord r = RankRecord.of(rank, ci, org.jdissect.intervene.AblationSettings.of(ci, "rank", "zero"),
                    ci.provenance(invocation));
            r.write(dir);
            return r;
        }
    }

    /**
     * The ranking of --ranking, read and checked before any attack runs: a ranking of another model or layer is
     * refused, naming both.
     */
    static RankRecord given(Attack.Settings s, OnnxModel model) {
        Path dir = s.ranking();
        if (!Files.isRegularFile(dir.resolve(RankRecord.FILE))) {
            throw new JdissectException("--ranking " + dir + " holds no " + RankRecord.FILE + "; give the --out of "
                    + "jdissect ablate --mode rank (or curve) on this model and layer, or leave --ranking out to "
                    + "compute it");
        }
        RankRecord r = RankRecord.read(dir);
        if (!model.fingerprint().equals(r.settings().modelSha256()) || !s.layer().equals(r.settings().layer())) {
            throw new JdissectException(dir.resolve(RankRecord.FILE) + " ranks layer '" + r.settings().layer()
                    + "' of a model with sha256 " + r.settings().modelSha256().substring(0, 12) + "..., not layer '"
                    + s.layer() + "' of " + s.model() + "; give the ranking of this model and layer, or none");
        }
        return r;
    }

    /** Per class name, its ranked units (0-based), best first. */
    private static int[] order(RankRecord ranking, String className) {
        for (RankRecord.PerClass c : ranking.classes()) {
            if (c.className().equals(className)) {
                return c.units().stream().mapToInt(u -> u.unit() - 1).toArray();
            }
        }
        return null;
    }

    static AttackRecord analyse(Attack.Settings s, Path out, OnnxModel model, LayerInfo layer, LabelledImages data,
                                ClassMapping mapping, int source, int target, Attack.Chosen chosen,
                                Attack.Verified verified, RankRecord ranking, LayerRecord dissection,
                                Backend backend, long queries, double seconds, Provenance provenance) {
        List<AttackedImage> attacked = verified.images();
        int k = attacked.size();
        int units = layer.channels();
        Preprocessing pre = s.preprocessing();
        // clean images 0 .. k - 1, then the adversarial ones as their PNGs gave them
        List<SquareAttack.Candidate> images = new ArrayList<>(chosen.clean());
        images.addAll(verified.adversarial());
        int sourceOutput = mapping.output(source);
        int targetOutput = target < 0 ? -1 : mapping.output(target);
        try (SplitRunner runner = SplitRunner.open(model, s.layer(), s.threads())) {
            HeadCache cache = HeadCache.build(runner, layer, model.inputName(), new long[] {3, pre.height(),
                    pre.width()}, 2 * k, (i, dst, off) -> pre.apply(images.get(i).pixels(), images.get(i).width(),
                    images.get(i).height(), dst, off), s.batch(), 0,
                    done -> { }, Precision.FP32);
            int hw = layer.height() * layer.width();
            double[][] mean = new double[2 * k][units];
            double[][] max = new double[2 * k][units];
            float[] maps = new float[units * hw];
            for (int i = 0; i < 2 * k; i++) {
                cache.layer(new int[] {i}, 0, 1, maps);
                for (int u = 0; u < units; u++) {
                    double sum = 0;
                    double m = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < hw; j++) {
                        sum += maps[u * hw + j];
                        m = Math.max(m, maps[u * hw + j]);
                    }
                    mean[i][u] = sum / hw;
                    max[i][u] = m;
                }
            }
            double[][] cleanMean = Arrays.copyOfRange(mean, 0, k);
            double[][] advMean = Arrays.copyOfRange(mean, k, 2 * k);
            double[][] cleanMax = Arrays.copyOfRange(max, 0, k);
            double[][] advMax = Arrays.copyOfRange(max, k, 2 * k);
            AttackRecord.writeActivations(out, attacked, cleanMean, advMean, cleanMax, advMax);
            boolean[] succeeded = new boolean[k];
            int[] reached = new int[k];
            for (int n = 0; n < k; n++) {
                succeeded[n] = attacked.get(n).success();
                reached[n] = mapping.classOfOutput(attacked.get(n).adversarial().output());
            }
            List<UnitAnalysis.Concept> concepts = dissection == null ? null : dissection.units().stream()
                    .map(u -> new UnitAnalysis.Concept(u.label(), u.category(), u.iou())).toList();
            UnitAnalysis.Input in = new UnitAnalysis.Input(cleanMean, advMean, cleanMax, advMax, succeeded, reached,
                    source, c -> order(ranking, mapping.classes().get(c)), concepts);
            int[] targetOrder = target < 0 ? null : order(ranking, mapping.classes().get(target));
            var unitChanges = UnitAnalysis.units(in, targetOrder);
            var groups = UnitAnalysis.groups(in, s.top());
            Ablator ablator = new Ablator(runner, cache, backend, s.batch());
            List<Defence> defences = defences(s, ablator, cache, k, succeeded, unitChanges, order(ranking,
                    mapping.classes().get(source)), units, sourceOutput, targetOutput);
            int succeededCount = UnitAnalysis.count(succeeded);
            Rate rate = Rate.wilson(succeededCount, k, 0.95);
            double[] q = attacked.stream().filter(AttackedImage::success).mapToDouble(AttackedImage::queries).sorted()
                    .toArray();
            double median = q.length == 0 ? Double.NaN : q.length % 2 == 1 ? q[q.length / 2]
                    : (q[q.length / 2 - 1] + q[q.length / 2]) / 2;
            double meanQ = attacked.stream().mapToDouble(AttackedImage::queries).average().orElse(Double.NaN);
            long total = attacked.stream().mapToLong(AttackedImage::queries).sum();
            AttackRecord.Summary summary = new AttackRecord.Summary(k, chosen.misclassified(), succeededCount,
                    rate.value(), rate.lo(), rate.hi(), median, meanQ, total, queries, seconds,
                    queries > 0 && seconds > 0 ? queries / seconds : Double.NaN, verified.agreement());
            AttackRecord.Settings settings = new AttackRecord.Settings("square", s.model().toString(),
                    model.fingerprint(), s.layer(), units, data.description(), data.fingerprint(), mapping.asMap(),
                    s.from(), s.to(), s.epsilon(), Attack.Settings.levels(s.epsilon()), s.queries(), s.seed(),
                    s.images(), s.top(), (s.ranking() != null ? s.ranking() : out.resolve(Attack.RANKING)).toString(),
                    s.dissection() == null ? null : s.dissection().toString(),
                    "a unit's value on an image is its map's mean (and maximum); changes are adversarial minus clean",
                    "paired over the successful attacks, two-sided: Student's t and Wilcoxon's signed rank");
            return new AttackRecord("jdissect", AttackRecord.KIND, 1, provenance, settings, summary, groups,
                    defences, unitChanges, attacked);
        }
    }

    /**
     * Each successful attack re-run with units held: the source's top units at their clean maps; as a control, as many
     * random units (not among them) at their clean maps; the units the attacks raised most set to zero. Counted over
     * the attacks that the split model, unedited, also finds successful.
     */
    private static List<Defence> defences(Attack.Settings s, Ablator ablator, HeadCache cache, int k,
                                          boolean[] succeeded, List<AttackRecord.UnitChange> changes,
                                          int[] sourceOrder, int units, int sourceOutput, int targetOutput) {
        int n = Math.min(s.top(), units);
        int[] advImages = java.util.stream.IntStream.range(0, k).filter(i -> succeeded[i]).map(i -> k + i).toArray();
        if (advImages.length == 0) {
            return List.of();
        }
        float[][] unedited = ablator.outputs(advImages, (Ablator.LayerEdit) null);
        List<Integer> base = new ArrayList<>();
        for (int i = 0; i < advImages.length; i++) {
            if (SquareAttack.succeeds(unedited[i], sourceOutput, targetOutput)) {
                base.add(advImages[i]);
            }
        }
        if (base.size() < advImages.length) {
            LOG.log(System.Logger.Level.WARNING, (advImages.length - base.size()) + " successful attacks do not "
                    + "succeed through the model split at '" + s.layer() + "' (rounding differs); defences count the "
                    + base.size() + " that do");
        }
        int[] images = base.stream().mapToInt(Integer::intValue).toArray();
        List<Defence> out = new ArrayList<>();
        if (sourceOrder != null) {
            int[] top = Arrays.copyOf(sourceOrder, n);
            out.add(defence("restore-source-top", "the source class's top " + n + " units held at their clean maps",
                    top, restore(cache, top, k), ablator, images, sourceOutput, targetOutput));
            SplittableRandom random = new SplittableRandom(s.seed());
            List<Integer> others = new ArrayList<>();
            boolean[] inTop = new boolean[units];
            for (int u : top) {
                inTop[u] = true;
            }
            for (int u = 0; u < units; u++) {
                if (!inTop[u]) {
                    others.add(u);
                }
            }
            int[] control = new int[Math.min(n, others.size())];
            for (int i = 0; i < control.length; i++) {
                control[i] = others.remove(random.nextInt(others.size()));
            }
            Arrays.sort(control);
            out.add(defence("restore-random", control.length + " random other units held at their clean maps "
                    + "(a control)", control, restore(cache, control, k), ablator, images, sourceOutput, targetOutput));
        }
        int[] raised = changes.stream().sorted(java.util.Comparator.comparingDouble(
                (AttackRecord.UnitChange c) -> -c.change()).thenComparingInt(AttackRecord.UnitChange::unit))
                .limit(n).filter(c -> c.change() > 0).mapToInt(c -> c.unit() - 1).toArray();
        if (raised.length > 0) {
            float[] alpha = ablator.alphaFor(raised);
            float[] zero = new float[units];
            out.add(defence("ablate-raised", "the " + raised.length + " units the attacks raised most set to zero",
                    raised, ablator.ablation(alpha, zero), ablator, images, sourceOutput, targetOutput));
        }
        return out;
    }

    /** An edit that sets the given units of each adversarial image's maps to its clean image's. */
    private static Ablator.LayerEdit restore(HeadCache cache, int[] units, int k) {
        int hw = cache.layer().height() * cache.layer().width();
        int per = cache.layer().channels() * hw;
        float[] clean = new float[per];
        return (images, from, count, rows, maps) -> {
            for (int r = 0; r < count; r++) {
                cache.layer(new int[] {images[from + r] - k}, 0, 1, clean);
                for (int u : units) {
                    System.arraycopy(clean, u * hw, maps, r * per + u * hw, hw);
                }
            }
        };
    }

    private static Defence defence(String name, String description, int[] units, Ablator.LayerEdit edit,
                                   Ablator ablator, int[] images, int sourceOutput, int targetOutput) {
        float[][] outputs = ablator.outputs(images, edit);
        int undone = 0;
        int toSource = 0;
        for (float[] o : outputs) {
            if (!SquareAttack.succeeds(o, sourceOutput, targetOutput)) {
                undone++;
            }
            if (Outputs.argmax(o) == sourceOutput) {
                toSource++;
            }
        }
        return new Defence(name, description, Arrays.stream(units).map(u -> u + 1).boxed().toList(), outputs.length,
                undone, toSource);
    }
}
