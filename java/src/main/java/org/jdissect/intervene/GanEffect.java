package org.jdissect.intervene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jdissect.JdissectException;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.IouTable;
import org.jdissect.dissect.Segmentation;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.io.FileNames;
import org.jdissect.io.Invocation;
import org.jdissect.io.Json;
import org.jdissect.io.ProgressListener;
import org.jdissect.io.Provenance;
import org.jdissect.model.Generator;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Preprocessing;
import org.jdissect.model.Segmenter;
import org.jdissect.model.SegmenterLabels;
import org.jdissect.stats.Backend;

/**
 * {@code jdissect gan-effect}: the average causal effect of a concept's units, measured with the segmenter over
 * seeded samples. Removal: the top 1, 2, 4, ... units (by IoU) ablated, the share of the concept's pixels that goes
 * and what replaces it. Insertion: the top units switched on at every feature location, how often the concept
 * appears, by the class that was there before, each rate with its 95% Wilson interval. Both are measured again
 * with as many units chosen at random (the baseline the GAN Dissection paper compares with): a concept's units
 * have a causal effect where theirs differs from that of as many random units. Writes {@code removal.csv},
 * {@code insertion.csv}, {@code insertion_locations.csv}, with the baseline {@code removal_random.csv} and
 * {@code insertion_random.csv}, and {@code effect.json} ({@link Record}).
 */
public final class GanEffect {
    /** The file in an effect's folder. */
    public static final String FILE = "effect.json";
    /** 2: Wilson intervals on insertion rates and the random-units baseline added (format 1 had neither). */
    public static final int FORMAT = 2;
    /** Confidence of the intervals on insertion rates. */
    public static final double CONFIDENCE = 0.95;

    private GanEffect() {
    }

    /**
     * What to measure.
     *
     * @param removal        measure removal
     * @param insertion      measure insertion
     * @param successShare   an insertion succeeds when the concept's share of the location's pixels rises by this much
     * @param insertQuantile the quantile of each unit's activations inserted
     * @param baseline       measure the same with as many randomly chosen units (twice the time)
     */
    public record Spec(Path generator, String layer, float rangeLow, float rangeHigh, long seed,
                       Segmentation segmentation, Path dissection, String concept, int top, int samples, int batch,
                       boolean removal, boolean insertion, double successShare, double insertQuantile, boolean baseline,
                       int threads, OnnxModel.Inference inference) {
        public Spec {
            if (top < 1 || samples < 1 || batch < 1) {
                throw new JdissectException("--top, --samples and --batch must be >= 1");
            }
            if (!removal && !insertion) {
                throw new JdissectException("measure removal, insertion or both");
            }
            if (!(successShare > 0 && successShare <= 1)) {
                throw new JdissectException("--success-share must be in (0, 1], got " + successShare);
            }
            if (!(insertQuantile > 0 && insertQuantile < 1)) {
                throw new JdissectException("--insert-quantile must be between 0 and 1, got " + insertQuantile);
            }
        }

        /** The folder an effect goes to by default: {@code DISSECTION/effects/<concept>-top<N>}. */
        public Path defaultOut() {
            return dissection.resolve("effects").resolve(FileNames.fileSafe(concept + "-top" + top));
        }
    }

