package org.jdissect.attack;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.jdissect.JdissectException;
import org.jdissect.attack.AttackRecord.AttackedImage;
import org.jdissect.attack.AttackRecord.Prediction;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.intervene.ClassMapping;
import org.jdissect.intervene.LabelledImages;
import org.jdissect.intervene.RankRecord;
import org.jdissect.io.Hashing;
import org.jdissect.io.Invocation;
import org.jdissect.io.Json;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Provenance;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.LayerRunner;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.Rasters;
import org.jdissect.stats.Backend;
import org.jdissect.stats.Outputs;

/**
 * An adversarial attack seen through units: images of one class are attacked ({@link SquareAttack}, black box, an
 * L-infinity budget in 8-bit levels) towards another class or any; each adversarial image is saved as PNG and scored
 * again from the file; then the layer's units are compared on the clean and the adversarial images
 * ({@link UnitAnalysis}), against the classifier's own per-class unit ranking ({@code ablate --mode rank}), and the
 * attacks are re-run with units held ({@link #defences}) to see whether the units are the mechanism.
 *
 * <p>Each image's attack is written when it ends ({@code OUT/images/NNNN.png} and {@code .json}); a run started again
 * with the same settings takes those and attacks only the rest, so an interrupted run resumes and gives the same
 * files as one that was not.
 */
public final class Attack {
    private static final System.Logger LOG = System.getLogger(Attack.class.getName());

    /** The folder of the adversarial images and each image's record, under OUT. */
    public static final String IMAGES = "images";
    /** The folder of the ranking computed when none is given, under OUT. */
    public static final String RANKING = "ranking";

    /**
     * What to attack and how.
     *
     * @param skipBad  skip malformed index rows of a Broden dataset
     * @param to       a class, or {@code any}
     * @param epsilon  the budget as a fraction of 255 (0 < epsilon <= 1); whole 8-bit levels are used
     * @param images   how many correctly classified images of the source class
     * @param top      how many of a class's ranked units are its experts
     * @param ranking  a folder with rank.json of {@code ablate --mode rank} on this model and layer, or null to
     *                 compute it (into OUT/ranking)
     * @param dissection a dissection's OUT with this layer, or null
     */
    public record Settings(Path model, String layer, Path data, String category, boolean skipBad, Path classes,
                           String from, String to,
                           double epsilon, int queries, int images, long seed, int top, Path ranking, Path dissection,
                           Preprocessing preprocessing, int batch, int threads, OnnxModel.Inference inference) {
        public Settings {
            if (!(epsilon > 0 && epsilon <= 1)) {
                throw new JdissectException("--epsilon must be in (0, 1] (a fraction of 255, e.g. 8/255), got "
                        + epsilon);
            }
            if (levels(epsilon) < 1) {
                throw new JdissectException(String.format(Locale.ROOT, "--epsilon %.6f is below one 8-bit level "
                        + "(1/255 = %.6f): no 8-bit image can differ by less", epsilon, 1 / 255.0));
            }
            if (queries < 1) {
                throw new JdissectException("--queries must be >= 1, got " + queries);
            }
            if (images < 1) {
                throw new JdissectException("--images must be >= 1, got " + images);
            }
            if (top < 1) {
                throw new JdissectException("--top must be >= 1, got " + top);
            }
            if (batch < 1) {
                throw new JdissectException("--batch must be >= 1, got " + batch);
            }
        }

        /** The budget in whole 8-bit levels inside epsilon (a hair of rounding allowed: 8/255 is 8 levels). */
        static int levels(double epsilon) {
            return (int) Math.floor(epsilon * 255 + 1e-9);
        }

        /** Whether the attack is targeted. */
        boolean targeted() {
            return !"any".equals(to);
        }
    }

    private Attack() {
    }

    /** Parses a budget written as a fraction ({@code 8/255}) or a decimal ({@code 0.03}). */
    public static double parseEpsilon(String text) {
        String t = text.strip();
        try {
            int slash = t.indexOf('/');
            if (slash < 0) {
                return Double.parseDouble(t);
            }
            double num = Double.parseDouble(t.substring(0, slash).strip());
            double den = Double.parseDouble(t.substring(slash + 1).strip());
            return num / den;
        } catch (NumberFormatException e) {
            throw new JdissectException("--epsilon '" + text + "' is not a number; give a fraction of 255 such as "
                    + "8/255 or 0.03");
        }
    }

