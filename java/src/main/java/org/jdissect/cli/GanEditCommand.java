package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.intervene.GanEdit;
import org.jdissect.io.OutputLock;
import org.jdissect.io.Words;
import org.jdissect.paint.Painter;
import org.jdissect.paint.Recipe;
import org.jdissect.stats.Backend;

@Command(name = "gan-edit", mixinStandardHelpOptions = true,
        description = {"Switch units of a generator's layer off (ablate) or on (insert) and save the pictures before "
                + "and after: x = x * (1 - a) + r * a between head and tail, r = 0 to ablate, the unit's 0.995 "
                + "quantile (from a gan-dissect run) to insert.",
                "Writes OUT/edit.png (top row before, bottom row after), OUT/before_N.png, OUT/after_N.png and "
                        + "OUT/edit.json; rewrites the report of the gan-dissect output OUT lies in."})
final class GanEditCommand implements Callable<Integer> {
    @ParentCommand
    JdissectCommand root;

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

        @Option(names = "--recipe", paramLabel = "FILE",
                description = "Replay a recipe exported by jdissect paint: writes OUT/before_N.png and OUT/after_N.png,"
                        + " the after picture byte for byte what the editor showed (its seed and range are the "
                        + "recipe's).")
        Path recipe;
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

    @Mixin
    InferenceOption inference;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (which.recipe != null) {
            return replay();
        }
        boolean insert = switch (mode) {
            case "ablate" -> false;
            case "insert" -> true;
            default -> throw new JdissectException("--mode must be ablate or insert, got '" + mode + "'");
        };
        int[] units = which.units == null ? null : Units.zeroBased(which.units, "--units");
        float[] range = gan.range();
        GanEdit.Spec spec = new GanEdit.Spec(gan.generator, gan.layer, range[0], range[1], gan.seed, first, samples,
                units, which.concept, top, insert, region == null ? null : Regions.parse(region), dissection,
                insertQuantile, threads.threads(), inference.inference());
        if (out == null) {
            if (dissection == null) {
                throw new JdissectException("give --out DIR, or --dissection DIR to write into DIR/edits/");
            }
            out = spec.defaultOut();
        }
        try (OutputLock lock = Locks.within(out, root)) {
            GanEdit.Record r;
            try (Backend backend = device.open(threads.threads())) {
                r = GanEdit.run(spec, out, backend, root.invocation());
            }
            System.out.printf("%s %s %s on %d samples; pictures in %s%n", insert ? "inserted" : "ablated",
                    Words.counted(r.units().size(), "unit"), r.units(), samples, out);
            ReportCommand.refresh(out, threads.threads(), output.quiet);
        }
        return 0;
    }

    private int replay() {
        Recipe r = Recipe.read(which.recipe);
        if (!r.layer().equals(gan.layer)) {
            throw new JdissectException(which.recipe + " edits layer '" + r.layer() + "', not --layer " + gan.layer);
        }
        if (out == null) {
            throw new JdissectException("give --out DIR for the replayed pictures");
        }
        try (OutputLock lock = Locks.within(out, root)) {
            java.nio.file.Files.createDirectories(out);
            Painter.Replayed p = Painter.replay(r, gan.generator, out, threads.threads(), inference.inference());
            System.out.printf("replayed %s (sample %d of seed %d, %s) into %s; after: sha256 %s%n", which.recipe,
                    r.sample(), r.seed(), Words.counted(r.edits().size(), "edit"), out, p.afterSha256());
        } catch (java.io.IOException e) {
            throw new JdissectException("cannot create " + out + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
