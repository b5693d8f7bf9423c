package org.jdissect.paint;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import javax.imageio.ImageIO;

import org.jdissect.JdissectException;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.IouTable;
import org.jdissect.dissect.LayerRecord;
import org.jdissect.intervene.GanIntervention;
import org.jdissect.model.GeneratedImages;
import org.jdissect.model.Generator;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.Segmenter;
import org.jdissect.stats.Ablation;
import org.jdissect.stats.Backend;

/**
 * Paints with a generator's units: a sample's head (latent to layer) is computed once and kept, and each request
 * runs only the tail with the layer edited as {@code x * (1 - a) + r * a} ({@link Ablation#apply}, the arithmetic of
 * {@code gan-edit}) at the locations the strokes cover, for the units of a concept. Safe for concurrent requests: the
 * generator's sessions are pooled (one request at a time uses one), heads are immutable once made, and a request
 * carries every edit it wants, so no client's state lives here.
 */
public final class Painter implements AutoCloseable {
    /** Sample numbers are 0 .. this - 1. */
    public static final int MAX_SAMPLE = 1_000_000;
    /** Heads kept, least recently used dropped first (a 16 x 16 x 64 head is 64 KB). */
    static final int HEADS = 256;
    /** The most top units of a concept one edit may take. */
    public static final int MAX_EDITS = 64;

