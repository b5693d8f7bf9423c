package org.jdissect.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import org.jdissect.io.OutputLock;
import org.jdissect.dissect.Dissection;
import org.jdissect.dissect.DissectionOptions;
import org.jdissect.dissect.DissectionResult;
import org.jdissect.dissect.Probe;

@Command(name = "gan-dissect", mixinStandardHelpOptions = true,
        description = {"Label every unit of a generator's layer with the object it draws: seeded samples, labelled "
                + "by a segmentation model, the same thresholds, tally and IoU as 'dissect'.",
                "Writes OUT/<layer>/tally.csv, report.json, iou.csv (every unit against every class), thresholds.csv, "
                        + "topk.csv and top/unit_NNNN.png (each unit's top samples), and the HTML report "
                        + "OUT/report/index.html. Resumes from OUT/cache."})
final class GanDissectCommand implements Callable<Integer> {
    @ParentCommand
    JdissectCommand root;

    @Mixin
    GanOptions gan;

    @Mixin
    SegmenterOptions seg;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "N",
            description = "Generated samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @Mixin
    ScoringOptions scoring;

    @Mixin
    RunOptions run;

    @Mixin
    DeviceOption device;

    @Mixin
    InferenceOption inference;

    @Mixin
    ThreadsOption threads;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        float[] range = gan.range();
        Probe probe = new Probe.Generated(gan.generator, gan.layer, range[0], range[1], samples, gan.seed,
                seg.segmentation("gan-dissect"));
        DissectionOptions options = run.options(scoring, threads.threads(), false); // checked before OUT is made
        try (OutputLock lock = Locks.output(out, root)) {
            DissectionResult result = Dissection.builder().probe(probe).out(out).options(options)
                    .inference(inference.inference()).backend(device::open).progress(output.progress())
                    .invocation(root.invocation()).run();
            SummaryTable.print(result);
            ReportCommand.write(result, options.threads(), output.quiet);
        }
        return 0;
    }
}
