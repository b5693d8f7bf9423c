package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jdissect.JdissectException;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.io.Invocation;
import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.SplitRunner;
import org.jdissect.stats.Backend;
import org.jdissect.stats.Outputs;

/**
 * A concept-level account of one decision: the predicted class, the units of the layer that fire on the image
 * (the maximum of the unit's map exceeds its dissection threshold), their concept labels from the dissection's
 * {@code report.json}, and what ablating each alone (replaced by zero) does to the prediction; and the units the
 * decision rests on most, firing or not: every unit is ablated alone, and those that lower the predicted class's
 * probability most are listed.
 *
 * @param units       the firing units, largest drop first
 * @param decisive    the (at most {@link #DECISIVE}) units whose ablation lowers the predicted class's probability
 *                    most, largest drop first; only units with a drop
 * @param probability softmax of the model's first output at the predicted class
 * @param withoutAll  the prediction with every firing unit ablated at once, and its probability of the original
 *                    class
 * @param image       the image, as an absolute path
 * @param provenance  what made it, as explain.json records it
 */
public record Explanation(String image, String layer, int predicted, String predictedName, double probability,
                          List<UnitEffect> units, List<UnitEffect> decisive, int withoutAllPredicted,
                          String withoutAllName, double withoutAllProbability, Provenance provenance) {

    private static final System.Logger LOG = System.getLogger(Explanation.class.getName());

    /** How many of the units the decision rests on are listed. */
    public static final int DECISIVE = 5;

    /**
     * @param unit       1-based
     * @param fires      the unit's maximum on the image exceeds its dissection threshold
     * @param probability the original class's probability with this unit ablated
     * @param predicted  the class predicted with this unit ablated
     */
    public record UnitEffect(int unit, String label, String category, double iou, boolean interpretable, boolean fires,
                             float maxActivation, double threshold, double probability, double drop, int predicted,
                             String predictedName) {
    }

    /** One unit of a dissection's report.json. */
    record Dissected(String label, String category, double iou, boolean interpretable, double threshold) {
    }

    /**
     * Explains the model's decision on one image in the concepts of a dissection of the same model.
     *
     * @param preprocessing how to prepare the image, given the preprocessing the dissection recorded (identity: the
     *                      recorded one, which is what the dissection's thresholds were found with)
     * @throws JdissectException when the dissection is of another model (its recorded sha256 differs), naming both
     */
    public static Explanation explain(Path modelFile, String layer, Path imageFile, Path dissection, Path classesFile,
                                      java.util.function.UnaryOperator<Preprocessing> preprocessing, int threads,
                                      Backend backend, OnnxModel.Inference inference, Invocation invocation) {
        LayerRecord record = LayerRecord.find(dissection, layer);
        List<Dissected> units = record.units().stream().map(u -> new Dissected(u.label(), u.category(), u.iou(),
                u.interpretable(), u.threshold())).toList();
        Provenance.Model dissected = record.provenance() == null || record.provenance().models().isEmpty() ? null
                : record.provenance().models().get(0);
        Preprocessing recorded = dissected == null ? Preprocessing.IMAGENET
                : Preprocessing.fromDescription(dissected.preprocessing());
        Preprocessing pre = preprocessing.apply(recorded != null ? recorded : Preprocessing.IMAGENET);
        if (pre.equals(recorded)) {
            LOG.log(System.Logger.Level.INFO, "preprocessing as the dissection recorded it: " + pre);
        } else if (recorded != null) {
            LOG.log(System.Logger.Level.WARNING, "the image is prepared as " + pre + ", not as the dissection "
                    + "recorded (" + recorded + "): the units' thresholds may not apply");
        }
        BufferedImage image = LabelledImages.readImage(imageFile);
        try (OnnxModel model = OnnxModel.load(modelFile, inference)) {
            if (dissected != null && !dissected.sha256().equals(model.fingerprint())) {
                throw new JdissectException("the dissection in " + dissection + " is of another model ("
                        + dissected.path() + ", sha256 " + dissected.sha256().substring(0, 12) + "...), not of "
                        + modelFile + " (sha256 " + model.fingerprint().substring(0, 12) + "...): its concepts would "
                        + "be another model's; dissect this model first");
            }
            LayerInfo info = model.layer(layer, pre);
            if (info.channels() != units.size()) {
                throw new JdissectException("the dissection of '" + layer + "' in " + dissection + " has "
                        + units.size() + " units, but the layer has " + info.channels() + "; was it made with another model?");
            }
            try (SplitRunner runner = SplitRunner.open(model, layer, threads)) {
                HeadCache cache = HeadCache.build(runner, info, model.inputName(), new long[] {3, pre.height(), pre.width()},
                        1, (i, dst, off) -> pre.apply(image, dst, off), 1, 0, images -> { });
                Ablator ablator = new Ablator(runner, cache, backend, 1);
                int[] one = {0};
                float[] zero = new float[info.channels()];
                double[] base = Outputs.softmax(ablator.outputs(one, null, null)[0]);
                String[] names = outputNames(classesFile, base.length);
                int predicted = Outputs.argmax(base);
                float[] maxima = cache.unitMaxima(0);
                List<UnitEffect> all = new ArrayList<>();
                List<Integer> firingIdx = new ArrayList<>();
                for (int u = 0; u < info.channels(); u++) {
                    Dissected d = units.get(u);
                    boolean fires = maxima[u] > d.threshold();
                    if (fires) {
                        firingIdx.add(u);
                    }
                    double[] p = Outputs.softmax(ablator.outputs(one, ablator.alphaFor(u), zero)[0]);
                    int after = Outputs.argmax(p);
                    all.add(new UnitEffect(u + 1, d.label(), d.category(), d.iou(), d.interpretable(), fires,
                            maxima[u], d.threshold(), p[predicted], base[predicted] - p[predicted], after,
                            names[after]));
                }
                all.sort(Comparator.comparingDouble(UnitEffect::drop).reversed().thenComparingInt(UnitEffect::unit));
                List<UnitEffect> firing = all.stream().filter(UnitEffect::fires).toList();
                List<UnitEffect> decisive = all.stream().filter(e -> e.drop() > 0).limit(DECISIVE).toList();
                double[] none = firingIdx.isEmpty() ? base : Outputs.softmax(ablator.outputs(one,
                        ablator.alphaFor(firingIdx.stream().mapToInt(Integer::intValue).toArray()), zero)[0]);
                int noneArg = Outputs.argmax(none);
                Provenance provenance = invocation.provenance(List.of(model.provenance("model", pre)), null, null,
                        backend.name(), inference.name().toLowerCase(java.util.Locale.ROOT),
                        OnnxModel.runtimeVersion(), backend.cuda());
                // absolute, so that the report can show the image whatever folder it is written from
                return new Explanation(imageFile.toAbsolutePath().normalize().toString(), layer, predicted, names[predicted], base[predicted],
                        firing, decisive, noneArg, names[noneArg], none[predicted], provenance);
            }
        }
    }

    static String[] outputNames(Path classesFile, int outputs) {
        String[] names = new String[outputs];
        for (int o = 0; o < outputs; o++) {
            names[o] = "output " + o;
        }
        if (classesFile == null) {
            return names;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(classesFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JdissectException("cannot read class mapping " + classesFile + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int comma = line.lastIndexOf(',');
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.replace(" ", "").equalsIgnoreCase("class,index"))) {
                continue;
            }
            int o;
            try {
                o = comma <= 0 ? -1 : Integer.parseInt(line.substring(comma + 1).strip());
            } catch (NumberFormatException e) {
                o = -1;
            }
            if (o < 0 || o >= outputs) {
                throw new JdissectException(classesFile + " line " + (i + 1) + ": expected class,index with index in 0.."
                        + (outputs - 1) + ", found '" + line + "'");
            }
            names[o] = line.substring(0, comma).strip();
        }
        return names;
    }

    /** Writes explain.json and explain.csv into {@code dir}: see {@link ExplainRecord}. */
    public void write(Path dir) {
        ExplainRecord.of(this).write(dir);
    }
}
