package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jdissect.JdissectException;
import org.jdissect.dissect.CacheSnapshot;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.io.Progress;
import org.jdissect.io.ProgressListener;
import org.jdissect.model.GeneratedImages;
import org.jdissect.model.Generator;
import org.jdissect.model.LayerInfo;
import org.jdissect.model.Segmenter;
import org.jdissect.stats.Backend;
import org.jdissect.stats.UnitStats;

/**
 * Switching a generator's units off and on between head and tail: {@code x = x * (1 - a) + r * a} through
 * {@link Backend#ablate}, with {@code a} per unit and location and {@code r} zero (ablation) or a high quantile of
 * the unit (insertion); and the causal effects measured with a segmenter.
 */
public final class GanIntervention {
    private final Generator gen;
    private final Backend backend;
    private final float lo;
    private final float hi;

    public GanIntervention(Generator gen, Backend backend, float rangeLow, float rangeHigh) {
        this.gen = gen;
        this.backend = backend;
        this.lo = rangeLow;
        this.hi = rangeHigh;
    }

    /** Images before and after one edit, as 8-bit RGB. */
    public record Edit(List<BufferedImage> before, List<BufferedImage> after) {
    }

    /**
     * The per-unit-and-location mask for {@code units} over the feature locations whose cell overlaps
     * {@code region} (image pixels {@code x0,y0,x1,y1}, exclusive ends; null for everywhere).
     */
    public float[] alpha(int[] units, int[] region) {
        LayerInfo l = gen.layer();
        int hw = l.height() * l.width();
        float[] alpha = new float[l.channels() * hw];
        int[] img = gen.imageShape();
        for (int u : units) {
            if (u < 0 || u >= l.channels()) {
                throw new JdissectException("unit " + (u + 1) + " outside 1.." + l.channels() + " of layer "
                        + l.name());
            }
            for (int y = 0; y < l.height(); y++) {
                for (int x = 0; x < l.width(); x++) {
                    if (region == null || overlaps(region, cell(y, x, l, img[1], img[2]))) {
                        alpha[u * hw + y * l.width() + x] = 1f;
                    }
                }
            }
        }
        return alpha;
    }

    /** The pixels {@code x0,y0,x1,y1} (exclusive ends) of a {@code H x W} image that feature (y, x) covers. */
    static int[] cell(int y, int x, LayerInfo l, int height, int width) {
        return new int[] {x * width / l.width(), y * height / l.height(), (x + 1) * width / l.width(),
            (y + 1) * height / l.height()};
    }

