package org.jdissect.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.JdissectException;
import org.jdissect.dissect.IouTable;
import org.jdissect.io.FileNames;
import org.jdissect.intervene.GanIntervention;
import org.jdissect.model.Generator;
import org.jdissect.model.OnnxModel;
import org.jdissect.io.AtomicFiles;
import org.jdissect.report.GanImages;
import org.jdissect.stats.Backend;

@Command(name = "gan-edit", mixinStandardHelpOptions = true,
        description = {"Switch units of a generator's layer off (ablate) or on (insert) and save the pictures before "
                + "and after: x = x * (1 - a) + r * a between head and tail, r = 0 to ablate, the unit's 0.995 "
                + "quantile (from a gan-dissect run) to insert.",
                "Writes OUT/edit.png (top row before, bottom row after), OUT/before_N.png, OUT/after_N.png and "
                        + "OUT/edit.json; rewrites the report of the gan-dissect output OUT lies in."})
final class GanEditCommand implements Callable<Integer> {
    @Mixin
    GanOptions gan;

    @Mixin
    DeviceOption.Ablation device;

    static final class Which {
        @Option(names = "--units", split = ",", paramLabel = "u1,u2", description = "Units to edit (1-based).")
        List<Integer> units;

        @Option(names = "--concept", paramLabel = "C",
                description = "Edit the units with the highest IoU for this segmenter class (needs --dissection).")
        String concept;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N",
            description = "With --concept: how many units (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--mode", defaultValue = "ablate", paramLabel = "ablate|insert",
            description = "ablate (r = 0) or insert (r = the unit's high quantile) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--region", paramLabel = "x0,y0,x1,y1",
            description = "Edit only the feature locations over these image pixels (exclusive ends; default: all).")
    String region;

    @Option(names = "--dissection", paramLabel = "DIR",
            description = "A gan-dissect output directory of this generator and layer (for --concept and insert).")
    Path dissection;

    @Option(names = "--insert-quantile", defaultValue = "0.995", paramLabel = "Q",
            description = "Insertion value: this quantile of each unit's activations (default: ${DEFAULT-VALUE}).")
    double insertQuantile;

    @Option(names = "--samples", defaultValue = "8", paramLabel = "N", description = "Samples to edit (default: "
            + "${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--first", defaultValue = "0", paramLabel = "I", description = "First sample index (default: "
            + "${DEFAULT-VALUE}).")
    int first;

    @Option(names = "--out", paramLabel = "OUT",
            description = "Output directory (default with --dissection: DIR/edits/<mode>-<concept or units>, which "
                    + "the dissection's HTML report shows).")
    Path out;

    @Override
    public Integer call() throws Exception {
        boolean insert = switch (mode) {
            case "ablate" -> false;
            case "insert" -> true;
            default -> throw JdissectException.usage("--mode must be ablate or insert, got '" + mode + "'");
        };
        if (samples < 1 || first < 0 || top < 1) {
            throw JdissectException.usage("--samples and --top must be >= 1, --first >= 0");
        }
        if ((which.concept != null || insert) && dissection == null) {
            throw JdissectException.usage((insert ? "--mode insert" : "--concept")
                    + " needs --dissection DIR, the output of gan-dissect for this generator and layer");
        }
        int[] reg = region == null ? null : GanEffectCommand.parseRegion(region);
        if (out == null) {
            if (dissection == null) {
                throw JdissectException.usage("give --out DIR, or --dissection DIR to write into DIR/edits/");
            }
            String name = mode + "-" + (which.concept != null ? which.concept + "-top" + top
                    : "units-" + which.units.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("-")))
                    + (reg == null ? "" : "-region-" + reg[0] + "-" + reg[1] + "-" + reg[2] + "-" + reg[3]);
            out = dissection.resolve("edits").resolve(FileNames.fileSafe(name));
        }
        float[] range = gan.range();
        try (OnnxModel m = OnnxModel.load(gan.generator); Generator g = Generator.open(m, gan.layer, gan.threads());
             Backend backend = device.open(gan.threads())) {
            int[] units;
            if (which.units != null) {
                units = which.units.stream().mapToInt(u -> u - 1).toArray();
            } else {
                IouTable table = IouTable.read(dissection.resolve(FileNames.fileSafe(gan.layer)).resolve("iou.csv"));
                units = java.util.Arrays.copyOf(table.ranking(which.concept), Math.min(top, g.layer().channels()));
            }
            GanIntervention iv = new GanIntervention(g, backend, range[0], range[1]);
            float[] values = insert ? GanIntervention.insertionValues(dissection, g.layer(), insertQuantile, backend)
                    : null;
            GanIntervention.Edit edit = iv.edit(gan.seed, first, samples, iv.alpha(units, reg), iv.replacement(values));
            for (int i = 0; i < samples; i++) {
                GanImages.writePng(out.resolve(String.format("before_%d.png", first + i)), edit.before().get(i));
                GanImages.writePng(out.resolve(String.format("after_%d.png", first + i)), edit.after().get(i));
            }
            GanImages.writePng(out.resolve("edit.png"), GanImages.beforeAfter(edit.before(), edit.after(), reg));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("generator", gan.generator.toString());
            json.put("layer", gan.layer);
            json.put("mode", mode);
            List<Integer> oneBased = new ArrayList<>();
            for (int u : units) {
                oneBased.add(u + 1);
            }
            json.put("units", oneBased);
            json.put("concept", which.concept);
            json.put("region", reg);
            json.put("seed", gan.seed);
            json.put("samples", List.of(first, first + samples - 1));
            if (values != null) {
                List<Float> r = new ArrayList<>();
                for (int u : units) {
                    r.add(values[u]);
                }
                json.put("insert_quantile", insertQuantile);
                json.put("insert_values", r);
            }
            AtomicFiles.writeString(out.resolve("edit.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            System.out.printf("%s %d unit(s) %s on %d samples; pictures in %s%n", insert ? "inserted" : "ablated",
                    units.length, oneBased, samples, out);
        }
        ReportCommand.refresh(out, gan.threads, true);
        return 0;
    }
}
