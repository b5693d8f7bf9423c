package org.jdissect.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.jdissect.dissect.GanDissection;
import org.jdissect.dissect.GanDissectionResult;
import org.jdissect.stats.Backend;

@Command(name = "gan-dissect", mixinStandardHelpOptions = true,
        description = {"Label every unit of a generator's layer with the object it draws: seeded samples, labelled "
                + "by a segmentation model, the same thresholds, tally and IoU as 'dissect'.",
                "Writes OUT/<layer>/tally.csv, report.json, iou.csv (every unit against every class), thresholds.csv, "
                        + "topk.csv and top/unit_NNNN.png (each unit's top samples), and the HTML report "
                        + "OUT/report/index.html. Resumes from OUT/cache."})
final class GanDissectCommand implements Callable<Integer> {
    @Mixin
    GanOptions gan;

    @Mixin
    DeviceOption device;

    @Mixin
    SegmenterOptions seg;

    @Option(names = "--samples", defaultValue = "1000", paramLabel = "N",
            description = "Generated samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--topk", defaultValue = "10", paramLabel = "K",
            description = "Top samples kept per unit (default: ${DEFAULT-VALUE}).")
    int topk;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N",
            description = "Samples per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--fresh", description = "Ignore an existing cache in OUT instead of resuming.")
    boolean fresh;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() {
        float[] range = gan.range();
        GanDissectionResult r;
        try (Backend backend = device.open(gan.threads())) {
            r = GanDissection.builder().generator(gan.generator).layer(gan.layer)
                    .segmenter(seg.segmenter).segmenterLabels(seg.labels).segmenterPreprocessing(seg::preprocessing)
                    .outputRange(range[0], range[1]).samples(samples).seed(gan.seed).quantile(scoring.quantile)
                    .iouThreshold(scoring.iouThreshold).topk(topk).batch(batch).fresh(fresh).threads(gan.threads()).out(out)
                    .backend(backend).progress(new ConsoleProgress(quiet)).log(System.err::println).run();
        }
        SummaryTable.print(List.of(r.layer()), r.context());
        System.out.printf("%d samples of seed %d; IoU >= %s counts as interpretable; results in %s%n", samples,
                gan.seed, scoring.iouThreshold, r.layer().directory());
        ReportCommand.refresh(out, gan.threads, quiet);
        return 0;
    }
}
