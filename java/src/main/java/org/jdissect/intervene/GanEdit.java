package org.jdissect.intervene;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.jdissect.JdissectException;
import org.jdissect.dissect.DissectionOutput;
import org.jdissect.dissect.IouTable;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.FileNames;
import org.jdissect.io.Invocation;
import org.jdissect.io.Json;
import org.jdissect.io.Provenance;
import org.jdissect.model.Generator;
import org.jdissect.model.OnnxModel;
import org.jdissect.stats.Backend;

/**
 * {@code jdissect gan-edit}: a generator's units switched off (ablation) or on (insertion) on seeded samples, the
 * pictures before and after, and {@code edit.json} ({@link Record}). The units are given, or the top units of a
 * concept by IoU in a gan-dissect output of the same generator and layer; insertion values come from that output's
 * activation cache.
 */
public final class GanEdit {
    /** The file in an edit's folder. */
    public static final String FILE = "edit.json";

    private GanEdit() {
    }

    /**
     * What to edit.
     *
     * @param units          0-based units to edit, or null to take the top {@code top} units of {@code concept}
     * @param insert         insertion (the units set to their high quantile) rather than ablation (set to 0)
     * @param region         image pixels {@code x0,y0,x1,y1} (exclusive ends) whose feature locations are edited, or
     *                       null for all
     * @param dissection     a gan-dissect output of this generator and layer (for a concept and for insertion)
     * @param insertQuantile the quantile of each unit's activations inserted
     */
    public record Spec(Path generator, String layer, float rangeLow, float rangeHigh, long seed, int first,
                       int samples, int[] units, String concept, int top, boolean insert, int[] region,
                       Path dissection, double insertQuantile, int threads, OnnxModel.Inference inference) {
        public Spec {
            if (samples < 1 || first < 0 || top < 1) {
                throw new JdissectException("--samples and --top must be >= 1, --first >= 0");
            }
            if ((units == null) == (concept == null)) {
                throw new JdissectException("name the units to edit: --units u,v or --concept C");
            }
            if ((concept != null || insert) && dissection == null) {
                throw new JdissectException((insert ? "--mode insert" : "--concept")
                        + " needs --dissection DIR, the output of gan-dissect for this generator and layer");
            }
            if (!(insertQuantile > 0 && insertQuantile < 1)) {
                throw new JdissectException("--insert-quantile must be between 0 and 1, got " + insertQuantile);
            }
        }

        /** The folder an edit goes to by default: {@code DISSECTION/edits/<mode>-<what>}. */
        public Path defaultOut() {
            String name = (insert ? "insert" : "ablate") + "-" + (concept != null ? concept + "-top" + top
                    : "units-" + String.join("-", Arrays.stream(units).mapToObj(u -> Integer.toString(u + 1))
                    .toList())) + (region == null ? "" : "-region-" + region[0] + "-" + region[1] + "-" + region[2]
                    + "-" + region[3]);
            return dissection.resolve("edits").resolve(FileNames.fileSafe(name));
        }
    }

    /**
     * {@code edit.json}: what was edited and how, with the provenance.
     *
     * @param units   1-based
     * @param samples the first and the last sample edited
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Record(String tool, String kind, int format, Provenance provenance, String layer, String mode,
                         List<Integer> units, String concept, int[] region, long seed, List<Integer> samples,
                         Double insertQuantile, List<Float> insertValues) {
        public static final String KIND = "gan-edit";

        public static Record read(Path dir) {
            Record r = Json.read(dir.resolve(FILE), Record.class);
            if (!KIND.equals(r.kind()) || r.units() == null || r.layer() == null) {
                throw new JdissectException(dir.resolve(FILE) + " is not a jdissect gan-edit record");
            }
            return r;
        }
    }

    /** Samples in the before/after grid of edit.png at most; before_N.png and after_N.png exist for every sample. */
    public static final int GRID_SAMPLES = 32;
    /** Samples edited at a time: the memory held is flat in the number of samples. */
    private static final int BATCH = 16;

