package org.jdissect.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.dissect.IouTable;
import org.jdissect.io.FileNames;
import org.jdissect.intervene.GanIntervention;
import org.jdissect.model.Generator;
import org.jdissect.model.OnnxModel;
import org.jdissect.model.Segmenter;
import org.jdissect.model.SegmenterLabels;
import org.jdissect.io.AtomicFiles;
import org.jdissect.io.Csv;
import org.jdissect.stats.Backend;

@Command(name = "gan-effect", mixinStandardHelpOptions = true,
        description = {"The average causal effect of a concept's units, measured with the segmenter over seeded "
                + "samples: ablating the top 1, 2, 4, ... N units (by IoU) removes what share of the concept's "
                + "pixels, and what replaces them; inserting the top N at every feature location makes the concept "
                + "appear how often, by the class that was there before (context).",
                "Writes OUT/removal.csv, OUT/insertion.csv, OUT/insertion_locations.csv and OUT/effect.json; "
                        + "rewrites the report of the gan-dissect output OUT lies in."})
final class GanEffectCommand implements Callable<Integer> {
    @Mixin
    GanOptions gan;

    @Mixin
    DeviceOption.Ablation device;

    @Mixin
    SegmenterOptions seg;

    @Option(names = "--dissection", required = true, paramLabel = "DIR",
            description = "A gan-dissect output directory of this generator and layer.")
    Path dissection;

    @Option(names = "--concept", required = true, paramLabel = "C", description = "A segmenter class.")
    String concept;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N",
            description = "Units, by IoU for the concept (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "N",
            description = "Samples per measurement (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Samples per batch (default: "
            + "${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--mode", defaultValue = "both", paramLabel = "ablate|insert|both",
            description = "Which effects to measure (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--success-share", defaultValue = "0.1", paramLabel = "S",
            description = "An insertion succeeds when the concept's share of the location's pixels rises by at "
                    + "least S (default: ${DEFAULT-VALUE}).")
    double successShare;

    @Option(names = "--insert-quantile", defaultValue = "0.995", paramLabel = "Q",
            description = "Insertion value: this quantile of each unit's activations (default: ${DEFAULT-VALUE}).")
    double insertQuantile;

    @Option(names = "--out", paramLabel = "OUT",
            description = "Output directory (default: DIR/effects/<concept> of --dissection DIR, which the "
                    + "dissection's HTML report shows).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!List.of("ablate", "insert", "both").contains(mode)) {
            throw JdissectException.usage("--mode must be ablate, insert or both, got '" + mode + "'");
        }
        if (top < 1 || samples < 1 || batch < 1) {
            throw JdissectException.usage("--top, --samples and --batch must be >= 1");
        }
        float[] range = gan.range();
        if (out == null) {
            out = dissection.resolve("effects").resolve(FileNames.fileSafe(concept + "-top" + top));
        }
        SegmenterLabels labels = SegmenterLabels.read(seg.labels);
        int label = labels.labelOf(labels.classNamed(concept));
        IouTable table = IouTable.read(dissection.resolve(FileNames.fileSafe(gan.layer)).resolve("iou.csv"));
        int[] ranking = table.ranking(concept);
        ConsoleProgress progress = new ConsoleProgress(quiet);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("generator", gan.generator.toString());
        json.put("layer", gan.layer);
        json.put("concept", concept);
        json.put("seed", gan.seed);
        json.put("samples", samples);
        try (OnnxModel gm = OnnxModel.load(gan.generator); OnnxModel sm = OnnxModel.load(seg.segmenter);
             Generator g = Generator.open(gm, gan.layer, gan.threads());
             Segmenter s = Segmenter.open(sm, labels, seg.preprocessing(
                     new int[] {g.imageShape()[1], g.imageShape()[2]}), gan.threads());
             Backend backend = device.open(gan.threads())) {
            GanIntervention iv = new GanIntervention(g, backend, range[0], range[1]);
            int n = Math.min(top, ranking.length);
            if (!mode.equals("insert")) {
                List<Integer> ks = new ArrayList<>();
                for (int k = 1; k < n; k *= 2) {
                    ks.add(k);
                }
                ks.add(n);
                List<GanIntervention.Removal> curve = iv.removalCurve(s, gan.seed, samples, batch, label, ranking,
                        ks.stream().mapToInt(Integer::intValue).toArray(), progress);
                AtomicFiles.writeText(out.resolve("removal.csv"), w -> {
                    Csv.writeRow(w, List.of("units_ablated", "pixels_before", "pixels_after", "removed_share",
                            "replaced_by"));
                    for (GanIntervention.Removal r : curve) {
                        Csv.writeRow(w, List.of(Integer.toString(r.units()), Long.toString(r.pixelsBefore()),
                                Long.toString(r.pixelsAfter()), Csv.number(r.removedShare()), describe(r.replacedBy())));
                    }
                });
                json.put("removal", curve);
                System.out.printf("ablating the top units for '%s' (%d samples):%n", concept, samples);
                for (GanIntervention.Removal r : curve) {
                    System.out.printf("  %3d units: %5.1f%% of its pixels removed; replaced by %s%n", r.units(),
                            100 * r.removedShare(), describe(r.replacedBy()));
                }
            }
            if (!mode.equals("ablate")) {
                int[] units = java.util.Arrays.copyOf(ranking, n);
                float[] values = GanIntervention.insertionValues(dissection, g.layer(), insertQuantile, backend);
                GanIntervention.Insertion ins = iv.insertion(s, gan.seed, samples, batch, label, units, values,
                        successShare, progress);
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
                Map<String, Object> insJson = new LinkedHashMap<>();
                insJson.put("units", java.util.Arrays.stream(units).map(u -> u + 1).boxed().toList());
                insJson.put("success_share", successShare);
                insJson.put("by_context", ins.byContext());
                insJson.put("rates", ins.rates());
                json.put("insertion", insJson);
                System.out.printf("inserting the top %d units for '%s' at every location, by what was there:%n", n,
                        concept);
                for (Map.Entry<String, long[]> e : ins.byContext().entrySet()) {
                    long[] v = e.getValue();
                    System.out.printf("  %-20s %6d trials  %5.1f%% succeed%n", e.getKey(), v[0],
                            v[0] == 0 ? 0.0 : 100.0 * v[1] / v[0]);
                }
            }
        }
        AtomicFiles.writeString(out.resolve("effect.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        ReportCommand.refresh(out, gan.threads, quiet);
        return 0;
    }

    private static String describe(Map<String, Long> replacedBy) {
        long total = replacedBy.values().stream().mapToLong(Long::longValue).sum();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : replacedBy.entrySet()) {
            if (parts.size() == 3) {
                break;
            }
            parts.add(String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)));
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    static int[] parseRegion(String text) {
        String[] p = text.split(",");
        try {
            if (p.length == 4) {
                int[] r = new int[4];
                for (int i = 0; i < 4; i++) {
                    r[i] = Integer.parseInt(p[i].trim());
                }
                if (r[0] >= 0 && r[1] >= 0 && r[2] > r[0] && r[3] > r[1]) {
                    return r;
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw JdissectException.usage("--region: '" + text + "' is not x0,y0,x1,y1 with x1 > x0 >= 0, y1 > y0 >= 0");
    }
}