    /**
     * The insertion measurement.
     *
     * @param units     1-based
     * @param byContext per context class: trials, successes
     * @param rates     per context class: successes / trials
     * @param intervals per context class: the rate with its 95% Wilson interval (a trial is a sample and a location:
     *                  the locations of one sample are not independent, so read it as a lower bound of the
     *                  uncertainty); absent in format 1
     * @param overall   every trial together, with its interval; absent in format 1
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InsertionRecord(List<Integer> units, double successShare, Map<String, long[]> byContext,
                                  Map<String, Double> rates, Map<String, RateRecord> intervals, RateRecord overall) {
        static InsertionRecord of(int[] units, double successShare, GanIntervention.Insertion ins) {
            Map<String, RateRecord> intervals = new LinkedHashMap<>();
            long trials = 0;
            long successes = 0;
            for (Map.Entry<String, long[]> e : ins.byContext().entrySet()) {
                long[] v = e.getValue();
                intervals.put(e.getKey(), RateRecord.of(Rate.wilson(v[1], v[0], CONFIDENCE)));
                trials += v[0];
                successes += v[1];
            }
            return new InsertionRecord(Arrays.stream(units).map(u -> u + 1).boxed().toList(), successShare,
                    ins.byContext(), ins.rates(), intervals, RateRecord.of(Rate.wilson(successes, trials, CONFIDENCE)));
        }
    }

    /**
     * The baseline: the same measurements with as many units chosen at random from the whole layer (a seeded
     * shuffle, so the same seed draws the same units; the first k of it for k units, as the ranking's first k).
     *
     * @param units     the shuffled units, 1-based, as many as {@code --top}
     * @param seed      the shuffle's seed
     * @param removal   the removal curve with the first k random units ablated, for the same k; null if not measured
     * @param insertion insertion of the random units; null if not measured
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Baseline(String kind, long seed, List<Integer> units, List<GanIntervention.Removal> removal,
                           InsertionRecord insertion) {
        public static final String RANDOM = "random units";
    }

    /**
     * {@code effect.json}: the removal curve and the insertion rates, with the provenance, and the random-units
     * baseline (null where not measured, or in format 1).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String tool, String kind, int format, Provenance provenance, String layer, String concept,
                         long seed, int samples, List<GanIntervention.Removal> removal, InsertionRecord insertion,
                         Baseline baseline) {
        public static final String KIND = "gan-effect";

        public static Record read(Path dir) {
            Record r = Json.read(dir.resolve(FILE), Record.class);
            if (!KIND.equals(r.kind()) || r.layer() == null || r.concept() == null) {
                throw new JdissectException(dir.resolve(FILE) + " is not a jdissect gan-effect record");
            }
            if (r.format() < 1 || r.format() > FORMAT) {
                throw new JdissectException(dir.resolve(FILE) + " is of format " + r.format() + "; this jdissect "
                        + "reads formats 1 to " + FORMAT);
            }
            return r;
        }
    }

    /** The shuffle's seed for the baseline's units, derived from the samples' seed (and recorded). */
    static long baselineSeed(long seed) {
        return seed ^ 0x6a09e667f3bcc909L;
    }