    /**
     * Edits, writes {@code out/before_N.png} and {@code after_N.png} for every sample, {@code edit.png} (the first
     * {@link #GRID_SAMPLES} samples, before above after) and {@code edit.json}; samples are edited a batch at a time,
     * so any number of them fits in memory.
     */
    public static Record run(Spec spec, Path out, Backend backend, Invocation invocation) {
        try (OnnxModel m = OnnxModel.load(spec.generator(), spec.inference());
             Generator g = Generator.open(m, spec.layer(), spec.threads())) {
            int[] image = g.imageShape();
            int[] region = spec.region();
            if (region != null && (region[2] > image[2] || region[3] > image[1])) {
                throw new JdissectException("--region " + region[0] + "," + region[1] + "," + region[2] + ","
                        + region[3] + " reaches beyond the generated image, " + image[2] + " x " + image[1]
                        + " (width x height); x1 <= " + image[2] + ", y1 <= " + image[1]);
            }
            int[] units = spec.units() != null ? spec.units().clone() : topUnits(spec, g);
            GanIntervention iv = new GanIntervention(g, backend, spec.rangeLow(), spec.rangeHigh());
            float[] values = spec.insert()
                    ? GanIntervention.insertionValues(spec.dissection(), g.layer(), spec.insertQuantile(), backend)
                    : null;
            float[] alpha = iv.alpha(units, region);
            float[] replacement = iv.replacement(values);
            List<BufferedImage> gridBefore = new ArrayList<>();
            List<BufferedImage> gridAfter = new ArrayList<>();
            for (int done = 0; done < spec.samples(); done += BATCH) {
                int n = Math.min(BATCH, spec.samples() - done);
                GanIntervention.Edit edit = iv.edit(spec.seed(), spec.first() + done, n, alpha, replacement);
                for (int i = 0; i < n; i++) {
                    int sample = spec.first() + done + i;
                    AtomicFiles.writePng(out.resolve("before_" + sample + ".png"), edit.before().get(i));
                    AtomicFiles.writePng(out.resolve("after_" + sample + ".png"), edit.after().get(i));
                    if (gridBefore.size() < GRID_SAMPLES) {
                        gridBefore.add(edit.before().get(i));
                        gridAfter.add(edit.after().get(i));
                    }
                }
            }
            AtomicFiles.writePng(out.resolve("edit.png"), GanIntervention.beforeAfter(gridBefore, gridAfter, region));
            List<Integer> oneBased = new ArrayList<>();
            List<Float> inserted = values == null ? null : new ArrayList<>();
            for (int u : units) {
                oneBased.add(u + 1);
                if (inserted != null) {
                    inserted.add(values[u]);
                }
            }
            Provenance provenance = invocation.provenance(List.of(m.provenance("generator", null)), null,
                    java.util.Map.of("latents", spec.seed()), backend.name(),
                    spec.inference().name().toLowerCase(java.util.Locale.ROOT), OnnxModel.runtimeVersion(),
                    backend.cuda());
            Record r = new Record("jdissect", Record.KIND, 1, provenance, spec.layer(),
                    spec.insert() ? "insert" : "ablate", oneBased, spec.concept(), region, spec.seed(),
                    List.of(spec.first(), spec.first() + spec.samples() - 1),
                    spec.insert() ? spec.insertQuantile() : null, inserted);
            Json.write(out.resolve(FILE), r);
            return r;
        }
    }

    /** The top units of the spec's concept by IoU in its dissection, as many as asked and the layer has. */
    private static int[] topUnits(Spec spec, Generator g) {
        IouTable table = IouTable.read(DissectionOutput.layerDir(spec.dissection(), spec.layer()).resolve(IouTable.FILE));
        int[] ranking = table.ranking(spec.concept());
        if (spec.top() > ranking.length) {
            throw new JdissectException("--top " + spec.top() + ": layer " + spec.layer() + " has "
                    + ranking.length + " units");
        }
        return Arrays.copyOf(ranking, spec.top());
    }
}