    private static boolean overlaps(int[] a, int[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    /** Replacement values: 0 for every unit (ablation), or the given per-unit values (insertion). */
    public float[] replacement(float[] insertValues) {
        return insertValues != null ? insertValues.clone() : new float[gen.layer().channels()];
    }

    public Edit edit(long seed, int first, int n, float[] alpha, float[] replacement) {
        Generator.Head head = gen.head(gen.latents(seed, first, n), n);
        float[] before = gen.tail(head, n);
        float[] edited = head.values().clone();
        LayerInfo l = gen.layer();
        backend.ablate(edited, n, l.channels(), l.height() * l.width(), alpha, replacement);
        float[] after = gen.tail(head, edited, n);
        int[] s = gen.imageShape();
        return new Edit(GeneratedImages.toRgb(before, n, s[1], s[2], lo, hi),
                GeneratedImages.toRgb(after, n, s[1], s[2], lo, hi));
    }

    /**
     * The units' top quantile {@code q} (0.995 by default: the value a unit reaches when it fires strongly),
     * from a finished GAN dissection's activation cache in {@code dissection/cache}, read without writing to it.
     */
    public static float[] insertionValues(Path dissection, LayerInfo layer, double q, Backend backend) {
        try (CacheSnapshot cache = CacheSnapshot.open(dissection.resolve(DissectionOutput.CACHE))) {
            UnitStats stats = backend.unitStats(cache.source(layer), 1.0 - q, 0, Progress.NONE);
            float[] values = stats.thresholds();
            int[] exponents = cache.exponents(layer.name(), layer.channels());
            for (int u = 0; u < values.length; u++) {
                values[u] = Math.scalb(values[u], -exponents[u]); // the cache holds x * 2^e
            }
            return values;
        }
    }

    /** A grid: row 2k shows the images before, row 2k + 1 after, with an optional region outlined. */
    public static BufferedImage beforeAfter(List<BufferedImage> before, List<BufferedImage> after, int[] region) {
        int w = before.get(0).getWidth();
        int h = before.get(0).getHeight();
        int gap = 2;
        BufferedImage grid = new BufferedImage(before.size() * (w + gap), 2 * (h + gap), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = grid.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < before.size(); i++) {
            g.drawImage(before.get(i), i * (w + gap), 0, null);
            g.drawImage(after.get(i), i * (w + gap), h + gap, null);
            if (region != null) {
                g.setColor(java.awt.Color.YELLOW);
                g.setStroke(new java.awt.BasicStroke(1f));
                g.drawRect(i * (w + gap) + region[0], h + gap + region[1], region[2] - region[0] - 1,
                        region[3] - region[1] - 1);
            }
        }
        g.dispose();
        return grid;
    }

    // ------------------------------------------------------------ causal effects

    /** Removal of a concept by ablating the top-k units, for one k. */
    public record Removal(int units, long pixelsBefore, long pixelsAfter, double removedShare,
                          Map<String, Long> replacedBy) {
    }

    /**
     * Ablates the first k units of {@code ranking} for every k in {@code ks} over {@code samples} samples and
     * measures how much of the concept's area (segmenter class {@code label}) goes, and what replaces it.
     */
    public List<Removal> removalCurve(Segmenter seg, long seed, int samples, int batch, int label, int[] ranking,
                                      int[] ks, ProgressListener progress) {
        LayerInfo l = gen.layer();
        int[] img = gen.imageShape();
        int numLabels = seg.labels().numLabels();
        float[][] alphas = new float[ks.length][];
        for (int j = 0; j < ks.length; j++) {
            alphas[j] = alpha(java.util.Arrays.copyOf(ranking, Math.min(ks[j], ranking.length)), null);
        }
        float[] r = replacement(null);
        long[] before = new long[ks.length];
        long[] after = new long[ks.length];
        long[][] replacedBy = new long[ks.length][numLabels];
        try (ProgressListener.Tracker bar = progress.begin("ablation curve", (long) ks.length * samples)) {
            for (int first = 0; first < samples; first += batch) {
                int n = Math.min(batch, samples - first);
                // the head and the unedited segmentation serve every k: only the tail is re-run per edit
                Generator.Head head = gen.head(gen.latents(seed, first, n), n);
                int[] segBefore = seg.segment(GeneratedImages.toRgb(gen.tail(head, n), n, img[1], img[2], lo, hi));
                for (int j = 0; j < ks.length; j++) {
                    float[] edited = head.values().clone();
                    backend.ablate(edited, n, l.channels(), l.height() * l.width(), alphas[j], r);
                    int[] segAfter = seg.segment(GeneratedImages.toRgb(gen.tail(head, edited, n), n, img[1], img[2],
                            lo, hi));
                    for (int p = 0; p < segBefore.length; p++) {
                        if (segBefore[p] == label) {
                            before[j]++;
                            if (segAfter[p] == label) {
                                after[j]++;
                            } else {
                                replacedBy[j][segAfter[p]]++;
                            }
                        }
                    }
                    bar.advance(n);
                }
            }
        }
        List<Removal> out = new ArrayList<>();
        for (int j = 0; j < ks.length; j++) {
            long[] counts = replacedBy[j];
            Map<String, Long> replaced = new LinkedHashMap<>();
            java.util.stream.IntStream.range(0, counts.length).boxed()
                    .filter(c -> counts[c] > 0)
                    .sorted((x, y) -> Long.compare(counts[y], counts[x]))
                    .forEach(c -> replaced.put(seg.labels().labelName(c), counts[c]));
            out.add(new Removal(Math.min(ks[j], ranking.length), before[j], after[j],
                    before[j] == 0 ? 0 : 1.0 - (double) after[j] / before[j], replaced));
        }
        return out;
    }

    /** Insertion at one feature location: the trials by the class found there before, and the successes. */
    public record Insertion(Map<String, long[]> byContext, long[][] trials, long[][] successes) {
        /** Success rate per context class: successes / trials. */
        public Map<String, Double> rates() {
            Map<String, Double> m = new LinkedHashMap<>();
            byContext.forEach((k, v) -> m.put(k, v[0] == 0 ? 0.0 : (double) v[1] / v[0]));
            return m;
        }
    }

    /**
     * Inserts {@code units} (replacement {@code values}) at every feature location in turn, over {@code samples}
     * samples: a trial succeeds when the concept's share of the location's pixels rises by at least
     * {@code successShare}. Trials are grouped by the segmenter class that covered most of the location before
     * (the context: do doors appear on walls, in the sky?); locations the concept already covers by half are not
     * trials.
     */
    public Insertion insertion(Segmenter seg, long seed, int samples, int batch, int label, int[] units,
                               float[] values, double successShare, ProgressListener progress) {
        LayerInfo l = gen.layer();
        int hw = l.height() * l.width();
        int[] img = gen.imageShape();
        int sh = seg.height();
        int sw = seg.width();
        int numLabels = seg.labels().numLabels();
        long[][] trials = new long[l.height()][l.width()];
        long[][] successes = new long[l.height()][l.width()];
        long[] contextTrials = new long[numLabels];
        long[] contextSuccess = new long[numLabels];
        try (ProgressListener.Tracker bar = progress.begin("insertion at every location", (long) hw * samples)) {
            for (int first = 0; first < samples; first += batch) {
                int n = Math.min(batch, samples - first);
                Generator.Head head = gen.head(gen.latents(seed, first, n), n);
                int[] segBefore = seg.segment(GeneratedImages.toRgb(gen.tail(head, n), n, img[1], img[2], lo, hi));
                for (int y = 0; y < l.height(); y++) {
                    for (int x = 0; x < l.width(); x++) {
                        float[] alpha = new float[l.channels() * hw];
                        for (int u : units) {
                            alpha[u * hw + y * l.width() + x] = 1f;
                        }
                        float[] edited = head.values().clone();
                        backend.ablate(edited, n, l.channels(), hw, alpha, values);
                        int[] segAfter = seg.segment(GeneratedImages.toRgb(gen.tail(head, edited, n), n, img[1],
                                img[2], lo, hi));
                        int[] c = cell(y, x, l, sh, sw);
                        int area = Math.max(1, (c[2] - c[0]) * (c[3] - c[1]));
                        for (int i = 0; i < n; i++) {
                            long[] counts = new long[numLabels];
                            long afterCount = 0;
                            for (int py = c[1]; py < c[3]; py++) {
                                for (int px = c[0]; px < c[2]; px++) {
                                    int p = i * sh * sw + py * sw + px;
                                    counts[segBefore[p]]++;
                                    if (segAfter[p] == label) {
                                        afterCount++;
                                    }
                                }
                            }
                            if (counts[label] * 2 >= area) {
                                continue; // already there: not a trial
                            }
                            int context = 0;
                            for (int k = 1; k < numLabels; k++) {
                                if (counts[k] > counts[context]) {
                                    context = k;
                                }
                            }
                            boolean success = afterCount - counts[label] >= successShare * area;
                            trials[y][x]++;
                            contextTrials[context]++;
                            if (success) {
                                successes[y][x]++;
                                contextSuccess[context]++;
                            }
                        }
                        bar.advance(n);
                    }
                }
            }
        }
        Map<String, long[]> byContext = new LinkedHashMap<>();
        java.util.stream.IntStream.range(0, numLabels).boxed()
                .filter(k -> contextTrials[k] > 0)
                .sorted((a, b) -> Long.compare(contextTrials[b], contextTrials[a]))
                .forEach(k -> byContext.put(seg.labels().labelName(k), new long[] {contextTrials[k], contextSuccess[k]}));
        return new Insertion(byContext, trials, successes);
    }
}