    /** All {@code units} units in a seeded random order (Fisher-Yates over a SplittableRandom). */
    static int[] shuffled(int units, long seed) {
        int[] order = new int[units];
        for (int i = 0; i < units; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = units - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Measures and writes the files into {@code out}. */
    public static Record run(Spec spec, Path out, Backend backend, ProgressListener progress, Invocation invocation) {
        SegmenterLabels labels = SegmenterLabels.read(spec.segmentation().labels());
        int label = labels.labelOf(labels.classNamed(spec.concept()));
        IouTable table = IouTable.read(DissectionOutput.layerDir(spec.dissection(), spec.layer()).resolve(IouTable.FILE));
        int[] ranking = table.ranking(spec.concept());
        if (spec.top() > ranking.length) {
            throw new JdissectException("--top " + spec.top() + ": layer " + spec.layer() + " has " + ranking.length
                    + " units");
        }
        int n = spec.top();
        try (OnnxModel gm = OnnxModel.load(spec.generator(), spec.inference());
             OnnxModel sm = OnnxModel.load(spec.segmentation().model(), spec.inference());
             Generator g = Generator.open(gm, spec.layer(), spec.threads())) {
            Preprocessing segPre = spec.segmentation().preprocessing()
                    .apply(new int[] {g.imageShape()[1], g.imageShape()[2]});
            try (Segmenter s = Segmenter.open(sm, labels, segPre, spec.threads())) {
                GanIntervention iv = new GanIntervention(g, backend, spec.rangeLow(), spec.rangeHigh());
                long baselineSeed = baselineSeed(spec.seed());
                ProgressListener randomProgress = (task, total) -> progress.begin(task + ", random units", total);
                int[] random = shuffled(ranking.length, baselineSeed);
                List<GanIntervention.Removal> curve = null;
                List<GanIntervention.Removal> randomCurve = null;
                if (spec.removal()) {
                    List<Integer> ks = new ArrayList<>();
                    for (int k = 1; k < n; k *= 2) {
                        ks.add(k);
                    }
                    ks.add(n);
                    int[] k = ks.stream().mapToInt(Integer::intValue).toArray();
                    curve = iv.removalCurve(s, spec.seed(), spec.samples(), spec.batch(), label, ranking, k, progress);
                    writeRemoval(out.resolve("removal.csv"), curve);
                    if (spec.baseline()) {
                        randomCurve = iv.removalCurve(s, spec.seed(), spec.samples(), spec.batch(), label, random, k,
                                randomProgress);
                        writeRemoval(out.resolve("removal_random.csv"), randomCurve);
                    }
                }
                InsertionRecord insertion = null;
                InsertionRecord randomInsertion = null;
                if (spec.insertion()) {
                    int[] units = Arrays.copyOf(ranking, n);
                    float[] values = GanIntervention.insertionValues(spec.dissection(), g.layer(),
                            spec.insertQuantile(), backend);
                    GanIntervention.Insertion ins = iv.insertion(s, spec.seed(), spec.samples(), spec.batch(), label,
                            units, values, spec.successShare(), progress);
                    insertion = InsertionRecord.of(units, spec.successShare(), ins);
                    writeInsertion(out, "insertion.csv", ins, insertion);
                    AtomicFiles.writeText(out.resolve("insertion_locations.csv"), w -> {
                        Csv.writeRow(w, List.of("y", "x", "trials", "successes"));
                        for (int y = 0; y < ins.trials().length; y++) {
                            for (int x = 0; x < ins.trials()[y].length; x++) {
                                Csv.writeRow(w, List.of(Integer.toString(y), Integer.toString(x),
                                        Long.toString(ins.trials()[y][x]), Long.toString(ins.successes()[y][x])));
                            }
                        }
                    });
                    if (spec.baseline()) {
                        int[] randomUnits = Arrays.copyOf(random, n);
                        GanIntervention.Insertion rnd = iv.insertion(s, spec.seed(), spec.samples(), spec.batch(),
                                label, randomUnits, values, spec.successShare(), randomProgress);
                        randomInsertion = InsertionRecord.of(randomUnits, spec.successShare(), rnd);
                        writeInsertion(out, "insertion_random.csv", rnd, randomInsertion);
                    }
                }
                Baseline baseline = spec.baseline() ? new Baseline(Baseline.RANDOM, baselineSeed,
                        Arrays.stream(Arrays.copyOf(random, n)).map(u -> u + 1).boxed().toList(), randomCurve,
                        randomInsertion) : null;
                Provenance provenance = invocation.provenance(List.of(gm.provenance("generator", null),
                                sm.provenance("segmenter", segPre)), null, Map.of("latents", spec.seed()),
                        backend.name(), spec.inference().name().toLowerCase(Locale.ROOT), OnnxModel.runtimeVersion(),
                        backend.cuda());
                Record r = new Record("jdissect", Record.KIND, FORMAT, provenance, spec.layer(), spec.concept(),
                        spec.seed(), spec.samples(), curve, insertion, baseline);
                Json.write(out.resolve(FILE), r);
                return r;
            }
        }
    }

    private static void writeRemoval(Path file, List<GanIntervention.Removal> curve) {
        AtomicFiles.writeText(file, w -> {
            Csv.writeRow(w, List.of("units_ablated", "pixels_before", "pixels_after", "removed_share", "replaced_by"));
            for (GanIntervention.Removal r : curve) {
                Csv.writeRow(w, List.of(Integer.toString(r.units()), Long.toString(r.pixelsBefore()),
                        Long.toString(r.pixelsAfter()), Csv.number(r.removedShare()), describe(r.replacedBy())));
            }
        });
    }

    /** By context: trials, successes, the rate and its 95% Wilson interval. */
    private static void writeInsertion(Path out, String name, GanIntervention.Insertion ins, InsertionRecord r) {
        AtomicFiles.writeText(out.resolve(name), w -> {
            Csv.writeRow(w, List.of("context", "trials", "successes", "success_rate", "success_lo", "success_hi"));
            for (Map.Entry<String, long[]> e : ins.byContext().entrySet()) {
                long[] v = e.getValue();
                RateRecord rate = r.intervals().get(e.getKey());
                Csv.writeRow(w, List.of(e.getKey(), Long.toString(v[0]), Long.toString(v[1]),
                        Csv.number(v[0] == 0 ? 0 : (double) v[1] / v[0]), Csv.number(rate.lo()),
                        Csv.number(rate.hi())));
            }
        });
    }

    /** The classes that replaced a removed concept, largest first, at most three: "ground 41%; sky 23%; ...". */
    public static String describe(Map<String, Long> replacedBy) {
        long total = replacedBy.values().stream().mapToLong(Long::longValue).sum();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : replacedBy.entrySet()) {
            if (parts.size() == 3) {
                break;
            }
            parts.add(String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)));
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }
}