    /** Runs the attack and its analysis, writes OUT/attack.json, attack.csv, units.csv and the PNGs, returns them. */
    public static AttackRecord run(Settings s, Path out, Backend backend, ProgressListener progress,
                                   Invocation invocation) {
        LabelledImages data = LabelledImages.open(s.data(), s.category(), s.skipBad());
        long t0 = System.nanoTime();
        try (OnnxModel model = OnnxModel.load(s.model(), s.inference())) {
            Preprocessing pre = s.preprocessing();
            LayerInfo layer = model.layer(s.layer(), pre);
            String output = model.proto().getGraph().getOutput(0).getName();
            LayerInfo outputs = model.layer(output, pre);
            ClassMapping mapping = s.classes() == null ? ClassMapping.byNameOrder(data.classes(), outputs.channels())
                    : ClassMapping.read(s.classes(), data.classes(), outputs.channels());
            int source = mapping.classNamed(s.from());
            int target = s.targeted() ? mapping.classNamed(s.to()) : -1;
            if (target == source) {
                throw new JdissectException("--to " + s.to() + " is the --from class; give another class or any");
            }
            LayerRecord dissection = s.dissection() == null ? null : LayerRecord.find(s.dissection(), s.layer());
            if (dissection != null && dissection.units().size() != layer.channels()) {
                throw new JdissectException("the dissection of '" + s.layer() + "' in " + s.dissection() + " has "
                        + dissection.units().size() + " units, but the layer has " + layer.channels());
            }
            // a ranking given is checked now, not after the attacks
            RankRecord given = s.ranking() == null ? null : ThroughUnits.given(s, model);
            Files.createDirectories(out.resolve(IMAGES));
            Chosen chosen;
            Verified attacked;
            long queries;
            try (LayerRunner full = model.runner(List.of(output), pre, s.threads())) {
                Scorer scorer = new Scorer(full, pre, outputs.channels(), s.batch());
                chosen = choose(s, data, mapping, source, scorer);
                queries = attack(s, out, model, data, mapping, source, target, chosen, scorer, progress);
                attacked = verify(out, mapping, source, target, chosen, scorer);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            RankRecord ranking = given != null ? given
                    : ThroughUnits.ranking(s, out, model, data, backend, progress, invocation);
            Provenance provenance = invocation.provenance(List.of(model.provenance("model", pre)), data.dataset(),
                    java.util.Map.of("attack", s.seed()), backend.name(),
                    model.inference().name().toLowerCase(Locale.ROOT), OnnxModel.runtimeVersion(), backend.cuda());
            AttackRecord record = ThroughUnits.analyse(s, out, model, layer, data, mapping, source, target, chosen,
                    attacked, ranking, dissection, backend, queries, seconds, provenance);
            record.write(out);
            return record;
        } catch (java.io.IOException e) {
            throw new JdissectException("cannot write to " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The images to attack (item numbers), how many were skipped as misclassified, their clean outputs, and their
     * pixels as decoded once (the attack, the verification and the analysis read them from here).
     */
    record Chosen(int[] items, int misclassified, float[][] cleanOutputs, List<SquareAttack.Candidate> clean) {
    }

    /**
     * The attacked images as their PNGs give them, and how many of those agree with the outcome the attack found in
     * memory.
     */
    record Verified(List<AttackedImage> images, List<SquareAttack.Candidate> adversarial, int agreement) {
    }

    /**
     * The first {@code images} correctly classified images of the source class, held-out images first (the ranking
     * is computed on the training part).
     */
    private static Chosen choose(Settings s, LabelledImages data, ClassMapping mapping, int source, Scorer scorer) {
        List<Integer> of = new ArrayList<>();
        for (boolean train : new boolean[] {false, true}) {
            for (int i : data.part(train)) {
                if (data.items().get(i).label() == source) {
                    of.add(i);
                }
            }
        }
        if (s.images() > of.size()) {
            throw new JdissectException("--images " + s.images() + " is more than the " + of.size() + " images of "
                    + "class '" + s.from() + "' in " + data.description() + "; give --images " + of.size()
                    + " or fewer");
        }
        List<Integer> items = new ArrayList<>();
        List<float[]> outs = new ArrayList<>();
        List<SquareAttack.Candidate> clean = new ArrayList<>();
        int wrong = 0;
        for (int from = 0; from < of.size() && items.size() < s.images(); from += s.batch()) {
            List<Integer> part = of.subList(from, Math.min(of.size(), from + s.batch()));
            List<SquareAttack.Candidate> read = part.stream().map(i -> candidate(data.read(i))).toList();
            float[][] o = scorer.outputs(read);
            for (int k = 0; k < part.size() && items.size() < s.images(); k++) {
                if (mapping.classOfOutput(Outputs.argmax(o[k])) == source) {
                    items.add(part.get(k));
                    outs.add(o[k]);
                    clean.add(read.get(k));
                } else {
                    wrong++;
                }
            }
        }
        if (items.isEmpty()) {
            throw new JdissectException("the model misclassifies every image of class '" + s.from() + "' it was "
                    + "given (" + wrong + "); nothing to attack (is --classes right?)");
        }
        if (items.size() < s.images()) {
            LOG.log(System.Logger.Level.WARNING, String.format(Locale.ROOT, "only %d of the %d images of class '%s' "
                    + "are classified correctly; attacking those (%d misclassified, skipped)", items.size(),
                    of.size(), s.from(), wrong));
        } else if (wrong > 0) {
            LOG.log(System.Logger.Level.INFO, wrong + " images of class '" + s.from() + "' skipped: the model "
                    + "already misclassifies them");
        }
        return new Chosen(items.stream().mapToInt(Integer::intValue).toArray(), wrong, outs.toArray(float[][]::new),
                List.copyOf(clean));
    }

    /** An image as the attack holds it: planar 0..255 values, a fresh array (the attack never writes into it). */
    static SquareAttack.Candidate candidate(BufferedImage img) {
        return new SquareAttack.Candidate(Rasters.readRgb(img), img.getWidth(), img.getHeight());
    }

    /** Scores images given as planar 0..255 pixels through the whole model. */
    static final class Scorer {
        private final LayerRunner runner;
        private final Preprocessing pre;
        private final int outputs;
        private final int batch;
        private float[] buffer = new float[0];
        private long queries;

        Scorer(LayerRunner runner, Preprocessing pre, int outputs, int batch) {
            this.runner = runner;
            this.pre = pre;
            this.outputs = outputs;
            this.batch = batch;
        }

        float[][] outputs(List<SquareAttack.Candidate> images) {
            float[][] out = new float[images.size()][];
            int per = pre.valuesPerImage();
            for (int from = 0; from < images.size(); from += batch) {
                int n = Math.min(batch, images.size() - from);
                if (buffer.length < n * per) {
                    buffer = new float[n * per];
                }
                for (int k = 0; k < n; k++) {
                    SquareAttack.Candidate c = images.get(from + k);
                    pre.apply(c.pixels(), c.width(), c.height(), buffer, k * per);
                }
                float[] o = runner.run(buffer, n).get(0);
                for (int k = 0; k < n; k++) {
                    out[from + k] = Arrays.copyOfRange(o, k * outputs, (k + 1) * outputs);
                }
                queries += n;
            }
            return out;
        }

        long queries() {
            return queries;
        }
    }

    /** What an image's attack left, read back to resume: written when the attack of that image ends. */
    record Done(String key, int n, String id, boolean success, int queries, String png, String pngSha256) {
    }

    private static String key(Settings s, OnnxModel model, Preprocessing pre, int source, int target, int n,
                              String id) {
        return Hashing.sha256((model.fingerprint() + "|" + pre + "|" + s.epsilon() + "|" + s.queries() + "|" + s.seed()
                + "|" + source + "|" + target + "|" + n + "|" + id + "|square/1").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Path doneFile(Path out, int n) {
        return out.resolve(IMAGES).resolve(String.format(Locale.ROOT, "%04d.json", n));
    }

    private static String pngName(int n) {
        return String.format(Locale.ROOT, "%04d.png", n);
    }

    /** The attack's record of image {@code n}, when one of these settings is there with its PNG intact. */
    private static Done done(Path out, int n, String key) {
        Path f = doneFile(out, n);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Done d = Json.read(f, Done.class);
            Path png = out.resolve(IMAGES).resolve(pngName(n));
            if (!key.equals(d.key()) || !Files.isRegularFile(png) || !Hashing.sha256(png).equals(d.pngSha256())) {
                return null;
            }
            return d;
        } catch (JdissectException e) {
            LOG.log(System.Logger.Level.INFO, "attacking image " + n + " again: " + e.getMessage());
            return null;
        }
    }

    /** Attacks the chosen images that have no finished attack of these settings in OUT; returns the queries spent. */
    private static long attack(Settings s, Path out, OnnxModel model, LabelledImages data, ClassMapping mapping,
                               int source, int target, Chosen chosen, Scorer scorer, ProgressListener progress) {
        int sourceOutput = mapping.output(source);
        int targetOutput = target < 0 ? -1 : mapping.output(target);
        List<SquareAttack.Start> starts = new ArrayList<>();
        List<Integer> todo = new ArrayList<>();
        int levels = Settings.levels(s.epsilon());
        long resumed = 0;
        for (int n = 0; n < chosen.items().length; n++) {
            String id = data.items().get(chosen.items()[n]).id();
            if (done(out, n, key(s, model, s.preprocessing(), source, target, n, id)) != null) {
                resumed++;
                continue;
            }
            SquareAttack.Candidate img = chosen.clean().get(n);
            // an image's seed is its number's, so that a resumed run attacks it as the first run did
            starts.add(new SquareAttack.Start(img.pixels(), img.width(), img.height(), sourceOutput,
                    targetOutput, new SplittableRandom(s.seed() ^ (0x9E3779B97F4A7C15L * (n + 1))).nextLong(),
                    SquareAttack.Start.cell(img.width(), s.preprocessing().width()),
                    SquareAttack.Start.cell(img.height(), s.preprocessing().height())));
            todo.add(n);
        }
        if (resumed > 0) {
            LOG.log(System.Logger.Level.INFO, resumed + " of " + chosen.items().length + " attacks found finished in "
                    + out.resolve(IMAGES) + "; attacking the other " + todo.size());
        }
        if (todo.isEmpty()) {
            return 0;
        }
        long before = scorer.queries();
        SquareAttack attack = new SquareAttack(levels, s.queries(), s.batch());
        // counted in queries (an image that succeeds early counts its whole budget), so the rate and ETA are honest
        try (ProgressListener.Tracker bar = progress.begin("attack (" + todo.size() + " images, " + s.from() + " -> "
                + s.to() + ", " + levels + "/255, queries)", (long) todo.size() * s.queries())) {
            attack.run(starts, scorer::outputs, (k, r) -> {
                int n = todo.get(k);
                String id = data.items().get(chosen.items()[n]).id();
                Path png = out.resolve(IMAGES).resolve(pngName(n));
                SquareAttack.Start st = starts.get(k);
                org.jdissect.io.AtomicFiles.writePng(png, image(r.adversarial(), st.width(), st.height()));
                Json.write(doneFile(out, n), new Done(key(s, model, s.preprocessing(), source, target, n, id), n, id,
                        r.success(), r.queries(), pngName(n), Hashing.sha256(png)));
            }, bar::advance);
        }
        return scorer.queries() - before;
    }

    /** An 8-bit RGB image from planar values that are whole numbers in 0..255. */
    static BufferedImage image(float[] planar, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = ((int) planar[i] << 16) | ((int) planar[plane + i] << 8) | (int) planar[2 * plane + i];
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    /**
     * Every attacked image read back from its PNG and scored again: the outcome a user who feeds the file anywhere
     * gets. Its norms are measured from the file too.
     */
    private static Verified verify(Path out, ClassMapping mapping, int source, int target, Chosen chosen,
                                   Scorer scorer) {
        List<AttackedImage> list = new ArrayList<>();
        List<SquareAttack.Candidate> adversarial = new ArrayList<>();
        int disagree = 0;
        for (int n = 0; n < chosen.items().length; n++) {
            Done d = Json.read(doneFile(out, n), Done.class);
            SquareAttack.Candidate clean = chosen.clean().get(n);
            SquareAttack.Candidate adv = candidate(LabelledImages.readImage(out.resolve(IMAGES).resolve(d.png())));
            adversarial.add(adv);
            float[] x = clean.pixels();
            float[] a = adv.pixels();
            // the clean image beside the adversarial one, as attacked: what a user compares them with, and the report;
            // written each run, since image n of other settings (another --from) is another image
            String cleanName = String.format(Locale.ROOT, "%04d-clean.png", n);
            org.jdissect.io.AtomicFiles.writePng(out.resolve(IMAGES).resolve(cleanName),
                    image(x, clean.width(), clean.height()));
            float[] o = scorer.outputs(List.of(adv))[0];
            int sourceOutput = mapping.output(source);
            int targetOutput = target < 0 ? -1 : mapping.output(target);
            boolean success = SquareAttack.succeeds(o, sourceOutput, targetOutput);
            if (success != d.success()) {
                disagree++;
            }
            int linf = 0;
            double l2 = 0;
            for (int i = 0; i < x.length; i++) {
                float diff = Math.abs(a[i] - x[i]);
                linf = Math.max(linf, (int) diff);
                l2 += (diff / 255.0) * (diff / 255.0);
            }
            list.add(new AttackedImage(n, d.id(), success, d.queries(), linf, Math.sqrt(l2),
                    prediction(chosen.cleanOutputs()[n], mapping, sourceOutput, targetOutput),
                    prediction(o, mapping, sourceOutput, targetOutput), IMAGES + "/" + d.png(),
                    IMAGES + "/" + cleanName));
        }
        if (disagree > 0) {
            LOG.log(System.Logger.Level.WARNING, disagree + " adversarial PNGs, read back, do not give the outcome "
                    + "the attack found in memory; attack.json counts what the files give");
        }
        return new Verified(List.copyOf(list), List.copyOf(adversarial), list.size() - disagree);
    }

    private static Prediction prediction(float[] o, ClassMapping mapping, int sourceOutput, int targetOutput) {
        double[] p = Outputs.softmax(o);
        int best = Outputs.argmax(o);
        int c = mapping.classOfOutput(best);
        return new Prediction(best, c < 0 ? "output " + best : mapping.classes().get(c), p[best], p[sourceOutput],
                targetOutput < 0 ? null : p[targetOutput]);
    }


}
