package org.jdissect.intervene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * appears, by the class that was there before. Writes {@code removal.csv}, {@code insertion.csv},
 * {@code insertion_locations.csv} and {@code effect.json} ({@link Record}).
 */
public final class GanEffect {
    /** The file in an effect's folder. */
    public static final String FILE = "effect.json";

    private GanEffect() {
    }

    /**
     * What to measure.
     *
     * @param removal        measure removal
     * @param insertion      measure insertion
     * @param successShare   an insertion succeeds when the concept's share of the location's pixels rises by this much
     * @param insertQuantile the quantile of each unit's activations inserted
     */
    public record Spec(Path generator, String layer, float rangeLow, float rangeHigh, long seed,
                       Segmentation segmentation, Path dissection, String concept, int top, int samples, int batch,
                       boolean removal, boolean insertion, double successShare, double insertQuantile, int threads,
                       OnnxModel.Inference inference) {
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
     */
    public record InsertionRecord(List<Integer> units, double successShare, Map<String, long[]> byContext,
                                  Map<String, Double> rates) {
    }

    /** {@code effect.json}: the removal curve and the insertion rates, with the provenance. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String tool, String kind, int format, Provenance provenance, String layer, String concept,
                         long seed, int samples, List<GanIntervention.Removal> removal, InsertionRecord insertion) {
        public static final String KIND = "gan-effect";

        public static Record read(Path dir) {
            Record r = Json.read(dir.resolve(FILE), Record.class);
            if (!KIND.equals(r.kind()) || r.layer() == null || r.concept() == null) {
                throw new JdissectException(dir.resolve(FILE) + " is not a jdissect gan-effect record");
            }
            return r;
        }
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
                List<GanIntervention.Removal> curve = null;
                if (spec.removal()) {
                    List<Integer> ks = new ArrayList<>();
                    for (int k = 1; k < n; k *= 2) {
                        ks.add(k);
                    }
                    ks.add(n);
                    curve = iv.removalCurve(s, spec.seed(), spec.samples(), spec.batch(), label, ranking,
                            ks.stream().mapToInt(Integer::intValue).toArray(), progress);
                    writeRemoval(out, curve);
                }
                InsertionRecord insertion = null;
                if (spec.insertion()) {
                    int[] units = Arrays.copyOf(ranking, n);
                    float[] values = GanIntervention.insertionValues(spec.dissection(), g.layer(),
                            spec.insertQuantile(), backend);
                    GanIntervention.Insertion ins = iv.insertion(s, spec.seed(), spec.samples(), spec.batch(), label,
                            units, values, spec.successShare(), progress);
                    writeInsertion(out, ins);
                    insertion = new InsertionRecord(Arrays.stream(units).map(u -> u + 1).boxed().toList(),
                            spec.successShare(), ins.byContext(), ins.rates());
                }
                Provenance provenance = invocation.provenance(List.of(gm.provenance("generator", null),
                                sm.provenance("segmenter", segPre)), null, Map.of("latents", spec.seed()),
                        backend.name(), spec.inference().name().toLowerCase(Locale.ROOT), OnnxModel.runtimeVersion(),
                        backend.cuda());
                Record r = new Record("jdissect", Record.KIND, 1, provenance, spec.layer(), spec.concept(), spec.seed(),
                        spec.samples(), curve, insertion);
                Json.write(out.resolve(FILE), r);
                return r;
            }
        }
    }

    private static void writeRemoval(Path out, List<GanIntervention.Removal> curve) {
        AtomicFiles.writeText(out.resolve("removal.csv"), w -> {
            Csv.writeRow(w, List.of("units_ablated", "pixels_before", "pixels_after", "removed_share", "replaced_by"));
            for (GanIntervention.Removal r : curve) {
                Csv.writeRow(w, List.of(Integer.toString(r.units()), Long.toString(r.pixelsBefore()),
                        Long.toString(r.pixelsAfter()), Csv.number(r.removedShare()), describe(r.replacedBy())));
            }
        });
    }

    private static void writeInsertion(Path out, GanIntervention.Insertion ins) {
        AtomicFiles.writeText(out.resolve("insertion.csv"), w -> {
            Csv.writeRow(w, List.of("context", "trials", "successes", "success_rate"));
            for (Map.Entry<String, long[]> e : ins.byContext().entrySet()) {
                long[] v = e.getValue();
                Csv.writeRow(w, List.of(e.getKey(), Long.toString(v[0]), Long.toString(v[1]),
                        Csv.number(v[0] == 0 ? 0 : (double) v[1] / v[0])));
            }
        });
        AtomicFiles.writeText(out.resolve("insertion_locations.csv"), w -> {
            Csv.writeRow(w, List.of("y", "x", "trials", "successes"));
            for (int y = 0; y < ins.trials().length; y++) {
                for (int x = 0; x < ins.trials()[y].length; x++) {
                    Csv.writeRow(w, List.of(Integer.toString(y), Integer.toString(x),
                            Long.toString(ins.trials()[y][x]), Long.toString(ins.successes()[y][x])));
                }
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
