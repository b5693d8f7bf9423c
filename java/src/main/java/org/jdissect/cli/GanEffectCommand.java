package org.jdissect.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.JdissectException;
import org.jdissect.io.OutputLock;
import org.jdissect.intervene.GanEffect;
import org.jdissect.intervene.GanIntervention;
import org.jdissect.intervene.RateRecord;
import org.jdissect.stats.Backend;

@Command(name = "gan-effect", mixinStandardHelpOptions = true,
        description = {"The average causal effect of a concept's units, measured with the segmenter over seeded "
                + "samples: ablating the top 1, 2, 4, ... N units (by IoU) removes what share of the concept's "
                + "pixels, and what replaces them; inserting the top N at every feature location makes the concept "
                + "appear how often, by the class that was there before (context), with 95%% Wilson intervals. "
                + "Both again with as many randomly chosen units, the baseline the GAN Dissection paper compares with.",
                "Writes OUT/removal.csv, OUT/insertion.csv, OUT/insertion_locations.csv, OUT/removal_random.csv, "
                        + "OUT/insertion_random.csv and OUT/effect.json; rewrites the report of the gan-dissect output "
                        + "OUT lies in."})
final class GanEffectCommand implements Callable<Integer> {
    @ParentCommand
    JdissectCommand root;

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

    @Option(names = "--baseline", defaultValue = "random", paramLabel = "random|none",
            description = "Measure the same with as many units chosen at random from the layer (seeded by --seed; "
                    + "twice the time), or not (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--out", paramLabel = "OUT",
            description = "Output directory (default: DIR/effects/<concept> of --dissection DIR, which the "
                    + "dissection's HTML report shows).")
    Path out;

    @Mixin
    InferenceOption inference;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (!java.util.List.of("ablate", "insert", "both").contains(mode)) {
            throw new JdissectException("--mode must be ablate, insert or both, got '" + mode + "'");
        }
        if (!java.util.List.of("random", "none").contains(baseline)) {
            throw new JdissectException("--baseline must be random or none, got '" + baseline + "'");
        }
        float[] range = gan.range();
        GanEffect.Spec spec = new GanEffect.Spec(gan.generator, gan.layer, range[0], range[1], gan.seed,
                seg.segmentation("gan-effect"), dissection, concept, top, samples, batch, !mode.equals("insert"),
                !mode.equals("ablate"), successShare, insertQuantile, baseline.equals("random"), threads.threads(),
                inference.inference());
        if (out == null) {
            out = spec.defaultOut();
        }
        try (OutputLock lock = Locks.within(out, root)) {
            GanEffect.Record r;
            try (Backend backend = device.open(threads.threads())) {
                r = GanEffect.run(spec, out, backend, output.progress(), root.invocation());
            }
            GanEffect.Baseline base = r.baseline();
            if (r.removal() != null) {
                System.out.printf("ablating the top units for '%s' (%d samples)%s:%n", concept, samples,
                        base == null ? "" : "; as many random units (seed " + base.seed() + ") in brackets");
                for (int i = 0; i < r.removal().size(); i++) {
                    GanIntervention.Removal rm = r.removal().get(i);
                    String random = base == null || base.removal() == null ? ""
                            : String.format(" [random: %.1f%%]", 100 * base.removal().get(i).removedShare());
                    System.out.printf("  %3d units: %5.1f%% of its pixels removed%s; replaced by %s%n", rm.units(),
                            100 * rm.removedShare(), random, GanEffect.describe(rm.replacedBy()));
                }
            }
            if (r.insertion() != null) {
                System.out.printf("inserting the top %d units for '%s' at every location, by what was there "
                        + "(95%% Wilson intervals)%s:%n", r.insertion().units().size(), concept,
                        base == null || base.insertion() == null ? "" : "; as many random units in brackets");
                for (Map.Entry<String, long[]> e : r.insertion().byContext().entrySet()) {
                    long[] v = e.getValue();
                    RateRecord rate = r.insertion().intervals().get(e.getKey());
                    RateRecord random = base == null || base.insertion() == null ? null
                            : base.insertion().intervals().get(e.getKey());
                    System.out.printf("  %-20s %6d trial%s  %5.1f%% succeed (%.1f-%.1f%%)%s%n", e.getKey(), v[0],
                            v[0] == 1 ? " " : "s", 100 * rate.valueOrNaN(), 100 * rate.lo(), 100 * rate.hi(),
                            random == null ? "" : String.format(" [random: %.1f%%]", 100 * random.valueOrNaN()));
                }
            }
            System.out.println("results in " + out);
            ReportCommand.refresh(out, threads.threads(), output.quiet);
        }
        return 0;
    }
}