    private final OnnxModel model;
    private final OnnxModel segModel;
    private final BlockingQueue<Generator> generators;
    private final List<Generator> all = new ArrayList<>();
    private final BlockingQueue<Segmenter> segmenters;
    private final LayerInfo layer;
    private final int[] image; // C, H, W
    private final long seed;
    private final float lo;
    private final float hi;
    private final Concepts concepts;
    private final Map<Integer, Generator.Head> heads = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Generator.Head> eldest) {
            return size() > HEADS;
        }
    };

    /** The concepts of the layer from a gan-dissect output: units per concept, rankings, insertion values. */
    record Concepts(Map<String, Integer> units, Map<String, String> categories, IouTable table, float[] values) {
    }

    private Painter(OnnxModel model, OnnxModel segModel, List<Generator> generators, List<Segmenter> segmenters,
                    long seed, float lo, float hi, Concepts concepts) {
        this.model = model;
        this.segModel = segModel;
        this.generators = new ArrayBlockingQueue<>(generators.size(), false, generators);
        this.all.addAll(generators);
        this.segmenters = segmenters.isEmpty() ? null : new ArrayBlockingQueue<>(segmenters.size(), false, segmenters);
        this.layer = generators.get(0).layer();
        this.image = generators.get(0).imageShape();
        this.seed = seed;
        this.lo = lo;
        this.hi = hi;
        this.concepts = concepts;
    }

    /**
     * Where the segmenter comes from, when the editor shows its view; null for none.
     *
     * @param preprocessing how its input is prepared, given the generated image's height and width
     */
    public record SegmenterSpec(Path model, Path labels,
                                java.util.function.Function<int[], Preprocessing> preprocessing) {
    }

    /**
     * Opens the generator split at {@code layer} {@code workers} times (one session pair per concurrent request),
     * reads the concepts of a gan-dissect output of it ({@code dissection}; null for units by number only).
     */
    public static Painter open(Path generator, String layer, long seed, float lo, float hi, Path dissection,
                               SegmenterSpec seg, int workers, Backend backend, OnnxModel.Inference inference) {
        if (workers < 1) {
            throw new JdissectException("--workers must be >= 1, got " + workers);
        }
        OnnxModel m = OnnxModel.load(generator, inference);
        OnnxModel s = null;
        List<Generator> gens = new ArrayList<>();
        List<Segmenter> segs = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                gens.add(Generator.open(m, layer, 1));
            }
            Concepts concepts = dissection == null ? null : concepts(dissection, gens.get(0), m, backend);
            if (seg != null) {
                s = OnnxModel.load(seg.model(), inference);
                var labels = org.jdissect.model.SegmenterLabels.read(seg.labels());
                for (int i = 0; i < workers; i++) {
                    int[] shape = gens.get(0).imageShape();
                    segs.add(Segmenter.open(s, labels, seg.preprocessing().apply(new int[] {shape[1], shape[2]}), 1));
                }
            }
            return new Painter(m, s, gens, segs, seed, lo, hi, concepts);
        } catch (RuntimeException e) {
            gens.forEach(Generator::close);
            segs.forEach(Segmenter::close);
            if (s != null) {
                s.close();
            }
            m.close();
            throw e;
        }
    }

    private static Concepts concepts(Path dissection, Generator g, OnnxModel m, Backend backend) {
        LayerRecord record = LayerRecord.find(dissection, g.layer().name());
        var dissected = record.provenance() == null || record.provenance().models().isEmpty() ? null
                : record.provenance().models().get(0);
        if (dissected != null && !dissected.sha256().equals(m.fingerprint())) {
            throw new JdissectException("the dissection in " + dissection + " is of another generator ("
                    + dissected.path() + "), not of " + m.file() + "; run gan-dissect on this one first");
        }
        if (record.units().size() != g.layer().channels()) {
            throw new JdissectException("the dissection of '" + g.layer().name() + "' in " + dissection + " has "
                    + record.units().size() + " units, but the layer has " + g.layer().channels());
        }
        Map<String, Integer> units = new TreeMap<>();
        Map<String, String> categories = new TreeMap<>();
        for (LayerRecord.Unit u : record.units()) {
            if (u.interpretable()) {
                units.merge(u.label(), 1, Integer::sum);
                categories.put(u.label(), u.category());
            }
        }
        IouTable table = IouTable.read(DissectionOutput.layerDir(dissection, g.layer().name()).resolve(IouTable.FILE));
        float[] values = GanIntervention.insertionValues(dissection, g.layer(), 0.995, backend);
        return new Concepts(java.util.Collections.unmodifiableMap(units),
                java.util.Collections.unmodifiableMap(categories), table, values);
    }

    /** What the editor needs to know: sizes and concepts (name to interpretable units, largest first). */
    public record Info(String layer, int units, int layerHeight, int layerWidth, int imageHeight, int imageWidth,
                       long seed, String generatorSha256, boolean segmenter, List<Concept> concepts) {
    }

    /** A concept of the layer and how many of its units the dissection found interpretable for it. */
    public record Concept(String name, String category, int units) {
    }

    public Info info() {
        List<Concept> list = new ArrayList<>();
        if (concepts != null) {
            concepts.units().forEach((k, v) -> list.add(new Concept(k, concepts.categories().get(k), v)));
            list.sort((a, b) -> a.units() != b.units() ? Integer.compare(b.units(), a.units())
                    : a.name().compareTo(b.name()));
        }
        return new Info(layer.name(), layer.channels(), layer.height(), layer.width(), image[1], image[2], seed,
                model.fingerprint(), segmenters != null, List.copyOf(list));
    }

    /** What a client asks for: a sample and its edits, in order. */
    public record Request(int sample, List<EditRequest> edits) {
    }

    /**
     * One edit as painted: the units of {@code concept} (its {@code top} units by IoU) or {@code units} (1-based),
     * removed or added ({@code mode}) where the strokes paint; added units take {@code scale} times their 0.995
     * quantile.
     */
    public record EditRequest(String mode, String concept, List<Integer> units, Integer top, Double scale,
                              List<Strokes.Stroke> strokes) {
    }

    /** Checks a request and resolves it into a recipe: units, values and masks, ready to render or to save. */
    public Recipe resolve(Request r) {
        if (r == null || r.edits() == null) {
            throw new JdissectException("a request needs a sample and a list of edits (empty for none)");
        }
        checkSample(r.sample());
        if (r.edits().size() > MAX_EDITS) {
            throw new JdissectException(r.edits().size() + " edits; at most " + MAX_EDITS);
        }
        List<Recipe.Edit> edits = new ArrayList<>();
        for (int i = 0; i < r.edits().size(); i++) {
            try {
                edits.add(resolve(r.edits().get(i)));
            } catch (JdissectException e) {
                throw new JdissectException("edit " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Recipe("jdissect", Recipe.KIND, 1, model.file().toString(), model.fingerprint(), layer.name(),
                seed, r.sample(), new float[] {lo, hi}, layer.height(), layer.width(), List.copyOf(edits));
    }

    private Recipe.Edit resolve(EditRequest e) {
        if (e == null || !("remove".equals(e.mode()) || "add".equals(e.mode()))) {
            throw new JdissectException("mode must be remove or add");
        }
        boolean add = "add".equals(e.mode());
        int[] units;
        if (e.concept() != null) {
            if (concepts == null) {
                throw new JdissectException("concepts need the editor started with --dissection; give units");
            }
            if (!concepts.table().concepts().contains(e.concept())) {
                throw new JdissectException("unknown concept '" + e.concept() + "'; the layer's concepts: "
                        + String.join(", ", concepts.units().keySet()));
            }
            int top = e.top() == null ? 10 : e.top();
            if (top < 1 || top > layer.channels()) {
                throw new JdissectException("top " + top + " is outside 1.." + layer.channels());
            }
            units = Arrays.copyOf(concepts.table().ranking(e.concept()), top);
        } else if (e.units() != null && !e.units().isEmpty()) {
            units = new int[e.units().size()];
            for (int k = 0; k < units.length; k++) {
                Integer u = e.units().get(k);
                if (u == null || u < 1 || u > layer.channels()) {
                    throw new JdissectException("unit " + u + " is outside 1.." + layer.channels() + " of layer "
                            + layer.name());
                }
                units[k] = u - 1;
            }
        } else {
            throw new JdissectException("name a concept or units");
        }
        double scale = e.scale() == null ? 1.0 : e.scale();
        if (!(scale >= 0 && scale <= 10)) {
            throw new JdissectException("scale " + scale + " is outside 0..10");
        }
        if (add && concepts == null) {
            throw new JdissectException("add needs the units' insertion values: start the editor with --dissection");
        }
        Strokes.check(e.strokes(), image[2], image[1]);
        boolean[] mask = Strokes.mask(Strokes.paint(e.strokes(), image[2], image[1]), image[2], image[1],
                layer.height(), layer.width());
        List<String> rows = new ArrayList<>();
        for (int y = 0; y < layer.height(); y++) {
            StringBuilder row = new StringBuilder();
            for (int x = 0; x < layer.width(); x++) {
                row.append(mask[y * layer.width() + x] ? '1' : '0');
            }
            rows.add(row.toString());
        }
        List<Integer> oneBased = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int u : units) {
            oneBased.add(u + 1);
            values.add(add ? (float) (concepts.values()[u] * scale) : 0f);
        }
        return new Recipe.Edit(e.mode(), e.concept(), List.copyOf(oneBased), List.copyOf(values), List.copyOf(rows),
                e.strokes());
    }

    private static void checkSample(int sample) {
        if (sample < 0 || sample >= MAX_SAMPLE) {
            throw new JdissectException("sample " + sample + " is outside 0.." + (MAX_SAMPLE - 1));
        }
    }

    /** The sample as generated, unedited. */
    public BufferedImage sample(int sample) {
        checkSample(sample);
        return render(new Recipe("jdissect", Recipe.KIND, 1, null, model.fingerprint(), layer.name(), seed, sample,
                new float[] {lo, hi}, layer.height(), layer.width(), List.of()));
    }

    /** The recipe's picture: its sample with its edits applied in order. */
    public BufferedImage render(Recipe r) {
        if (!r.generatorSha256().equals(model.fingerprint())) {
            throw new JdissectException("the recipe is for the generator with sha256 "
                    + r.generatorSha256().substring(0, Math.min(12, r.generatorSha256().length())) + "..., not "
                    + model.file() + " (sha256 " + model.fingerprint().substring(0, 12) + "...)");
        }
        if (!r.layer().equals(layer.name()) || r.layerHeight() != layer.height() || r.layerWidth() != layer.width()
                || r.seed() != seed) {
            throw new JdissectException("the recipe edits layer '" + r.layer() + "' (" + r.layerHeight() + " x "
                    + r.layerWidth() + ") of seed " + r.seed() + "; this editor has '" + layer.name() + "' ("
                    + layer.height() + " x " + layer.width() + ") of seed " + seed);
        }
        checkSample(r.sample());
        Generator g = borrow();
        try {
            Generator.Head head = head(g, r.sample());
            float[] x = edited(head.values(), r);
            float[] out = g.tail(head, x, 1);
            return GeneratedImages.toRgb(out, 1, image[1], image[2], r.range()[0], r.range()[1]).get(0);
        } finally {
            generators.add(g);
        }
    }

    /** The layer's activations with the recipe's edits applied in order; the head's own array is not touched. */
    float[] edited(float[] activations, Recipe r) {
        float[] x = activations.clone();
        int hw = layer.height() * layer.width();
        for (Recipe.Edit e : r.edits()) {
            for (int k = 0; k < e.units().size(); k++) {
                int u = e.units().get(k) - 1;
                if (u < 0 || u >= layer.channels()) {
                    throw new JdissectException("unit " + (u + 1) + " is outside 1.." + layer.channels());
                }
                float value = e.values().get(k);
                for (int y = 0; y < layer.height(); y++) {
                    String row = e.mask().get(y);
                    for (int xx = 0; xx < layer.width(); xx++) {
                        float a = row.charAt(xx) == '1' ? 1f : 0f;
                        int i = u * hw + y * layer.width() + xx;
                        x[i] = Ablation.apply(x[i], a, value);
                    }
                }
            }
        }
        return x;
    }

    private Generator.Head head(Generator g, int sample) {
        synchronized (heads) {
            Generator.Head h = heads.get(sample);
            if (h != null) {
                return h;
            }
        }
        Generator.Head h = g.head(g.latents(seed, sample, 1), 1);
        synchronized (heads) {
            heads.put(sample, h);
        }
        return h;
    }

    private Generator borrow() {
        try {
            return generators.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JdissectException("interrupted while waiting for the generator");
        }
    }

    /**
     * The segmenter's view of a picture: each pixel coloured by the class it predicts (a fixed colour per class), and
     * the classes' names by colour; null when the editor has no segmenter.
     */
    public Segmented segment(BufferedImage picture) {
        if (segmenters == null) {
            return null;
        }
        Segmenter s;
        try {
            s = segmenters.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JdissectException("interrupted while waiting for the segmenter");
        }
        try {
            int[] labels = s.segment(List.of(picture));
            int h = s.height();
            int w = s.width();
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            Map<String, String> legend = new TreeMap<>();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int label = labels[y * w + x];
                    int rgb = colour(label);
                    out.setRGB(x, y, label == 0 ? 0 : 0xb0000000 | rgb);
                    if (label != 0) {
                        legend.put(s.labels().labelName(label), String.format("#%06x", rgb));
                    }
                }
            }
            return new Segmented(out, legend);
        } finally {
            segmenters.add(s);
        }
    }

    /** A segmenter's view and its legend (class name to colour). */
    public record Segmented(BufferedImage overlay, Map<String, String> legend) {
    }

    /** A fixed, well-spread colour per class number (golden-angle hues). */
    static int colour(int label) {
        float hue = (label * 0.618034f) % 1f;
        return java.awt.Color.HSBtoRGB(hue, 0.75f, 0.95f) & 0xffffff;
    }

    /** What a replayed recipe wrote. */
    public record Replayed(Path before, Path after, String afterSha256) {
    }

    /**
     * Replays {@code recipe} on {@code generator} (its sha256 must be the recipe's) and writes {@code
     * before_<sample>.png} and {@code after_<sample>.png} into {@code out}: the after picture is, byte for byte, what
     * the editor showed for the recipe.
     */
    public static Replayed replay(Recipe recipe, Path generator, Path out, int threads, OnnxModel.Inference inference) {
        try (Painter p = open(generator, recipe.layer(), recipe.seed(), recipe.range()[0], recipe.range()[1], null,
                null, 1, null, inference)) {
            byte[] after = png(p.render(recipe));
            byte[] before = png(p.sample(recipe.sample()));
            Path a = out.resolve("after_" + recipe.sample() + ".png");
            Path b = out.resolve("before_" + recipe.sample() + ".png");
            org.jdissect.io.AtomicFiles.write(b, o -> o.write(before));
            org.jdissect.io.AtomicFiles.write(a, o -> o.write(after));
            return new Replayed(b, a, org.jdissect.io.Hashing.sha256(after));
        }
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("this Java has no PNG encoder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        all.forEach(Generator::close);
        if (segmenters != null) {
            segmenters.forEach(Segmenter::close);
        }
        if (segModel != null) {
            segModel.close();
        }
        model.close();
    }
}
